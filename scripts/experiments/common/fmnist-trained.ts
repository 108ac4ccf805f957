/**
 * Mini models trained on Fashion-MNIST with one shared recipe, trained once per (model, seed) and
 * cached, so frequency-noise (C2) and robustness (C3) probe the very same weights.
 *
 *   const { model, training } = await trainedModel('vit_mini_patch4_28', 0, RECIPES.full, ctx);
 *
 * The weights go to the shared weights cache (scripts/lib/train/weights.ts; recreated by training when missing). They
 * are a cache only: each experiment's unit JSON records the training metrics it needs, so the
 * committed results never depend on these files. The file name carries a hash of everything that
 * determines the weights (model config, recipe, seed, the cache's version).
 */
import { fashionMnist } from '../../lib/data/fashion-mnist';
import { train, TRAIN_DEFAULTS } from '../../lib/train';
import { cachedWeights, weightsKey } from '../../lib/train/weights';
import { createModel, modelConfig } from '../../../models/index';
import type { ZooModel } from '../../../models/nn/model';

/** The equal training budget: same data, steps, batch, optimiser and schedule for every model; no augmentation. */
export interface Recipe {
  trainLimit: number;   // first n training images (0 = all 60k)
  steps: number;
  batchSize: number;
  lr: number;           // AdamW peak, linear warmup then cosine decay (scripts/lib/train/optim.ts)
  warmupSteps: number;
  weightDecay: number;
}

export const RECIPES: Readonly<Record<'quick' | 'full', Recipe>> = {
  quick: { trainLimit: 2048, steps: 12, batchSize: 32, lr: 2e-3, warmupSteps: 3, weightDecay: 0.05 },
  full: { trainLimit: 0, steps: 250, batchSize: 64, lr: 2e-3, warmupSteps: 25, weightDecay: 0.05 },
};

export interface TrainingRecord {
  model: string;
  seed: number;
  recipe: Recipe;
  params: number;
  finalTrainLoss: number;
  trainWallMs: number;
  imagesPerSec: number;
  weightsKey: string;
}

export function weightsKeyOf(name: string, seed: number, recipe: Recipe): string {
  return weightsKey(name, { config: modelConfig(name), recipe, seed });
}

interface Ctx { log(line: string): void; progress?(done: number, total: number): void }

/** The (model, seed) trained with `recipe`: from the cache, or trained now and cached. */
export async function trainedModel(name: string, seed: number, recipe: Recipe, ctx: Ctx): Promise<{ model: ZooModel; training: TrainingRecord; cached: boolean }> {
  const key = weightsKeyOf(name, seed, recipe);
  const model = createModel(name, {}, { seed });
  const { meta: training, cached } = await cachedWeights<TrainingRecord>(model, key, async () => {
    const data = fashionMnist({ trainLimit: recipe.trainLimit, testLimit: 0 }); // same cache key as the experiments
    const r = await train(model, data, {
      ...TRAIN_DEFAULTS, steps: recipe.steps, batchSize: recipe.batchSize, lr: recipe.lr, warmupSteps: recipe.warmupSteps,
      weightDecay: recipe.weightDecay, seed, evalEvery: 0, evalSamples: 1000, logEvery: Math.max(1, Math.floor(recipe.steps / 6)),
    }, { log: ctx.log, progress: ctx.progress });
    return {
      model: name, seed, recipe, params: model.variables().reduce((s, v) => s + v.size, 0),
      finalTrainLoss: r.metrics.finalTrainLoss, trainWallMs: Math.round(r.timing.wallMs), imagesPerSec: r.timing.imagesPerSec, weightsKey: key,
    };
  }, ctx.log);
  if (cached) ctx.log(`weights from cache ${key}`);
  return { model, training, cached };
}
