// The training loop: one function you can read in one sitting (nanoGPT's train.py, in tfjs).
//
//   const r = await train(createModel('vit_mini_patch4_28', {}, { seed: 0 }), fashionMnist(), { ...TRAIN_DEFAULTS, steps: 200 });
//
// batch → lr (numbered cases in optim.ts) → forward/backward → AdamW → eval → log. Every experiment and
// the model pool train through it; what differs is configuration: the stop criterion (`steps`, `epochs`,
// `stopAt`), the schedule, augmentation, label smoothing, and hooks (an eval point, a per-eval checkpoint).
// Evaluations read `data.val` when there is one, else `data.test`; with `keepBest` the weights of the best
// evaluation are restored at the end (pick checkpoints on a validation split, never on the test set).
// Seeded: the same seed on the same backend gives the same numbers (tests/engine/determinism.test.ts).
import * as tf from '@tensorflow/tfjs';
import type { Model } from '../../../models/nn/types';
import { BatchStream, gather, rng, type Data, type Split } from './batches';
import { adamW, getLr, type OptimConfig, type Schedule } from './optim';

export interface TrainConfig extends OptimConfig {
  steps: number;          // optimiser steps (ignored when epochs > 0)
  epochs: number;         // passes over data.train (⌊n / batch⌋ steps each); 0 = use steps
  batchSize: number;
  lr: number;             // peak learning rate (after warm-up)
  minLr: number;          // floor of the cosine decay
  warmupSteps: number;
  schedule: Schedule;     // after warm-up: 'cosine' to minLr, or 'constant'
  labelSmoothing: number; // 0 = plain cross-entropy
  augShift: number;       // random translation ± px (zero fill); 0 = none
  augFlip: boolean;       // random horizontal flip
  evalEvery: number;      // steps between evals (0 = only at the end; the last step always evaluates)
  evalSamples: number;    // eval images per eval (0 = all)
  stopAt: number;         // eval accuracy that ends training at once (0 = off)
  keepBest: boolean;      // end with the weights of the most accurate eval
  logEvery: number;       // steps between log lines; 0 = quiet
  seed: number;           // data order and augmentation (the model's init seed is the model's business)
}

export const TRAIN_DEFAULTS: TrainConfig = {
  steps: 500, epochs: 0, batchSize: 128, lr: 1e-3, minLr: 1e-5, warmupSteps: 50, schedule: 'cosine', weightDecay: 0.05,
  beta1: 0.9, beta2: 0.999, eps: 1e-8, gradClip: 1, labelSmoothing: 0, augShift: 0, augFlip: false,
  evalEvery: 0, evalSamples: 0, stopAt: 0, keepBest: false, logEvery: 0, seed: 0,
};

/** One evaluation during training. `step` counts the optimiser steps done. */
export interface EvalPoint {
  step: number;
  epoch: number;            // step / steps-per-epoch (fractional between epoch ends)
  lr: number;
  trainLoss: number;        // the last step's loss
  meanTrainLoss: number;    // mean over the steps since the previous eval
  trainAccuracy: number;    // on the (augmented) batches since the previous eval
  accuracy: number;         // on the eval split
  loss: number;
}

/** The state after an eval: enough to resume the run exactly (weights and optimiser moments per variable). */
export interface Checkpoint {
  step: number;
  weights: Float32Array[];
  moments: Float32Array[] | null;
  evals: EvalPoint[];
  best: { step: number; accuracy: number; weights: Float32Array[] } | null;
}

export interface TrainHooks {
  log?(line: string): void;
  progress?(done: number, total: number): void;
  /** After every eval, with the state to save; a resumed run passes the last one back as `resume`. */
  checkpoint?(c: Checkpoint): void | Promise<void>;
  resume?: Checkpoint | null;
  /** After every eval: true ends training there (early stopping on the evals so far; `done` of `steps` planned). */
  stop?(evals: readonly EvalPoint[], done: number, steps: number): boolean;
}

export interface TrainResult {
  metrics: {
    finalTrainLoss: number;           // mean loss over the last ≤20 steps
    testAccuracy: number;             // the last eval's (or, with keepBest, the best eval's) accuracy
    testLoss: number;
    steps: number;                    // optimiser steps done (fewer than planned when stopAt was met)
    reached: boolean;                 // stopAt was met
    bestStep: number;                 // the step whose weights the model ends with
    curve: Array<{ step: number; lr: number; trainLoss: number; testAccuracy?: number; testLoss?: number }>;
    evals: EvalPoint[];
  };
  timing: { wallMs: number; trainMs: number; evalMs: number; imagesPerSec: number; msPerStep: number };
}

