// Each fast wasm training kernel against tfjs's pure-JS cpu backend, on small shapes.
// The gradients exercise the registered kernels end to end (Conv2DBackpropFilter/Input,
// BatchMatMul with transposes and batch > 1, leading-axis Sum, 5-D Transpose, depthwise).
import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initWasm } from '../../scripts/lib/engine/wasm';

type Case = { name: string; inputs: number[][]; f: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[] };

function rand(shape: number[], seed: number): { shape: number[]; data: Float32Array } {
  // Small LCG so both backends see identical inputs.
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; data[i] = s / 2 ** 32 - 0.5; }
  return { shape, data };
}

async function runOn(backend: string, c: Case): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const xs = c.inputs.map((s, i) => { const r = rand(s, 17 + i * 101); return tf.tensor(r.data, r.shape); });
    const out = c.f(...xs);
    return (Array.isArray(out) ? out : [out]).map((t) => t.dataSync() as Float32Array);
  });
}

const grads = (f: (...xs: tf.Tensor[]) => tf.Tensor) => (...xs: tf.Tensor[]) => tf.grads((...ys: tf.Tensor[]) => tf.sum(tf.mul(f(...ys), tf.sin(tf.range(0, f(...ys).size).reshape(f(...ys).shape)))))(xs);

/** The function's value and its gradients: for ops whose gradient does not read their output. */
const withValue = (f: (...xs: tf.Tensor[]) => tf.Tensor) => (...xs: tf.Tensor[]) => [f(...xs), ...grads(f)(...xs)];

