/**
 * The trained minis of the C6 experiments (loss-landscape, hessian) and the data they read.
 *
 * Training is not done here: every (model, regime, seed) comes from `trainedMini` in
 * ../_representations.ts, the one trainer and weight cache (.cache/trained-minis/) of this issue's
 * experiments, so attention-distance, receptive-field, cka, loss-landscape and hessian analyse the
 * same networks under one budget (AdamW, warmup + cosine, ±2 px shifts and horizontal flips,
 * TRAIN_BUDGET). Whichever experiment asks first trains and caches; the others load. Each unit
 * JSON repeats the training facts, so it stands alone.
 *
 *   const { model, training } = await trainedC6('vit_mini_patch4_28', 'small', 0, cfg, ctx);
 */
import * as tf from '@tensorflow/tfjs';
import type { Json, RunContext } from '../../lib/experiments/types';
import type { Split } from '../../lib/train';
import { regimeData, trainCfg, trainedMini, type TrainBudget, type TrainingFacts } from '../_representations';
import { ensureSegmentSumKernel } from './model-ops';

export type C6Regime = 'small' | 'full';

export function asRegime(r: Json | undefined): C6Regime {
  if (r === 'small' || r === 'full') return r;
  throw new Error(`C6: unknown regime '${String(r)}' (small | full)`);
}

/** The shared trained mini (weights from the issue-wide cache, or trained now and cached). */
export async function trainedC6(name: string, regime: C6Regime, seed: number, cfg: Record<string, Json>, ctx: RunContext, progress: (f: number) => void = () => {}) {
  ensureSegmentSumKernel(); // Swin's gather needs it to train on wasm
  return trainedMini(name, regime, seed, trainCfg(cfg), ctx, progress);
}

export function budgetOf(cfg: Record<string, Json>): TrainBudget {
  return trainCfg(cfg);
}

/** The training split of a regime: the fixed 2000-image subset, or all 60k. */
export function trainSplit(regime: C6Regime, cfg: Record<string, Json>): Split {
  return regimeData(regime, trainCfg(cfg)).train;
}

export type { TrainingFacts };

/** Random shift of up to `pad` px (zero fill) and horizontal flip with p = ½, as in training. */
export function augmentBatch(src: Float32Array, b: number, H: number, W: number, pad: number, flip: boolean, rand: () => number, out = new Float32Array(src.length)): Float32Array {
  const sz = H * W;
  for (let n = 0; n < b; n++) {
    const dy = pad ? Math.floor(rand() * (2 * pad + 1)) - pad : 0;
    const dx = pad ? Math.floor(rand() * (2 * pad + 1)) - pad : 0;
    const fl = flip && rand() < 0.5;
    const o = n * sz;
    for (let y = 0; y < H; y++) {
      const sy = y - dy;
      for (let x = 0; x < W; x++) {
        const sx = x - dx;
        const tx = fl ? W - 1 - x : x;
        out[o + y * W + tx] = sy >= 0 && sy < H && sx >= 0 && sx < W ? src[o + sy * W + sx]! : 0;
      }
    }
  }
  return out;
}

/** Rows `idx` of a split as float arrays (images [b, H, W, C], labels). */
export function rowsOf(s: Split, idx: ArrayLike<number>): { images: Float32Array; labels: Int32Array } {
  const [H, W, C] = s.shape, sz = H * W * C, b = idx.length;
  const images = new Float32Array(b * sz), labels = new Int32Array(b);
  for (let i = 0; i < b; i++) { const j = idx[i]!; images.set(s.images.subarray(j * sz, (j + 1) * sz), i * sz); labels[i] = s.labels[j]!; }
  return { images, labels };
}

export function toTensors(images: Float32Array, labels: Int32Array, shape: readonly [number, number, number], classes: number): { x: tf.Tensor4D; y: tf.Tensor2D } {
  const b = labels.length;
  return { x: tf.tensor4d(images, [b, ...shape]), y: tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), classes).toFloat() as tf.Tensor2D) };
}
