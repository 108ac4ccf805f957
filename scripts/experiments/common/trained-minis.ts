/**
 * The trained minis of the representation and C6 experiments (attention-distance, receptive-field,
 * cka, loss-landscape, hessian): trained once per (model, data regime, seed) under one budget through
 * the shared loop and weights cache (scripts/lib/train/), so every experiment reads the same networks.
 * Each experiment's unit JSON repeats the training facts it used, so it stays self-contained.
 *
 *   const { model, training } = await trainedMini('vit_mini_patch4_28', 'small', 0, trainCfg(cfg), ctx);
 */
import * as tf from '@tensorflow/tfjs';
import { fashionMnist } from '../../lib/data/fashion-mnist';
import type { Json, RunContext, Unit } from '../../lib/experiments/types';
import type { ZooModel } from '../../../models/nn/model';
import { evaluate, subset, train, TRAIN_DEFAULTS, type Data, type Split } from '../../lib/train';
import { cachedWeights, weightsKey } from '../../lib/train/weights';
import { createModel } from '../../../models/index';

/** The training budget, identical for every model and regime of the three experiments. */
export const TRAIN_KEYS = ['steps', 'batchSize', 'lr', 'warmupSteps', 'weightDecay', 'smallN', 'augShift', 'augFlip', 'testImages'] as const;
export interface TrainBudget {
  steps: number;        // optimiser steps (same for every model and both regimes)
  batchSize: number;
  lr: number;           // AdamW peak, linear warmup then cosine to lr/100
  warmupSteps: number;
  weightDecay: number;
  smallN: number;       // images in the small-data regime (a fixed random subset of the 60k)
  augShift: number;     // random translation, ± px (zero fill)
  augFlip: boolean;     // random horizontal flip
  testImages: number;   // test images for the reported accuracy
}
export const TRAIN_BUDGET: TrainBudget = { steps: 300, batchSize: 64, lr: 1e-3, warmupSteps: 30, weightDecay: 0.05, smallN: 2000, augShift: 2, augFlip: true, testImages: 2000 };
export const TRAIN_BUDGET_QUICK: Partial<TrainBudget> = { steps: 8, batchSize: 16, warmupSteps: 2, smallN: 256, testImages: 64 };

/** 'init': the untrained network (a control: what similarity comes from the architecture alone). */
export type Regime = 'small' | 'full' | 'init';

export function trainCfg(cfg: Record<string, Json>): TrainBudget {
  const out = {} as Record<string, Json>;
  for (const k of TRAIN_KEYS) {
    if (!(k in cfg)) throw new Error(`config lacks training key '${k}'`);
    out[k] = cfg[k]!;
  }
  return out as unknown as TrainBudget;
}

// ---- the two data regimes --------------------------------------------------------------------

/** The small regime's images: the first smallN of this seeded permutation of the 60k (the same for every seed). */
const SMALL_SUBSET_SEED = 20210611;

export function regimeData(regime: Regime, b: TrainBudget): Data {
  const all = fashionMnist({ testLimit: Math.max(b.testImages, 1024) });
  return regime === 'small' ? { train: subset(all.train, b.smallN, SMALL_SUBSET_SEED), test: all.test } : all;
}

/** The first n test images as a tensor [n, 28, 28, 1]: the shared analysis batch. */
export function analysisImages(n: number): tf.Tensor4D {
  const t = fashionMnist({ testLimit: Math.max(n, 1024) }).test;
  const [H, W, C] = t.shape;
  return tf.tensor4d(t.images.subarray(0, n * H * W * C), [n, H, W, C]);
}

// ---- training (once) and the weight cache -----------------------------------------------------

export interface TrainingFacts {
  model: string;
  regime: Regime;
  seed: number;
  trainImages: number;
  testAccuracy: number;
  finalTrainLoss: number;
  trainSeconds: number;
  imagesPerSec: number;
  /** True when the weights came from the weights cache (trained by an earlier unit). */
  fromCache: boolean;
}

/**
 * Swin trained before the engine's Transpose fix (size-1 axes) got wrong gradients in its one-window
 * stage: its weights carry a tag so that such a cache file is never reused.
 */
