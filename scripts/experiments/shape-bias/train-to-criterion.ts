// Training to a criterion, and batched predictions, on the engine's pieces (scripts/lib/train.ts).
//
//   const r = await trainToCriterion(model, data, { maxSteps: 2000, target: 0.95, checkEvery: 50, … });
//   const pred = predict(model, split);     // Int32Array of argmax class ids
//
// As in a psychophysics session, every model trains until it classifies held-out consistent
// images at `target` accuracy (checked every `checkEvery` steps), or until the shared cap: the
// stopping rule, optimiser, batch and learning rate are the same for all models; the number of
// steps each needed is part of the result. The learning rate warms up linearly, then stays
// constant, so the point where a model stops does not depend on the cap.
import * as tf from '@tensorflow/tfjs';
import type { Model } from '../../lib/nn/types';
import { adamW, evaluate, gather, permutation, rng, TRAIN_DEFAULTS, type Data, type Split } from '../../lib/train';

export interface CriterionConfig {
  maxSteps: number;
  batchSize: number;
  lr: number;
  warmupSteps: number;
  weightDecay: number;
  checkEvery: number;
  target: number;      // held-out accuracy that ends training
  seed: number;        // data order
}

export interface CriterionResult {
  steps: number;
  reached: boolean;
  testAccuracy: number;
  finalTrainLoss: number;
  curve: Array<{ step: number; trainLoss: number; testAccuracy: number }>;
  trainMs: number;
  evalMs: number;
}

export async function trainToCriterion(model: Model, data: Data, cfg: CriterionConfig, progress: (done: number, total: number) => void = () => {}): Promise<CriterionResult> {
  const vars = model.variables();
  const opt = adamW(vars, { ...TRAIN_DEFAULTS, weightDecay: cfg.weightDecay });
  const rand = rng(cfg.seed);
  let order = permutation(data.train.n, rand), cursor = 0;
  const curve: CriterionResult['curve'] = [];
  const recent: number[] = [];
  let trainMs = 0, evalMs = 0, step = 0, reached = false, acc = 0;
  while (step < cfg.maxSteps) {
    const t0 = performance.now();
    if (cursor + cfg.batchSize > data.train.n) { order = permutation(data.train.n, rand); cursor = 0; }
    const { x, y } = gather(data.train, order.subarray(cursor, cursor + cfg.batchSize));
    cursor += cfg.batchSize;
    const lr = cfg.lr * Math.min(1, (step + 1) / Math.max(1, cfg.warmupSteps));
    const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, model.forward(x, { training: true }).logits) as tf.Scalar, vars);
    opt.step(grads, lr, step);
    const loss = (await value.data())[0]!;
    tf.dispose([x, y, value, ...Object.values(grads)]);
    if (!Number.isFinite(loss)) throw new Error(`trainToCriterion: loss is ${loss} at step ${step}`);
    recent.push(loss);
    if (recent.length > 20) recent.shift();
    step++;
    trainMs += performance.now() - t0;
    if (step % cfg.checkEvery === 0 || step === cfg.maxSteps) {
      const te = performance.now();
      acc = evaluate(model, data.test).accuracy;
      evalMs += performance.now() - te;
      curve.push({ step, trainLoss: loss, testAccuracy: acc });
      if (acc >= cfg.target) { reached = true; break; }
    }
    progress(step, cfg.maxSteps);
  }
  opt.dispose();
  return { steps: step, reached, testAccuracy: acc, finalTrainLoss: recent.reduce((a, b) => a + b, 0) / Math.max(1, recent.length), curve, trainMs, evalMs };
}

/** Argmax predictions of `model` on every image of `s`. */
export function predict(model: Model, s: Split, batch = 256): Int32Array {
  const out = new Int32Array(s.n);
  const [H, W, C] = s.shape, sz = H * W * C;
  for (let i = 0; i < s.n; i += batch) {
    const b = Math.min(batch, s.n - i);
    const x = tf.tensor4d(s.images.subarray(i * sz, (i + b) * sz), [b, H, W, C]);
    const p = tf.tidy(() => tf.argMax(model.forward(x, { training: false }).logits, 1));
    out.set(p.dataSync() as Int32Array, i);
    tf.dispose([x, p]);
  }
  return out;
}
