// Per-kernel profile of one training step (batch 128), by kernel or by kernel × shapes:
//   npm exec -- tsx bench/profile-step.ts vit_mini_patch4_28 [top=25] [byname]
// Kernel time is wall time inside each kernel (wasm and cpu run synchronously); the rest of the
// step is tfjs dispatch, tape and JS overhead ("outside kernels").
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../scripts/lib/engine/backend';
import { profileKernels } from '../scripts/lib/engine/profile';
import { adamW, TRAIN_DEFAULTS } from '../scripts/lib/train';
import { createModel } from '../models/index';

const [name = 'vit_mini_patch4_28', top = '25', mode = 'byshape'] = process.argv.slice(2);
const info = await selectBackend();
const model = createModel(name, {}, { seed: 0 });
const vars = model.variables();
const opt = adamW(vars, TRAIN_DEFAULTS);
const [H, W, C] = model.inputShape;
const x = tf.randomUniform([128, H, W, C]) as tf.Tensor4D;
const y = tf.oneHot(tf.randomUniform([128], 0, model.numClasses, 'int32'), model.numClasses).toFloat() as tf.Tensor2D;
const step = async (i: number) => {
  const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, model.forward(x, { training: true }).logits) as tf.Scalar, vars);
  opt.step(grads, 1e-3, i);
  await value.data();
  tf.dispose([value, ...Object.values(grads)]);
};
await step(0);
await step(1);
const t = performance.now();
await step(2);
console.log(`${name} on ${info.device}: step ${(performance.now() - t).toFixed(0)} ms unprofiled`);
const p = await profileKernels(() => step(3), { byShape: mode !== 'byname' });
console.log(`profiled step ${p.stepMs} ms = kernels ${p.kernelMs} ms + outside kernels ${p.overheadMs} ms; ${p.kernels.reduce((s, k) => s + k.calls, 0)} kernel calls`);
for (const k of p.kernels.slice(0, +top)) console.log(`${k.ms.toFixed(1).padStart(8)} ms ${String(k.calls).padStart(5)}×  ${k.name.slice(0, 150)}`);