/** Accuracy and mean loss of `model` on the first `limit` images of `s` (all if 0). */
export function evaluate(model: Model, s: Split, limit = 0, batch = 256): { accuracy: number; loss: number } {
  const n = limit > 0 ? Math.min(limit, s.n) : s.n;
  let correct = 0, lossSum = 0;
  for (let i = 0; i < n; i += batch) {
    const idx = Array.from({ length: Math.min(batch, n - i) }, (_, k) => i + k);
    const { x, y } = gather(s, idx);
    const [c, l] = tf.tidy(() => {
      const logits = model.forward(x, { training: false }).logits;
      const hit = tf.equal(tf.argMax(logits, 1), tf.argMax(y, 1)).sum();
      return [hit.dataSync()[0]!, tf.losses.softmaxCrossEntropy(y, logits, undefined, undefined, tf.Reduction.SUM).dataSync()[0]!];
    });
    correct += c; lossSum += l;
    x.dispose(); y.dispose();
  }
  return { accuracy: correct / n, loss: lossSum / n };
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

const snapshot = (vars: readonly tf.Variable[]): Float32Array[] => vars.map((v) => (v.dataSync() as Float32Array).slice());
function restore(vars: readonly tf.Variable[], values: readonly Float32Array[]): void {
  if (values.length !== vars.length) throw new Error(`checkpoint has ${values.length} tensors, the model ${vars.length}`);
  vars.forEach((v, i) => {
    if (values[i]!.length !== v.size) throw new Error(`checkpoint tensor ${i} has ${values[i]!.length} values, ${v.name} ${v.size}`);
    tf.tidy(() => v.assign(tf.tensor(values[i]!, v.shape, 'float32')));
  });
}

/** Checks the numbers a caller (or a command line) can get wrong, naming the key and the allowed range. */
export function checkTrainConfig(cfg: TrainConfig): void {
  const bad = (k: keyof TrainConfig, want: string) => { throw new Error(`train: ${k} = ${JSON.stringify(cfg[k])}; it must be ${want}`); };
  if (!Number.isInteger(cfg.epochs) || cfg.epochs < 0) bad('epochs', 'an integer ≥ 0');
  if (cfg.epochs === 0 && (!Number.isInteger(cfg.steps) || cfg.steps < 1)) bad('steps', 'an integer ≥ 1 (or set epochs)');
  if (!Number.isInteger(cfg.batchSize) || cfg.batchSize < 1) bad('batchSize', 'an integer ≥ 1');
  if (!(cfg.lr > 0)) bad('lr', '> 0');
  if (!(cfg.minLr >= 0)) bad('minLr', '≥ 0');
  if (!Number.isInteger(cfg.warmupSteps) || cfg.warmupSteps < 0) bad('warmupSteps', 'an integer ≥ 0');
  if (!(cfg.labelSmoothing >= 0 && cfg.labelSmoothing < 1)) bad('labelSmoothing', 'in [0, 1)');
  if (!Number.isInteger(cfg.augShift) || cfg.augShift < 0) bad('augShift', 'an integer ≥ 0');
  if (!Number.isInteger(cfg.evalEvery) || cfg.evalEvery < 0) bad('evalEvery', 'an integer ≥ 0');
  if (!(cfg.stopAt >= 0 && cfg.stopAt <= 1)) bad('stopAt', 'in [0, 1]');
}

export async function train(model: Model, data: Data, cfg: TrainConfig, hooks: TrainHooks = {}): Promise<TrainResult> {
  checkTrainConfig(cfg);
  const log = hooks.log ?? ((l: string) => process.stderr.write(l + '\n'));
  const t0 = performance.now();
  const vars = model.variables();
  const opt = adamW(vars, cfg);
  const aug = cfg.augShift > 0 || cfg.augFlip ? { shift: cfg.augShift, flip: cfg.augFlip } : null;
  const batches = new BatchStream(data.train.n, cfg.batchSize, rng(cfg.seed), aug);
  const steps = cfg.epochs > 0 ? cfg.epochs * batches.stepsPerEpoch : cfg.steps;
  const sched = { ...cfg, steps };
  const evalSplit = data.val ?? data.test;
  const curve: TrainResult['metrics']['curve'] = [];
  const evals: EvalPoint[] = [];
  const recent: number[] = [];
  let best: Checkpoint['best'] = null;
  let trainMs = 0, evalMs = 0, first = 0, reached = false, stopped = false;
  let since = { loss: 0, hits: 0, seen: 0, steps: 0 };

  if (hooks.resume) {
    const r = hooks.resume;
    if (!opt.moments) throw new Error('train: this optimiser does not expose its moments, so a checkpoint cannot resume it exactly');
    restore(vars, r.weights);
    if (!r.moments) throw new Error('train: the checkpoint has no optimiser moments');
    restore(opt.moments(), r.moments);
    batches.skip(r.step);
    evals.push(...r.evals);
    best = r.best;
    first = r.step;
  }

  for (let step = first; step < steps; step++) {
    const ts = performance.now();
    // 1. batch (shuffled each epoch, augmented)
    const { x, y } = batches.batch(data.train);
    // 2. learning rate
    const lr = getLr(step, sched);
    // 3. forward + backward (the batch's hits are counted on the side; they do not enter the loss)
    let hits: tf.Scalar | null = null;
    const { value, grads } = tf.variableGrads(() => {
      const logits = model.forward(x, { training: true }).logits;
      hits = tf.keep(tf.equal(tf.argMax(logits, 1), tf.argMax(y, 1)).sum() as tf.Scalar);
      return tf.losses.softmaxCrossEntropy(y, logits, undefined, cfg.labelSmoothing) as tf.Scalar;
    }, vars);
    // 4. AdamW step (with optional global-norm clipping)
    opt.step(grads, lr, step);
    const loss = (await value.data())[0]!;
    const hit = hits ? (hits as tf.Scalar).dataSync()[0]! : 0;
    tf.dispose([x, y, value, ...Object.values(grads), ...(hits ? [hits] : [])]);
    if (!Number.isFinite(loss)) throw new Error(`train: loss is ${loss} at step ${step} (lr ${lr})`);
    trainMs += performance.now() - ts;
    recent.push(loss);
    if (recent.length > 20) recent.shift();
    since = { loss: since.loss + loss, hits: since.hits + hit, seen: since.seen + cfg.batchSize, steps: since.steps + 1 };
    const point: TrainResult['metrics']['curve'][number] = { step, lr, trainLoss: loss };
    // 5. eval (every evalEvery steps, and after the last)
    const done = step + 1;
    if ((cfg.evalEvery > 0 && done % cfg.evalEvery === 0) || done === steps) {
      const te = performance.now();
      const e = evaluate(model, evalSplit, cfg.evalSamples);
      evalMs += performance.now() - te;
      point.testAccuracy = e.accuracy; point.testLoss = e.loss;
      const ep: EvalPoint = {
        step: done, epoch: done / batches.stepsPerEpoch, lr, trainLoss: loss, meanTrainLoss: since.loss / since.steps,
        trainAccuracy: since.hits / since.seen, accuracy: e.accuracy, loss: e.loss,
      };
      evals.push(ep);
      since = { loss: 0, hits: 0, seen: 0, steps: 0 };
      if (cfg.keepBest && (!best || e.accuracy > best.accuracy)) best = { step: done, accuracy: e.accuracy, weights: snapshot(vars) };
      reached = cfg.stopAt > 0 && e.accuracy >= cfg.stopAt;
      stopped = hooks.stop?.(evals, done, steps) ?? false;
      if (hooks.checkpoint) await hooks.checkpoint({ step: done, weights: snapshot(vars), moments: opt.moments ? snapshot(opt.moments()) : null, evals: [...evals], best });
    }
    curve.push(point);
    hooks.progress?.(done, steps);
    // 6. log
    if (cfg.logEvery > 0 && (done % cfg.logEvery === 0 || step === 0)) {
      log(`step ${done}/${steps} loss ${loss.toFixed(4)} lr ${lr.toExponential(2)}${point.testAccuracy !== undefined ? ` acc ${point.testAccuracy.toFixed(4)}` : ''}`);
    }
    if (reached || stopped) break;
  }
  opt.dispose();
  const last = evals[evals.length - 1];
  if (!last) throw new Error(`train: no evaluation was made (${steps} steps planned, resumed at ${first})`);
  let final = { step: last.step, accuracy: last.accuracy, loss: last.loss };
  if (cfg.keepBest && best && best.step !== last.step) {
    restore(vars, best.weights);
    final = { step: best.step, accuracy: best.accuracy, loss: evals.find((p) => p.step === best!.step)!.loss };
  }
  const stepsDone = last.step, ran = stepsDone - first;
  const wallMs = performance.now() - t0;
  return {
    metrics: {
      finalTrainLoss: recent.reduce((a, b) => a + b, 0) / Math.max(1, recent.length),
      testAccuracy: final.accuracy, testLoss: final.loss, steps: stepsDone, reached, bestStep: final.step, curve, evals,
    },
    timing: { wallMs, trainMs, evalMs, imagesPerSec: (ran * cfg.batchSize) / (trainMs / 1000), msPerStep: trainMs / Math.max(1, ran) },
  };
}
