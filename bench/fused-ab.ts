// Same-process A/B of each fused op against the tfjs composite it replaces, forward + backward, on
// the minis' shapes (batch 128); the fastest of interleaved rounds estimates the unloaded time.
//   npm exec -- tsx bench/fused-ab.ts [rounds=15]
import * as tf from '@tensorflow/tfjs';
import os from 'node:os';
import { initWasm } from '../scripts/lib/engine/wasm';
import { batchNormTrain, gelu, layerNorm } from '../scripts/lib/engine/ops';

const ROUNDS = +(process.argv[2] ?? 15);
await initWasm();
const fusedKernels = tf.getKernelsForBackend('wasm').filter((k) => k.kernelName.startsWith('Atlas'));
const setFused = (on: boolean) => fusedKernels.forEach((k) => {
  const has = !!tf.getKernel(k.kernelName, 'wasm');
  if (on && !has) tf.registerKernel(k);
  if (!on && has) tf.unregisterKernel(k.kernelName, 'wasm');
});
const cases: Array<{ name: string; shapes: number[][]; f: (...xs: tf.Tensor[]) => tf.Tensor }> = [
  { name: 'GELU [128,50,128]', shapes: [[128, 50, 128]], f: (x) => gelu(x) },
  { name: 'LayerNorm [128,50,64]', shapes: [[128, 50, 64], [64], [64]], f: (x, g, b) => layerNorm(x, g, b, 1e-6) },
  { name: 'BatchNorm train [128,28,28,16]', shapes: [[128, 28, 28, 16], [16], [16]], f: (x, g, b) => batchNormTrain(x, g, b, 1e-5).y },
  { name: 'BatchNorm train [128,7,7,64]', shapes: [[128, 7, 7, 64], [64], [64]], f: (x, g, b) => batchNormTrain(x, g, b, 1e-5).y },
];
console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
for (const c of cases) {
  const xs = c.shapes.map((s) => tf.randomNormal(s));
  const dy = tf.randomNormal(c.shapes[0]!);
  const step = () => tf.tidy(() => { const g = tf.grads((...ins: tf.Tensor[]) => tf.sum(tf.mul(c.f(...ins), dy)))(xs); g.forEach((t) => t.dataSync()); });
  const best = { on: Infinity, off: Infinity };
  for (const on of [true, false]) { setFused(on); step(); }
  for (let r = 0; r < ROUNDS; r++) for (const on of [true, false]) {
    setFused(on);
    const t = performance.now(); step();
    best[on ? 'on' : 'off'] = Math.min(best[on ? 'on' : 'off'], performance.now() - t);
  }
  setFused(true);
  console.log(`${c.name}, forward + backward: composite ${best.off.toFixed(1)} ms, fused ${best.on.toFixed(1)} ms → ×${(best.off / best.on).toFixed(1)}`);
  tf.dispose([...xs, dy]);
}
