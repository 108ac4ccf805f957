// Throwaway micro-bench while developing kernels (not part of npm run bench).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { initWasm } from '../scripts/lib/engine/wasm';
if (process.argv[2] === 'fast') console.log(await initWasm()); else await tf.setBackend(process.argv[2] ?? 'wasm');
function time(name: string, flops: number, f: () => tf.Tensor, reps = 5) {
  f().dispose();
  const t = performance.now();
  for (let i = 0; i < reps; i++) { const r = f(); r.dispose(); }
  const ms = (performance.now() - t) / reps;
  console.log(`${name.padEnd(40)} ${ms.toFixed(2)} ms  ${(flops / ms / 1e6).toFixed(2)} GFLOP/s`);
}
const a = tf.randomNormal([6400, 64]), b = tf.randomNormal([64, 192]), bT = tf.randomNormal([192, 64]);
time('mm 6400x64x192', 2 * 6400 * 64 * 192, () => tf.matMul(a, b));
time('mm 6400x64x192 transB', 2 * 6400 * 64 * 192, () => tf.matMul(a, bT, false, true));
const a2 = tf.randomNormal([6400, 64]), c = tf.randomNormal([6400, 192]);
time('mm 64x6400x192 transA (dW)', 2 * 6400 * 64 * 192, () => tf.matMul(a2, c, true, false), 2);
const q = tf.randomNormal([512, 50, 16]) as tf.Tensor3D, k = tf.randomNormal([512, 50, 16]) as tf.Tensor3D;
time('bmm 512x50x16x50 transB', 2 * 512 * 50 * 50 * 16, () => tf.matMul(q, k, false, true), 2);
const qq = tf.randomNormal([512, 16, 50]) as tf.Tensor3D;
time('bmm 512x50x16x50 plain', 2 * 512 * 50 * 50 * 16, () => tf.matMul(q, qq), 2);
const x5 = tf.randomNormal([128, 50, 3, 4, 16]);
time('transpose5 [2,0,3,1,4]', 0, () => tf.transpose(x5, [2, 0, 3, 1, 4]), 3);
const x4 = tf.randomNormal([128, 50, 4, 16]);
time('transpose4 [0,2,1,3]', 0, () => tf.transpose(x4, [0, 2, 1, 3]), 3);
const x2 = tf.randomNormal([6400, 192]);
time('transpose2', 0, () => tf.transpose(x2), 3);
const img = tf.randomNormal([128, 28, 28, 16]), w = tf.randomNormal([3, 3, 16, 16]);
time('conv 128x28x28 16->16 3x3', 2 * 128 * 784 * 16 * 16 * 9, () => tf.conv2d(img as tf.Tensor4D, w as tf.Tensor4D, 1, 'same'));
time('add 1.2M', 0, () => tf.add(x2, x2));
time('layernorm-ish moments', 0, () => tf.moments(x2, -1, true).variance);
const sm = tf.randomNormal([512, 50, 50]);
time('softmax 512x50x50', 0, () => tf.softmax(sm), 3);
const a4 = a.reshape([1, 80, 80, 64]), w4 = b.reshape([1, 1, 64, 192]);
time('mm as 1x1 conv', 2 * 6400 * 64 * 192, () => tf.conv2d(a4 as tf.Tensor4D, w4 as tf.Tensor4D, 1, 'valid'));
time('fused mm+bias+relu', 2 * 6400 * 64 * 192, () => tf.fused.matMul({a, b, bias: tf.zeros([192]), activation: 'relu'}));
time('mul 1.2M', 0, () => tf.mul(x2, x2));
time('relu 1.2M', 0, () => tf.relu(x2));
time('sum last axis 1.2M', 0, () => tf.sum(x2, -1));
time('sum first axis 1.2M', 0, () => tf.sum(x2, 0));
const bias = tf.randomNormal([192]);
time('add bias bcast 1.2M', 0, () => tf.add(x2, bias));
time('clone 1.2M', 0, () => tf.clone(x2));
