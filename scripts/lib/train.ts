// The training loop: one function you can read in one sitting (nanoGPT's train.py, in tfjs).
//
//   const result = await train(createModel('vit_mini_patch4_28', {}, { seed: 0 }), fashionMnist(), { ...TRAIN_DEFAULTS, steps: 200 });
//
// batch → lr (three numbered cases) → forward/backward → AdamW → eval → log. Seeded: the same
// seed on the same backend gives the same numbers (tests/engine/determinism.test.ts).
import * as tf from '@tensorflow/tfjs';
import type { Model } from './nn/types';
import { fusedAdamW } from './engine/wasm';
import { mulberry32 } from './nn/rng';

/** Images NHWC in [0,1]-ish floats, labels as class ids. */
export interface Split {
  images: Float32Array;   // [n, H, W, C]
  labels: Int32Array;     // [n]
  n: number;
  shape: readonly [number, number, number]; // [H, W, C]
  numClasses: number;
}
export interface Data { train: Split; test: Split }

export interface TrainConfig {
  steps: number;          // optimiser steps
  batchSize: number;
  lr: number;             // peak learning rate (after warmup)
  minLr: number;          // floor of the cosine decay
  warmupSteps: number;
  weightDecay: number;    // decoupled (AdamW); not applied to biases, norms, embeddings' pos/cls
  beta1: number;
  beta2: number;
  eps: number;
  gradClip: number;       // global-norm clip; 0 = off
  evalEvery: number;      // steps between evals; 0 = only at the end
  evalSamples: number;    // test images per eval (0 = all)
  logEvery: number;       // steps between log lines; 0 = quiet
  seed: number;           // data order (the model's init seed is the model's business)
}

export const TRAIN_DEFAULTS: TrainConfig = {
  steps: 500, batchSize: 128, lr: 1e-3, minLr: 1e-5, warmupSteps: 50, weightDecay: 0.05,
  beta1: 0.9, beta2: 0.999, eps: 1e-8, gradClip: 1, evalEvery: 0, evalSamples: 0, logEvery: 0, seed: 0,
};

export interface TrainResult {
  metrics: {
    finalTrainLoss: number;           // mean loss over the last ≤20 steps
    testAccuracy: number;             // at the end, on evalSamples (or all) test images
    testLoss: number;
    curve: Array<{ step: number; lr: number; trainLoss: number; testAccuracy?: number; testLoss?: number }>;
  };
  timing: { wallMs: number; trainMs: number; evalMs: number; imagesPerSec: number; msPerStep: number };
}

/** lr schedule: 1) linear warmup, 2) cosine decay to minLr, 3) minLr after the end. */
export function getLr(step: number, c: Pick<TrainConfig, 'lr' | 'minLr' | 'warmupSteps' | 'steps'>): number {
  if (step < c.warmupSteps) return (c.lr * (step + 1)) / c.warmupSteps; // 1
  if (step >= c.steps) return c.minLr; // 3
  const t = (step - c.warmupSteps) / Math.max(1, c.steps - c.warmupSteps); // 2
  return c.minLr + 0.5 * (1 + Math.cos(Math.PI * t)) * (c.lr - c.minLr);
}

/** Decay only matrices/kernels: biases, norm scales and positional/cls tokens are exempt (as timm). */
export function decays(v: tf.Variable): boolean {
  return v.rank >= 2 && !/(^|[./_])(norm|ln|bn|bias|pos|cls|posemb|pos_embed|cls_token)/i.test(v.name);
}

/** Seeded PRNG for data order: the same mulberry32 the parameter store uses. */
export const rng = mulberry32;

export function permutation(n: number, rand: () => number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) { const j = Math.floor(rand() * (i + 1)); const t = p[i]!; p[i] = p[j]!; p[j] = t; }
  return p;
}

