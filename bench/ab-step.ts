// Same-process A/B of whole training steps: the engine's fused kernels (Atlas*) on, then off
// (unregistered, so scripts/lib/engine/ops.ts falls back to the tfjs composite), interleaved.
//   npm exec -- tsx bench/ab-step.ts [models=vit_mini_patch4_28,resnet_mini_28] [rounds=4] [steps=3]
// Ratios, not absolute img/s, are the result on a shared machine; the load average is printed.
import * as tf from '@tensorflow/tfjs';
import os from 'node:os';
import { selectBackend } from '../scripts/lib/engine/backend';
import { adamW, TRAIN_DEFAULTS } from '../scripts/lib/train';
import { createModel } from '../models/index';

const [models = 'vit_mini_patch4_28,resnet_mini_28', rounds = '4', steps = '3'] = process.argv.slice(2);
await selectBackend({ prefer: 'wasm' });
const fusedKernels = tf.getKernelsForBackend('wasm').filter((k) => k.kernelName.startsWith('Atlas'));
const setFused = (on: boolean) => {
  for (const k of fusedKernels) {
    const has = !!tf.getKernel(k.kernelName, 'wasm');
    if (on && !has) tf.registerKernel(k);
    if (!on && has) tf.unregisterKernel(k.kernelName, 'wasm');
  }
};
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
console.log(`fused kernels: ${fusedKernels.map((k) => k.kernelName).join(', ')}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
for (const name of models.split(',')) {
  const model = createModel(name, {}, { seed: 0 });
  const vars = model.variables();
  const opt = adamW(vars, TRAIN_DEFAULTS);
  const [H, W, C] = model.inputShape;
  const x = tf.randomUniform([128, H, W, C], 0, 1, 'float32', 1) as tf.Tensor4D;
  const y = tf.oneHot(tf.randomUniform([128], 0, model.numClasses, 'int32', 2), model.numClasses).toFloat() as tf.Tensor2D;
  let i = 0;
  const step = async () => {
    const t = performance.now();
    const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, model.forward(x, { training: true }).logits) as tf.Scalar, vars);
    opt.step(grads, 1e-4, i++);
    await value.data();
    tf.dispose([value, ...Object.values(grads)]);
    return performance.now() - t;
  };
  const ms = { on: [] as number[], off: [] as number[] };
  for (const on of [true, false]) { setFused(on); await step(); } // warm both paths
  for (let r = 0; r < +rounds; r++) for (const on of [true, false]) {
    setFused(on);
    const t: number[] = [];
    for (let s = 0; s < +steps; s++) t.push(await step());
    ms[on ? 'on' : 'off'].push(median(t));
  }
  setFused(true);
  const a = median(ms.off), b = median(ms.on);
  console.log(`${name}: composite ${a.toFixed(0)} ms/step, fused ${b.toFixed(0)} ms/step → ×${(a / b).toFixed(2)} (rounds off ${ms.off.map((v) => v.toFixed(0)).join('/')}, on ${ms.on.map((v) => v.toFixed(0)).join('/')}); load ${os.loadavg()[0]!.toFixed(2)}`);
  tf.dispose([x, y]); opt.dispose(); model.dispose();
}
