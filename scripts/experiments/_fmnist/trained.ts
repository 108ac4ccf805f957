/**
 * Mini models trained on Fashion-MNIST with one shared recipe, trained once per (model, seed) and
 * cached, so frequency-noise (C2) and robustness (C3) probe the very same weights.
 *
 *   const { model, training } = await trainedModel('vit_mini_patch4_28', 0, RECIPES.full, ctx);
 *
 * The weights go to .cache/weights/fmnist/ (gitignored; recreated by training when missing). They
 * are a cache only: each experiment's unit JSON records the training metrics it needs, so the
 * committed results never depend on these files. The file name carries a hash of everything that
 * determines the weights (model config, recipe, seed, RECIPE_VERSION).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { fashionMnist } from '../../lib/data/fashion-mnist';
import { stableStringify } from '../../lib/experiments/cache';
import { train, TRAIN_DEFAULTS } from '../../lib/train';
import { createModel, modelConfig } from '../../models/index';
import type { ZooModel } from '../../lib/nn/model';

/** Bump when the training code path changes what a recipe produces. */
export const RECIPE_VERSION = '1';

/** The equal training budget: same data, steps, batch, optimiser and schedule for every model; no augmentation. */
export interface Recipe {
  trainLimit: number;   // first n training images (0 = all 60k)
  steps: number;
  batchSize: number;
  lr: number;           // AdamW peak, linear warmup then cosine decay (scripts/lib/train.ts)
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

/** Read at call time, so tests can point ATLAS_WEIGHTS_DIR at a temp folder. */
export const weightsDir = () => resolve(process.env.ATLAS_WEIGHTS_DIR ?? '.cache/weights/fmnist');

export function weightsKey(name: string, seed: number, recipe: Recipe): string {
  const h = createHash('sha256').update(stableStringify({ v: RECIPE_VERSION, name, config: modelConfig(name), recipe, seed })).digest('hex').slice(0, 16);
  return `${name}-s${seed}-${h}`;
}

interface Ctx { log(line: string): void; progress?(done: number, total: number): void }

/** Saves every variable (trainable and buffers) in creation order: a JSON index + raw float32. */
function save(model: ZooModel, key: string, record: TrainingRecord): void {
  const WEIGHTS_DIR = weightsDir();
  mkdirSync(WEIGHTS_DIR, { recursive: true });
  const entries = model.namedVariables();
  const index = entries.map(([path, v]) => ({ path, shape: v.shape }));
  const total = entries.reduce((s, [, v]) => s + v.size, 0);
  const buf = new Float32Array(total);
  let off = 0;
  for (const [, v] of entries) { buf.set(v.dataSync() as Float32Array, off); off += v.size; }
  const tmp = `.tmp-${process.pid}-${Date.now()}`;
  writeFileSync(join(WEIGHTS_DIR, `${key}.bin${tmp}`), Buffer.from(buf.buffer));
  renameSync(join(WEIGHTS_DIR, `${key}.bin${tmp}`), join(WEIGHTS_DIR, `${key}.bin`));
  writeFileSync(join(WEIGHTS_DIR, `${key}.json${tmp}`), JSON.stringify({ record, index }));
  renameSync(join(WEIGHTS_DIR, `${key}.json${tmp}`), join(WEIGHTS_DIR, `${key}.json`)); // the index last: it marks the pair complete
}

function load(model: ZooModel, key: string): TrainingRecord | null {
  const WEIGHTS_DIR = weightsDir();
  const jp = join(WEIGHTS_DIR, `${key}.json`), bp = join(WEIGHTS_DIR, `${key}.bin`);
  if (!existsSync(jp) || !existsSync(bp)) return null;
  try {
    const { record, index } = JSON.parse(readFileSync(jp, 'utf8')) as { record: TrainingRecord; index: Array<{ path: string; shape: number[] }> };
    const raw = readFileSync(bp);
    const buf = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
    const entries = model.namedVariables();
    if (entries.length !== index.length) throw new Error(`${entries.length} variables, file has ${index.length}`);
    let off = 0;
    entries.forEach(([path, v], i) => {
      const want = index[i]!;
      if (want.path !== path || want.shape.join() !== v.shape.join()) throw new Error(`variable ${i}: ${path} [${v.shape}] vs ${want.path} [${want.shape}]`);
      v.assign(tf.tensor(buf.subarray(off, off + v.size), v.shape));
      off += v.size;
    });
    if (off !== buf.length) throw new Error(`weights file has ${buf.length} values, model ${off}`);
    return record;
  } catch (e) {
    process.stderr.write(`weights cache ${jp} unusable (${(e as Error).message}); retraining\n`);
    return null;
  }
}

/** The (model, seed) trained with `recipe`: from the cache, or trained now and cached. */
export async function trainedModel(name: string, seed: number, recipe: Recipe, ctx: Ctx): Promise<{ model: ZooModel; training: TrainingRecord; cached: boolean }> {
  const key = weightsKey(name, seed, recipe);
  const model = createModel(name, {}, { seed });
  const hit = load(model, key);
  if (hit) { ctx.log(`weights from cache ${key}`); return { model, training: hit, cached: true }; }
  const data = fashionMnist({ trainLimit: recipe.trainLimit, testLimit: 0 }); // same cache key as the experiments
  const r = await train(model, data, {
    ...TRAIN_DEFAULTS, steps: recipe.steps, batchSize: recipe.batchSize, lr: recipe.lr, warmupSteps: recipe.warmupSteps,
    weightDecay: recipe.weightDecay, seed, evalEvery: 0, evalSamples: 1000, logEvery: Math.max(1, Math.floor(recipe.steps / 6)),
  }, ctx.log, ctx.progress);
  const training: TrainingRecord = {
    model: name, seed, recipe, params: model.variables().reduce((s, v) => s + v.size, 0),
    finalTrainLoss: r.metrics.finalTrainLoss, trainWallMs: Math.round(r.timing.wallMs), imagesPerSec: r.timing.imagesPerSec, weightsKey: key,
  };
  save(model, key, training);
  return { model, training, cached: false };
}