/** Gathers `idx` rows of a split into tensors x [b,H,W,C] and one-hot y [b,K]. */
export function gather(s: Split, idx: ArrayLike<number>): { x: tf.Tensor4D; y: tf.Tensor2D } {
  const [H, W, C] = s.shape, sz = H * W * C, b = idx.length;
  const xs = new Float32Array(b * sz), ys = new Int32Array(b);
  for (let i = 0; i < b; i++) { const j = idx[i]!; xs.set(s.images.subarray(j * sz, (j + 1) * sz), i * sz); ys[i] = s.labels[j]!; }
  return { x: tf.tensor4d(xs, [b, H, W, C]), y: tf.tidy(() => tf.oneHot(tf.tensor1d(ys, 'int32'), s.numClasses).toFloat() as tf.Tensor2D) };
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

/** AdamW (decoupled weight decay) with optional global-norm clipping; one m and v per parameter. */
export function adamW(vars: tf.Variable[], cfg: Pick<TrainConfig, 'beta1' | 'beta2' | 'eps' | 'weightDecay' | 'gradClip'>) {
  // On wasm the same maths runs as one fused pass per parameter (engine/wasm.ts).
  const fused = fusedAdamW(vars, cfg, decays);
  if (fused) return fused;
  const m = vars.map((v) => tf.variable(tf.zerosLike(v), false));
  const s = vars.map((v) => tf.variable(tf.zerosLike(v), false));
  const decay = vars.map(decays);
  return {
    step(grads: tf.NamedTensorMap, lr: number, step: number): void {
      tf.tidy(() => {
        const gs = vars.map((v) => grads[v.name]!);
        let scale: tf.Scalar | null = null;
        if (cfg.gradClip > 0) {
          const norm = tf.sqrt(tf.addN(gs.map((g) => tf.sum(tf.square(g)))));
          scale = tf.minimum(1, tf.div(cfg.gradClip, tf.add(norm, 1e-6))) as tf.Scalar;
        }
        const bc1 = 1 - cfg.beta1 ** (step + 1), bc2 = 1 - cfg.beta2 ** (step + 1);
        vars.forEach((v, i) => {
          const g = scale ? tf.mul(gs[i]!, scale) : gs[i]!;
          m[i]!.assign(tf.add(tf.mul(m[i]!, cfg.beta1), tf.mul(g, 1 - cfg.beta1)));
          s[i]!.assign(tf.add(tf.mul(s[i]!, cfg.beta2), tf.mul(tf.square(g), 1 - cfg.beta2)));
          const upd = tf.div(tf.div(m[i]!, bc1), tf.add(tf.sqrt(tf.div(s[i]!, bc2)), cfg.eps));
          const decayed = decay[i] ? tf.mul(v, 1 - lr * cfg.weightDecay) : v;
          v.assign(tf.sub(decayed, tf.mul(upd, lr)));
        });
      });
    },
    dispose: () => tf.dispose([...m, ...s]),
  };
}

export async function train(model: Model, data: Data, cfg: TrainConfig, log: (line: string) => void = (l) => process.stderr.write(l + '\n'), onStep?: (done: number, total: number) => void): Promise<TrainResult> {
  const t0 = performance.now();
  const vars = model.variables();
  const opt = adamW(vars, cfg);
  const rand = rng(cfg.seed);
  let order = permutation(data.train.n, rand), cursor = 0;
  const curve: TrainResult['metrics']['curve'] = [];
  const recent: number[] = [];
  let trainMs = 0, evalMs = 0;

  for (let step = 0; step < cfg.steps; step++) {
    const ts = performance.now();
    // 1. batch (reshuffle every epoch)
    if (cursor + cfg.batchSize > data.train.n) { order = permutation(data.train.n, rand); cursor = 0; }
    const { x, y } = gather(data.train, order.subarray(cursor, cursor + cfg.batchSize));
    cursor += cfg.batchSize;
    // 2. learning rate
    const lr = getLr(step, cfg);
    // 3. forward + backward
    const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, model.forward(x, { training: true }).logits) as tf.Scalar, vars);
    // 4. AdamW step (with optional global-norm clipping)
    opt.step(grads, lr, step);
    const loss = (await value.data())[0]!;
    tf.dispose([x, y, value, ...Object.values(grads)]);
    if (!Number.isFinite(loss)) throw new Error(`train: loss is ${loss} at step ${step} (lr ${lr})`);
    trainMs += performance.now() - ts;
    recent.push(loss);
    if (recent.length > 20) recent.shift();
    const point: TrainResult['metrics']['curve'][number] = { step, lr, trainLoss: loss };
    // 5. eval
    if (cfg.evalEvery > 0 && (step + 1) % cfg.evalEvery === 0 && step + 1 < cfg.steps) {
      const te = performance.now();
      const e = evaluate(model, data.test, cfg.evalSamples);
      evalMs += performance.now() - te;
      point.testAccuracy = e.accuracy; point.testLoss = e.loss;
    }
    curve.push(point);
    onStep?.(step + 1, cfg.steps);
    // 6. log
    if (cfg.logEvery > 0 && ((step + 1) % cfg.logEvery === 0 || step === 0)) {
      log(`step ${step + 1}/${cfg.steps} loss ${loss.toFixed(4)} lr ${lr.toExponential(2)}${point.testAccuracy !== undefined ? ` acc ${point.testAccuracy.toFixed(4)}` : ''}`);
    }
  }
  const te = performance.now();
  const final = evaluate(model, data.test, cfg.evalSamples);
  evalMs += performance.now() - te;
  opt.dispose();
  const wallMs = performance.now() - t0;
  return {
    metrics: {
      finalTrainLoss: recent.reduce((a, b) => a + b, 0) / Math.max(1, recent.length),
      testAccuracy: final.accuracy, testLoss: final.loss, curve,
    },
    timing: { wallMs, trainMs, evalMs, imagesPerSec: (cfg.steps * cfg.batchSize) / (trainMs / 1000), msPerStep: trainMs / Math.max(1, cfg.steps) },
  };
}
