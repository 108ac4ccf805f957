/**
 * Shared by the representation experiments (attention-distance, receptive-field, cka): the mini
 * models they analyse, trained once per (model, data regime, seed) under one budget and cached
 * in the weights cache (scripts/lib/train/weights.ts), so the experiments read the same networks.
 * Each experiment's unit JSON repeats the training facts it used, so it stays self-contained.
 *
 *   const { model, training } = await trainedMini('vit_mini_patch4_28', 'small', 0, trainCfg(cfg), ctx);
 *   const layers = layersOf(model.name);          // taps in depth order, with their geometry
 *
 * What the engine does not have and this file adds: augmentation in the training loop (random
 * shifts and horizontal flips), a fixed small subset of Fashion-MNIST, per-block taps for the
 * mini-ResNet and mini-Swin (the zoo taps stages only; the wrappers rebuild the same graph from the
 * zoo's exported blocks, with the same parameter paths, so initialisation and outputs are the
 * zoo's — tests/experiments/receptive-field.test.ts checks that), and weight save/load.
 */
import * as tf from '@tensorflow/tfjs';
import { fashionMnist } from '../lib/data/fashion-mnist';
import type { Json, RunContext, Unit } from '../lib/experiments/types';
import { basicBlock, blockName, dropPathRates, globalAvgPool, layerNorm, linear, patchEmbed, patchMerging, toMap } from '../lib/layers';
import type { Graph, T } from '../lib/nn/graph';
import { makeModel, type ZooModel } from '../lib/nn/model';
import { evaluate, subset, train, TRAIN_DEFAULTS, type Data } from '../lib/train';
import { cachedWeights, weightsKey } from '../lib/train/weights';
import { createModel, modelConfig } from '../models/index';
import { resnetStem, type ResNetConfig } from '../models/resnet';
import { swinBlock, type SwinConfig } from '../models/swin';
import { withWasmFixes } from './shape-bias/wasm-extra';

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

// ---- models with per-block taps --------------------------------------------------------------

/** resnet_mini_28 with a tap after every block (`stage1.block0` …), same graph and paths as the zoo's. */
function resnetWithBlockTaps(cfg: ResNetConfig) {
  return (g: Graph, x: T): T => {
    let y = g.tap(resnetStem(g.at('stem'), x, cfg), 'stem');
    cfg.layers.forEach((n, i) => {
      const st = g.at(`stage${i + 1}`);
      for (let j = 0; j < n; j++) {
        y = basicBlock(st.at(`block${j}`), y, cfg.widths[i]!, { stride: j === 0 && i > 0 ? 2 : 1, norm: cfg.norm, ws: cfg.stdConv, dropPath: cfg.dropPath });
        g.tap(y, `stage${i + 1}.block${j}`);
      }
    });
    return linear(g.at('fc'), g.tap(globalAvgPool(g, y), 'pre_logits'), cfg.numClasses);
  };
}

/** swin_mini_28 with a tap after every block (`stage1.block00` …), same graph and paths as the zoo's. */
function swinWithBlockTaps(cfg: SwinConfig) {
  return (g: Graph, x: T): T => {
    const { tokens, h, w } = patchEmbed(g.at('patch_embed'), x, cfg.embedDim, cfg.patchSize, { norm: true });
    let y = g.tap(toMap(g, tokens, h, w), 'stem'); // [B, 14, 14, C]
    const rates = dropPathRates(cfg.dropPath, cfg.depths.reduce((a, b) => a + b, 0));
    let k = 0;
    cfg.depths.forEach((depth, s) => {
      const st = g.at(`stage${s + 1}`);
      if (s > 0) y = patchMerging(st.at('downsample'), y);
      const [, H, W] = y.shape as [number, number, number, number];
      const window = Math.min(cfg.windowSize, H, W);
      const shiftable = Math.min(H, W) > cfg.windowSize;
      for (let j = 0; j < depth; j++, k++) {
        const shift = j % 2 === 1 && shiftable ? Math.floor(window / 2) : 0;
        y = swinBlock(st.at(blockName(k)), y, cfg.numHeads[s]!, window, shift, { mlpRatio: cfg.mlpRatio, qkvBias: cfg.qkvBias, dropPath: rates[k]! });
        g.tap(y, `stage${s + 1}.${blockName(k)}`);
      }
    });
    y = layerNorm(g.at('norm'), y);
    return linear(g.at('head'), g.tap(globalAvgPool(g, y), 'pre_logits'), cfg.numClasses);
  };
}

/** A fresh, seeded mini model whose taps include every block's output. */
export function miniModel(name: string, seed: number): ZooModel {
  const cfg = modelConfig(name);
  const spec = (build: (g: Graph, x: T) => T) =>
    makeModel({ name, config: Object.freeze(cfg), inputShape: [cfg.imgSize, cfg.imgSize, cfg.inChans], numClasses: cfg.numClasses, build }, seed);
  switch (name) {
    case 'resnet_mini_28': return spec(resnetWithBlockTaps(cfg as unknown as ResNetConfig));
    case 'swin_mini_28': return spec(swinWithBlockTaps(cfg as unknown as SwinConfig));
    default: return createModel(name, {}, { seed });
  }
}

