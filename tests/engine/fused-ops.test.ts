// The engine's fused ops (scripts/lib/engine/ops.ts): on wasm they run the fused kernels, on cpu
// the tfjs composite; values and gradients must agree, on odd sizes and with every output used.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initWasm } from '../../scripts/lib/engine/wasm';
import { batchNormTrain, gelu, layerNorm } from '../../scripts/lib/engine/ops';

function rand(shape: number[], seed: number, scale = 1, offset = 0): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1), data = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; data[i] = (s / 2 ** 32 - 0.5) * scale + offset; }
  return tf.tensor(data, shape);
}
/** A loss that weights every output element differently, so that each gradient entry matters. */
const weighted = (t: tf.Tensor) => tf.sum(tf.mul(t, tf.sin(tf.range(0, t.size).reshape(t.shape))));

interface Case { name: string; shapes: number[][]; kernel: string; f: (...xs: tf.Tensor[]) => tf.Tensor }
const CASES: Case[] = [
  { name: 'gelu, odd size, wide range', shapes: [[3, 17, 5]], kernel: 'AtlasGelu', f: (x) => weighted(gelu(tf.mul(x, 16))) },
  { name: 'layerNorm [3,5,8]', shapes: [[3, 5, 8], [8], [8]], kernel: 'AtlasLayerNorm', f: (x, g, b) => weighted(layerNorm(x, tf.add(g, 1), b, 1e-5)) },
  { name: 'layerNorm odd [2,7,13], offset input, eps 1e-6', shapes: [[2, 7, 13], [13], [13]], kernel: 'AtlasLayerNorm', f: (x, g, b) => weighted(layerNorm(tf.add(tf.mul(x, 3), 2), g, b, 1e-6)) },
  { name: 'batchNormTrain NHWC [4,3,5,6]', shapes: [[4, 3, 5, 6], [6], [6]], kernel: 'AtlasBatchNormTrain', f: (x, g, b) => weighted(batchNormTrain(x, tf.add(g, 1), b, 1e-5).y) },
  { name: 'batchNormTrain 2-D odd [9,7] with mean and variance in the loss', shapes: [[9, 7], [7], [7]], kernel: 'AtlasBatchNormTrain', f: (x, g, b) => {
    const r = batchNormTrain(tf.add(x, 0.3), g, b, 1e-3);
    return tf.addN([weighted(r.y), weighted(tf.mul(r.mean, 3)), weighted(tf.mul(r.variance, -2))]);
  } },
];

async function run(backend: string, c: Case): Promise<{ values: Float32Array[]; kernels: string[] }> {
  await tf.setBackend(backend);
  let values: Float32Array[] = [];
  const prof = await tf.profile(() => {
    values = tf.tidy(() => {
      const xs = c.shapes.map((s, i) => rand(s, 11 + 97 * i));
      const { value, grads } = tf.valueAndGrads(c.f)(xs);
      return [value, ...grads].map((t) => t.dataSync() as Float32Array);
    });
  });
  return { values, kernels: prof.kernelNames };
}

describe('fused ops: wasm kernels against the cpu composite', () => {
  beforeAll(async () => { await initWasm(); });
  for (const c of CASES) {
    it(c.name, async () => {
      const got = await run('wasm', c), want = await run('cpu', c);
      expect(got.kernels, 'the fused kernel ran on wasm').toContain(c.kernel);
      expect(want.kernels).not.toContain(c.kernel);
      expect(got.values.length).toBe(want.values.length);
      got.values.forEach((g, i) => {
        const w = want.values[i]!;
        let maxErr = 0, scale = 1e-6;
        for (let j = 0; j < w.length; j++) { maxErr = Math.max(maxErr, Math.abs(g[j]! - w[j]!)); scale = Math.max(scale, Math.abs(w[j]!)); }
        expect(maxErr / scale, `${c.name}: ${i === 0 ? 'value' : `gradient ${i}`}`).toBeLessThan(2e-5);
      });
    });
  }
});