const KEY_TAG: Record<string, string> = { swin_mini_28: 'transpose-fix' };

/** The shared loop with this budget: AdamW, warm-up then cosine to lr/100, global-norm clip 1, augmented batches. */
async function trainBudget(model: ZooModel, data: Data, b: TrainBudget, seed: number, ctx: RunContext, progress: (f: number) => void): Promise<Omit<TrainingFacts, 'model' | 'regime' | 'seed' | 'fromCache'>> {
  const r = await train(model, data, {
    ...TRAIN_DEFAULTS, steps: b.steps, batchSize: b.batchSize, lr: b.lr, minLr: b.lr / 100, warmupSteps: b.warmupSteps, weightDecay: b.weightDecay,
    gradClip: 1, augShift: b.augShift, augFlip: b.augFlip, evalSamples: b.testImages, seed: 1000 + seed, logEvery: Math.max(1, Math.floor(b.steps / 4)),
  }, { log: (l) => ctx.log(`${model.name} ${l}`), progress: (d, t) => progress(d / t) });
  const trainSeconds = r.timing.trainMs / 1000;
  return { trainImages: data.train.n, testAccuracy: r.metrics.testAccuracy, finalTrainLoss: r.metrics.finalTrainLoss, trainSeconds, imagesPerSec: r.timing.imagesPerSec };
}

/** The trained model for (name, regime, seed): from the weights cache, or trained now and cached. */
export async function trainedMini(name: string, regime: Regime, seed: number, b: TrainBudget, ctx: RunContext, progress: (f: number) => void = () => {}): Promise<{ model: ZooModel; training: TrainingFacts }> {
  const model = createModel(name, {}, { seed });
  if (regime === 'init') {
    const e = evaluate(model, regimeData('full', b).test, b.testImages);
    progress(1);
    return { model, training: { model: name, regime, seed, trainImages: 0, testAccuracy: e.accuracy, finalTrainLoss: NaN, trainSeconds: 0, imagesPerSec: 0, fromCache: false } };
  }
  const key = weightsKey(name, { regime, seed, budget: TRAIN_KEYS.map((k) => b[k]), tag: KEY_TAG[name] ?? null });
  const { meta, cached } = await cachedWeights<TrainingFacts>(model, key, async () => {
    ctx.log(`training ${name} (${regime}, seed ${seed}): ${b.steps} steps × ${b.batchSize}`);
    return { model: name, regime, seed, ...(await trainBudget(model, regimeData(regime, b), b, seed, ctx, progress)), fromCache: false };
  }, ctx.log);
  progress(1);
  return { model, training: cached ? { ...meta, fromCache: true } : meta };
}

// ---- units and their run -----------------------------------------------------------------------

/** One unit per 'model:regime' entry of `series` and seed, keyed `<model>-<regime>-s<seed>`. */
export function seriesUnits(series: readonly string[], seeds: number): Unit[] {
  return series.flatMap((s) => {
    const [model, regime] = s.split(':') as [string, Regime];
    return Array.from({ length: seeds }, (_, seed) => ({ key: `${model}-${regime}-s${seed}`, seed, model, regime }));
  });
}

/** The trained mini a series unit names; its training is the first `share` of the unit's progress. */
export function trainedSeriesMini(unit: Unit, cfg: Record<string, Json>, ctx: RunContext, share: number): Promise<{ model: ZooModel; training: TrainingFacts }> {
  return trainedMini(String(unit.model), unit.regime as Regime, unit.seed, trainCfg(cfg), ctx, (f) => ctx.progress(f * share, 1));
}

// ---- the C6 experiments' view: regimes with training data only ------------------------------------

export type TrainedRegime = 'small' | 'full';

export function asRegime(r: Json | undefined): TrainedRegime {
  if (r === 'small' || r === 'full') return r;
  throw new Error(`unknown regime '${String(r)}' (small | full)`);
}

/** The training split of a regime: the fixed 2000-image subset, or all 60k. */
export function trainSplit(regime: TrainedRegime, cfg: Record<string, Json>): Split {
  return regimeData(regime, trainCfg(cfg)).train;
}