/** A layer the experiments read: its tap, relative depth in (0, 1], and geometry on the 28 px input. */
export interface LayerTap {
  tap: string;
  /** Short label for charts: 'stem', 'b1' … */
  label: string;
  kind: 'map' | 'tokens';
  /** Spatial grid of the layer's units and px per grid step. */
  grid: [number, number];
  cellPx: number;
  /** Leading position-less tokens (class token). */
  prefix: number;
}

/** Every block output in depth order (stem first), from one tapped forward pass. */
export function layersOf(model: ZooModel): LayerTap[] {
  // Shapes only; tidy frees every intermediate of the forward pass.
  const shapes = tf.tidy(() => {
    const { taps } = model.forward(tf.zeros([1, ...model.inputShape]) as tf.Tensor4D, { training: false, taps: true });
    return Object.entries(taps).map(([name, t]) => ({ name, rank: t.rank, shape: t.shape }));
  });
  const side = model.inputShape[0];
  const out: LayerTap[] = [];
  let b = 0;
  for (const { name, ...t } of shapes) {
    const isBlock = name === 'stem' || /(^|\.)block\d+$/.test(name);
    if (!isBlock) continue;
    if (t.rank === 4) {
      const [, h, w] = t.shape as number[];
      out.push({ tap: name, label: name === 'stem' ? 'stem' : `b${++b}`, kind: 'map', grid: [h!, w!], cellPx: side / h!, prefix: 0 });
    } else {
      const T = t.shape[1]!;
      const g = Math.round(Math.sqrt(T - 1)) ** 2 === T - 1 ? Math.round(Math.sqrt(T - 1)) : Math.round(Math.sqrt(T));
      const prefix = T - g * g;
      out.push({ tap: name, label: name === 'stem' ? 'stem' : `b${++b}`, kind: 'tokens', grid: [g, g], cellPx: side / g, prefix });
    }
  }
  return out;
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
 * Swin trained before the wasm Transpose fix (see withWasmFixes) got wrong gradients in its
 * one-window stage: its weights carry a tag so that such a cache file is never reused. The other
 * minis' gradients match the cpu backend with or without the fix (checked), so their keys stay.
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
  const model = miniModel(name, seed);
  if (regime === 'init') {
    const e = evaluate(model, regimeData('full', b).test, b.testImages);
    progress(1);
    return { model, training: { model: name, regime, seed, trainImages: 0, testAccuracy: e.accuracy, finalTrainLoss: NaN, trainSeconds: 0, imagesPerSec: 0, fromCache: false } };
  }
  const key = weightsKey(name, { regime, seed, budget: TRAIN_KEYS.map((k) => b[k]), tag: KEY_TAG[name] ?? null });
  const { meta, cached } = await cachedWeights<TrainingFacts>(model, key, async () => {
    ctx.log(`training ${name} (${regime}, seed ${seed}): ${b.steps} steps × ${b.batchSize}`);
    const restore = withWasmFixes(); // Transpose of size-1 axes (Swin), until the engine fixes it
    try {
      return { model: name, regime, seed, ...(await trainBudget(model, regimeData(regime, b), b, seed, ctx, progress)), fromCache: false };
    } finally {
      restore();
    }
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

/** A unit's measurement with the wasm fixes on: the engine's Transpose bug (size-1 axes) breaks Swin's one-window stage. */
export async function underWasmFixes<T>(measure: () => Promise<T>): Promise<T> {
  const restore = withWasmFixes();
  try {
    return await measure();
  } finally {
    restore();
  }
}

// ---- statistics ------------------------------------------------------------------------------

/** Mean and 95% t-interval over seeds, over the finite values (one value: a zero-width interval). */
export { meanCi95Finite as meanCi95 } from '../lib/metrics/seed-stats';

/** values.json content: only finite numbers (a partial run leaves some undefined). */
export function valuesFile(id: string, values: Record<string, { value: number; unit?: string }>): { id: string; values: Record<string, { value: number; unit?: string }> } {
  return { id, values: Object.fromEntries(Object.entries(values).filter(([, v]) => Number.isFinite(v.value))) };
}

export const round = (x: number, d = 4): number => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : x);

/** The training budget in words, for verdict.budget (both languages). */
export function budgetText(b: TrainBudget, models: { en: string; ja: string }, seeds: number): { en: string; ja: string } {
  const aug = `random shifts of up to ±${b.augShift} px${b.augFlip ? ' and horizontal flips' : ''}`;
  const augJa = `最大 ±${b.augShift} px の平行移動${b.augFlip ? 'と左右反転' : ''}`;
  return {
    en: `${models.en}; each trained from scratch on Fashion-MNIST for ${b.steps} steps of batch ${b.batchSize} (AdamW, peak lr ${b.lr}, ${b.warmupSteps} warmup steps then cosine decay, weight decay ${b.weightDecay}), with ${aug}, on either ${b.smallN} images (small) or all 60,000 (full); ${seeds} seeds each.`,
    ja: `${models.ja}。いずれも Fashion-MNIST でゼロから ${b.steps} ステップ（バッチ ${b.batchSize}、AdamW、最大学習率 ${b.lr}、${b.warmupSteps} ステップのウォームアップ後にコサイン減衰、weight decay ${b.weightDecay}）学習し、データ拡張は${augJa}。学習画像は ${b.smallN} 枚（小データ）または 60,000 枚すべて（全データ）。各 ${seeds} シード。`,
  };
}