const CASES: Case[] = [
  { name: 'conv2d grads stride 1 same', inputs: [[2, 9, 9, 3], [3, 3, 3, 5]], f: grads((x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same')) },
  { name: 'conv2d grads stride 2 same (even)', inputs: [[2, 8, 8, 3], [3, 3, 3, 4]], f: grads((x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'same')) },
  { name: 'conv2d grads stride 2 valid (odd)', inputs: [[2, 9, 9, 2], [3, 3, 2, 4]], f: grads((x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'valid')) },
  { name: 'conv2d grads 1x1 stride 2 on odd sizes (valid and same)', inputs: [[2, 9, 7, 3], [1, 1, 3, 5]], f: grads((x, w) => tf.add(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'valid').sum(), tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, [3, 2], 'same').sum())) },
  { name: 'conv2d grads stride 3 (k < s leaves empty phases) and 5x5 stride 2 odd', inputs: [[2, 10, 11, 2], [2, 2, 2, 3], [5, 5, 2, 4]], f: grads((x, w2, w5) => tf.add(tf.conv2d(x as tf.Tensor4D, w2 as tf.Tensor4D, 3, 'same').sum(), tf.conv2d(x as tf.Tensor4D, w5 as tf.Tensor4D, 2, 'same').sum())) },
  { name: 'conv2d forward 1x1 stride 2', inputs: [[3, 9, 8, 4], [1, 1, 4, 6]], f: (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'same') },
  { name: 'conv2d grads 1x1 stride 2', inputs: [[3, 8, 8, 4], [1, 1, 4, 6]], f: grads((x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'same')) },
  { name: 'conv2d grads patchify 4x4 stride 4', inputs: [[2, 12, 12, 1], [4, 4, 1, 8]], f: grads((x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 4, 'valid')) },
  { name: 'conv2d grads 1x1 stride 1 and 5x5 same, non-square', inputs: [[2, 6, 9, 5], [1, 1, 5, 7], [5, 5, 7, 3]], f: grads((x, w1, w5) => tf.conv2d(tf.conv2d(x as tf.Tensor4D, w1 as tf.Tensor4D, 1, 'same'), w5 as tf.Tensor4D, 1, 'same')) },
  { name: 'conv2d forward, ResNet stage shapes', inputs: [[4, 14, 14, 16], [3, 3, 16, 32]], f: (x, w) => tf.relu(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same')) },
  { name: 'conv2d grads stride 1 same on the implicit GEMM (W ≥ 14, ≥ 8 channels), odd sizes', inputs: [[2, 15, 14, 9], [3, 3, 9, 11]], f: grads((x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same')) },
  { name: 'conv2d grads 5x5 stride 1 same on the implicit GEMM, then a 3x3', inputs: [[1, 14, 17, 8], [5, 5, 8, 8], [3, 3, 8, 13]], f: grads((x, w5, w3) => tf.conv2d(tf.relu(tf.conv2d(x as tf.Tensor4D, w5 as tf.Tensor4D, 1, 'same')), w3 as tf.Tensor4D, 1, 'same')) },
  { name: 'conv2d grads 7x7 stride 1 same', inputs: [[1, 10, 10, 2], [7, 7, 2, 3]], f: grads((x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same')) },
  { name: 'matmul transposeB 2-D', inputs: [[7, 5], [9, 5]], f: grads((a, b) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, false, true)) },
  { name: 'matmul transposeA 2-D', inputs: [[5, 7], [5, 9]], f: grads((a, b) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, true, false)) },
  { name: 'batched matmul (attention-like) QKᵀ', inputs: [[6, 13, 8], [6, 13, 8]], f: grads((a, b) => tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D, false, true)) },
  { name: 'batched matmul plain, odd sizes', inputs: [[3, 2, 5, 11], [3, 2, 11, 7]], f: grads((a, b) => tf.matMul(a, b)) },
  { name: 'batched matmul transposeA', inputs: [[4, 9, 6], [4, 9, 10]], f: (a, b) => tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D, true, false) },
  { name: 'batched matmul both transposed', inputs: [[4, 9, 6], [4, 10, 9]], f: (a, b) => tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D, true, true) },
  { name: 'batched × unbatched (broadcast)', inputs: [[5, 6, 7], [7, 9]], f: (a, b) => tf.matMul(a, b) },
  { name: 'BatchNorm statistics (leading-axis mean)', inputs: [[8, 5, 4, 6]], f: (x) => [tf.mean(x, [0, 1, 2]), tf.mean(x, [0, 1, 2], true), tf.moments(x, [0, 1, 2]).variance, tf.mean(x, -1)] },
  { name: 'dense bias grad (leading-axis sum)', inputs: [[130, 6], [200, 33]], f: (x, y) => [tf.sum(x, 0), tf.sum(x.reshape([13, 10, 6]), [0, 1], true), tf.sum(y, 0)] },
  { name: 'long contractions (K-blocked): dW-like transposeA and plain', inputs: [[1100, 7], [1100, 9], [3, 1300], [1300, 5]], f: (a, b, c, d) => [tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, true, false), tf.matMul(c as tf.Tensor2D, d as tf.Tensor2D)] },
  { name: 'plain 2-D matmul, odd sizes', inputs: [[37, 19], [19, 23]], f: grads((a, b) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D)) },
  { name: 'transpose 5-D [2,0,3,1,4]', inputs: [[3, 5, 3, 2, 4]], f: (x) => tf.transpose(x, [2, 0, 3, 1, 4]) },
  { name: 'transpose 2-D and 3-D', inputs: [[17, 11], [3, 9, 10]], f: (x, y) => [tf.transpose(x), tf.transpose(y, [0, 2, 1]), tf.transpose(y, [1, 0, 2])] },
  { name: 'slice runs (q/k/v split) and grads', inputs: [[3, 5, 48]], f: grads((x) => tf.mul(tf.slice(x, [0, 0, 16], [3, 5, 16]), tf.slice(x, [0, 1, 32], [3, 4, -1]).pad([[0, 0], [0, 1], [0, 0]]))) },
  { name: 'slice 4-D middle axes', inputs: [[2, 6, 7, 20]], f: (x) => [tf.slice(x, [1, 2, 0, 0], [1, 3, 7, 20]), tf.slice(x, [0, 1, 2, 0], [2, 4, 3, 20])] },
  { name: 'head split/merge transposes [0,2,1,3]', inputs: [[3, 7, 4, 8], [5, 6, 12]], f: (x, y) => [tf.transpose(x, [0, 2, 1, 3]), tf.transpose(y, [1, 0, 2])] },
  { name: 'block transposes of 16-float heads and of 5- and 6-float blocks', inputs: [[2, 9, 3, 16], [3, 4, 7, 5], [4, 5, 6]], f: (x, y, z) => [tf.transpose(x, [0, 2, 1, 3]), tf.transpose(y, [0, 2, 1, 3]), tf.transpose(z, [1, 0, 2])] },
  { name: 'transposes that only move size-1 axes (Swin one-window stage, one head)', inputs: [[2, 49, 1, 16], [2, 1, 3, 4], [1, 5, 1, 6, 7]], f: (x, y, z) => [tf.transpose(x, [0, 2, 1, 3]), tf.transpose(y, [3, 1, 0, 2]), tf.transpose(z, [3, 4, 0, 2, 1]), tf.transpose(y, [1, 0, 2, 3])] },
  { name: 'gather grads (UnsortedSegmentSum): relative-position-bias lookup', inputs: [[13, 4]], f: grads((table) => tf.gather(table, tf.tensor1d([0, 3, 3, 12, 5, 0, 7, 7, 7], 'int32'))) },
  { name: 'identity/clone shares safely', inputs: [[4, 5]], f: (x) => { const c = tf.clone(x); return [tf.add(c, 1), x]; } },
  { name: 'tile / broadcastTo', inputs: [[3, 1, 5], [1, 1, 1, 4], [2, 3]], f: (x, y, z) => [tf.tile(x, [2, 4, 3]), tf.broadcastTo(y, [2, 3, 5, 4]), tf.tile(z, [3, 1]), tf.tile(z, [1, 5])] },
  { name: 'split (cls token) and cast', inputs: [[4, 50, 24]], f: (x) => [...tf.split(x, [1, 49], 1), tf.cast(x, 'float32'), tf.cast(x, 'int32').toFloat()] },
  { name: 'sum/mean grads (LayerNorm, BatchNorm)', inputs: [[3, 5, 8], [2, 4, 4, 6]], f: grads((x, y) => tf.add(tf.mul(tf.mean(x, -1, true), tf.sum(x, [0, 1], true)), tf.sum(tf.mul(tf.mean(y, [0, 1, 2]), tf.sum(y, [0, 1, 2], true)), [0, 1, 2], true).reshape([1, 1, 6]).slice([0, 0, 0], [1, 1, 6]).sum().reshape([1, 1, 1]))) },
  { name: 'add/sub/mul, same shape with an odd tail', inputs: [[3, 5, 7], [3, 5, 7]], f: withValue((a, b) => tf.add(tf.mul(a, b), tf.sub(a, tf.mul(b, b)))) },
  { name: 'add/sub/mul, trailing vector both ways ([N,C]·[C], [C]·[N,C])', inputs: [[6, 7], [7]], f: withValue((a, b) => tf.addN([tf.add(a, b), tf.sub(b, a), tf.mul(a, b), tf.sub(a, b)])) },
  { name: 'sub/mul, a value per row both ways ([N,C]·[N,1], [N,1]·[N,C])', inputs: [[4, 3, 5], [4, 3, 1]], f: withValue((a, b) => tf.addN([tf.sub(a, b), tf.sub(b, a), tf.mul(b, a), tf.add(a, b)])) },
  { name: 'scalars on either side, and NHWC·[C] with C not a multiple of 4', inputs: [[2, 3, 3, 6], [6]], f: withValue((x, c) => tf.addN([tf.sub(2, x), tf.mul(x, 3), tf.add(0.5, x), tf.mul(tf.sub(x, c), c)])) },
  { name: 'broadcasts the fast path does not take ([2,1,5]·[3,1], int32)', inputs: [[2, 1, 5], [3, 1]], f: (a, b) => [tf.add(a, b), tf.sub(b, a), tf.mul(a, b), tf.add(tf.cast(tf.mul(a, 10), 'int32'), tf.tensor1d([1, 2, 3, 4, 5], 'int32')).toFloat()] },
  { name: 'depthwise grads stride 1', inputs: [[2, 7, 7, 3], [3, 3, 3, 2]], f: grads((x, w) => tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same')) },
  { name: 'depthwise grads 7x7 stride 2', inputs: [[2, 9, 9, 4], [7, 7, 4, 1]], f: grads((x, w) => tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'same')) },
];

describe('fast wasm kernels match the cpu backend', () => {
  beforeAll(async () => { await initWasm(); });
  for (const c of CASES) {
    it(c.name, async () => {
      const got = await runOn('wasm', c);
      const want = await runOn('cpu', c);
      expect(got.length).toBe(want.length);
      got.forEach((g, i) => {
        const w = want[i]!;
        expect(g.length).toBe(w.length);
        let maxErr = 0, scale = 1e-6;
        for (let j = 0; j < w.length; j++) { maxErr = Math.max(maxErr, Math.abs(g[j]! - w[j]!)); scale = Math.max(scale, Math.abs(w[j]!)); }
        expect(maxErr / scale, `${c.name} output ${i}`).toBeLessThan(1e-4);
      });
    });
  }
});

describe('fused AdamW (wasm) matches the tfjs-op AdamW (cpu)', () => {
  it('three steps with clipping and decoupled decay', async () => {
    const { adamW } = await import('../../scripts/lib/train');
    const run = async (backend: string) => {
      await tf.setBackend(backend);
      const w = tf.variable(tf.tensor(rand([6, 5], 3).data, [6, 5]), true, `fused-test-${backend}/fc.w`);
      const b = tf.variable(tf.tensor(rand([5], 4).data, [5]), true, `fused-test-${backend}/fc.b`);
      const opt = adamW([w, b], { beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.1, gradClip: 0.5 });
      for (let i = 0; i < 3; i++) {
        const g = { [w.name]: tf.tensor(rand([6, 5], 10 + i).data, [6, 5]), [b.name]: tf.tensor(rand([5], 20 + i).data, [5]) };
        opt.step(g, 0.01, i);
        tf.dispose(Object.values(g));
      }
      const out = [w.dataSync().slice(), b.dataSync().slice()];
      opt.dispose(); w.dispose(); b.dispose();
      return out;
    };
    const got = await run('wasm'), want = await run('cpu');
    got.forEach((g, i) => g.forEach((v, j) => expect(v).toBeCloseTo(want[i]![j]!, 5)));
  });
});
