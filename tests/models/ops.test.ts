// models/nn/ops.ts (what the graph calls, on the site and in scripts/) against the engine's own
// scripts/lib/engine/ops.ts: the same kernels run and the values and gradients are bit-identical,
// on cpu (composite) and on wasm with the engine's fused kernels registered.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initWasm } from '../../scripts/lib/engine/wasm';
import * as engine from '../../scripts/lib/engine/ops';
import * as shared from '../../models/nn/ops';

type Ops = Pick<typeof shared, 'gelu' | 'layerNorm' | 'batchNormTrain'>;
function rand(shape: number[], seed: number): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1), data = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; data[i] = (s / 2 ** 32 - 0.5) * 4; }
  return tf.tensor(data, shape);
}
const weighted = (t: tf.Tensor) => tf.sum(tf.mul(t, tf.sin(tf.range(0, t.size).reshape(t.shape))));

const CASES: { name: string; shapes: number[][]; f: (o: Ops) => (...xs: tf.Tensor[]) => tf.Tensor }[] = [
  { name: 'gelu', shapes: [[3, 17, 5]], f: (o) => (x) => weighted(o.gelu(x)) },
  { name: 'layerNorm', shapes: [[2, 7, 13], [13], [13]], f: (o) => (x, g, b) => weighted(o.layerNorm(x, g, b, 1e-6)) },
  { name: 'batchNormTrain', shapes: [[4, 3, 5, 6], [6], [6]], f: (o) => (x, g, b) => {
    const r = o.batchNormTrain(x, g, b, 1e-5);
    return tf.addN([weighted(r.y), weighted(r.mean), weighted(r.variance)]);
  } },
];

async function run(backend: string, f: (...xs: tf.Tensor[]) => tf.Tensor, shapes: number[][]) {
  await tf.setBackend(backend);
  let values: number[][] = [];
  const prof = await tf.profile(() => {
    values = tf.tidy(() => {
      const { value, grads } = tf.valueAndGrads(f)(shapes.map((s, i) => rand(s, 5 + 31 * i)));
      return [value, ...grads].map((t) => Array.from(t.dataSync()));
    });
  });
  return { values, kernels: prof.kernelNames };
}

describe('models/nn/ops agrees with the engine ops', () => {
  beforeAll(async () => { await initWasm(); });
  for (const backend of ['cpu', 'wasm']) {
    for (const c of CASES) {
      it(`${c.name} on ${backend}`, async () => {
        const got = await run(backend, c.f(shared), c.shapes), want = await run(backend, c.f(engine), c.shapes);
        expect(got.kernels).toEqual(want.kernels);
        if (backend === 'wasm') expect(got.kernels.some((k) => (shared.FUSED_KERNELS as readonly string[]).includes(k)), 'a fused kernel ran').toBe(true);
        expect(got.values).toEqual(want.values);
      });
    }
  }
});
