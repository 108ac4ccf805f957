// pool: the model pool. Converged minis on Fashion-MNIST, one recipe for every architecture, trained
// once per (architecture, data regime, seed) and committed (weights in TensorFlow.js format), so that
// every experiment and the in-browser lab read the very same networks.
//
//   npm run experiments -- --only pool --jobs 2          (hours: one full-regime unit ≈ 1 h on one core)
//   npm run experiments -- --unit pool/vit-full-s0       (one unit; a killed one resumes from its last epoch)
//
// Regimes: 'full' trains on the 60k training images minus a fixed 5,000-image validation split;
// 'small' on a fixed class-balanced 2,000-image subset of the same 55k, validated on the same 5,000.
// The checkpoint kept is the one with the best validation accuracy (never chosen on the test set);
// its test accuracy is measured once, at the end.
import { join, relative } from 'node:path';
import { fashionMnist } from '../lib/data/fashion-mnist';
import { engineRevision } from '../lib/engine/revision';
import { cacheKey, resultsRoot } from '../lib/experiments/cache';
import type { Json, ProfileName, RunContext, Unit, UnitRecord } from '../lib/experiments/types';
import type { PoolManifest, PoolModel } from '../../contracts/pool';
import { balancedSubset, evaluate, holdOut, train, TRAIN_DEFAULTS, type Data, type EvalPoint, type TrainConfig } from '../lib/train';
import { loadCheckpoint, removeCheckpoint, saveCheckpoint } from '../lib/train/checkpoint-file';
import { saveTfjsWeights } from '../lib/train/tfjs-format';
import { createModel } from '../../models/index';
import { mini } from '../../models/minis';

export const id = 'pool';
export const claims: string[] = [];
export const codeVersion = '1';
/** Units take about an hour each: `npm run build` never trains them (only `npm run experiments` does). */
export const long = true;

export const defaults = {
  // Required first (resnet, vit, hybrid); swin and pvt once those are done. All five are listed from the
  // start so that adding them later does not change the others' cache keys.
  models: ['resnet_mini_28', 'vit_mini_patch4_28', 'hybrid_mini_28', 'swin_mini_28', 'pvt_mini_28'],
  regimes: ['full', 'small'],
  seeds: 3,
  trainLimit: 0,        // 0 = all 60k (quick profile: fewer)
  testLimit: 0,         // 0 = all 10k
  valImages: 5000,      // held out of the training images, the same for every unit
  smallImages: 2000,    // class-balanced, 200 per class
  epochs: 30,           // full regime (15 left ViT-mini still gaining 0.8 points in its last fifth, below its floor)
  smallEpochs: 200,     // small regime: 15 steps per epoch, 3,000 steps (capped at a full unit's steps)
  smallEvalEvery: 10,   // small regime: epochs between validation evals (full: every epoch)
  batchSize: 128,
  lr: 1e-3,             // AdamW peak after a one-epoch (full) / ten-epoch (small) linear warm-up
  minLr: 1e-5,          // cosine floor
  weightDecay: 0.05,
  labelSmoothing: 0,
  augShift: 2,          // random translation ±2 px, zero fill (= random crop of the 2-px-padded image)
  augFlip: true,        // random horizontal flip
};
type Config = typeof defaults;

export const profiles = {
  quick: { models: ['resnet_mini_28', 'vit_mini_patch4_28'], seeds: 1, trainLimit: 1280, testLimit: 256, valImages: 256, smallImages: 200, epochs: 1, smallEpochs: 2, smallEvalEvery: 1, batchSize: 64 },
  full: {},
};

export const limits = { labelSmoothing: { min: 0 } };

/** The validation split and the small subset are drawn with these seeds: fixed, the same for every unit. */
const VAL_SEED = 20261202;
const SMALL_SEED = 20210611;

export type PoolRegime = 'full' | 'small';

/**
 * In the order a run takes them: the required architectures (those with a floor) before the others,
 * then seed, then regime (full first), then architecture, so that a session's first units complete
 * one seed of every required model in both regimes.
 */
export function units(_profile: ProfileName, cfg: Config): Unit[] {
  const all = cfg.models.flatMap((model) => cfg.regimes.flatMap((regime) => Array.from({ length: cfg.seeds }, (_, seed) => ({
    key: `${mini(model).short}-${regime}-s${seed}`, seed, model, regime,
  }))));
  const rank = (u: (typeof all)[number]) => [u.model in FLOORS ? 0 : 1, u.seed, cfg.regimes.indexOf(u.regime), cfg.models.indexOf(u.model)];
  return all.sort((a, b) => {
    const ra = rank(a), rb = rank(b);
    const i = ra.findIndex((x, k) => x !== rb[k]);
    return i < 0 ? 0 : ra[i]! - rb[i]!;
  });
}

/** The data of a regime: train (55k or the 2k subset), val (5k, fixed), test (10k). */
export function poolData(regime: PoolRegime, cfg: Config): Data {
  const all = fashionMnist({ trainLimit: cfg.trainLimit, testLimit: cfg.testLimit });
  const { train: rest, val } = holdOut(all.train, cfg.valImages, VAL_SEED);
  return { train: regime === 'small' ? balancedSubset(rest, cfg.smallImages, SMALL_SEED) : rest, val, test: all.test };
}

/** The recipe, the same for every architecture; the regime sets only the epochs, warm-up and eval cadence. */
export function poolTrainConfig(regime: PoolRegime, cfg: Config, trainImages: number, seed: number): TrainConfig {
  const stepsPerEpoch = Math.floor(trainImages / cfg.batchSize);
  const fullStepsPerEpoch = Math.floor((poolFullTrainImages(cfg)) / cfg.batchSize);
  const epochs = regime === 'full' ? cfg.epochs : cfg.smallEpochs;
  if (regime === 'small' && epochs * stepsPerEpoch > cfg.epochs * fullStepsPerEpoch) {
    throw new Error(`pool: the small regime's ${epochs * stepsPerEpoch} steps exceed a full unit's ${cfg.epochs * fullStepsPerEpoch}; lower smallEpochs`);
  }
  const evalEpochs = regime === 'full' ? 1 : cfg.smallEvalEvery;
  return {
    ...TRAIN_DEFAULTS, epochs, batchSize: cfg.batchSize, lr: cfg.lr, minLr: cfg.minLr, warmupSteps: Math.min(stepsPerEpoch * evalEpochs, Math.round(stepsPerEpoch * epochs * 0.1)),
    schedule: 'cosine', weightDecay: cfg.weightDecay, gradClip: 1, labelSmoothing: cfg.labelSmoothing, augShift: cfg.augShift, augFlip: cfg.augFlip,
    evalEvery: stepsPerEpoch * evalEpochs, evalSamples: 0, keepBest: true, logEvery: stepsPerEpoch * evalEpochs, seed: 1000 + seed,
  };
}
const poolFullTrainImages = (cfg: Config) => (cfg.trainLimit > 0 ? Math.min(cfg.trainLimit, 60000) : 60000) - cfg.valImages;

/**
 * How much validation accuracy the last 20% of training added: the best accuracy among the evals in
 * the last fifth of the steps minus the best before it (in accuracy units, 0.005 = half a point).
 * The pool counts a unit as plateaued when this is below PLATEAU_GAIN.
 */
export function plateauGain(evals: readonly Pick<EvalPoint, 'step' | 'accuracy'>[], totalSteps: number): number {
  const cut = totalSteps * 0.8;
  const before = evals.filter((e) => e.step <= cut), after = evals.filter((e) => e.step > cut);
  if (!before.length || !after.length) return Number.NaN;
  return Math.max(...after.map((e) => e.accuracy)) - Math.max(...before.map((e) => e.accuracy));
}
export const PLATEAU_GAIN = 0.005;

/** Test-accuracy floors of the full regime (mean over seeds), fixed before training: below one, the page says so. */
export const FLOORS: Readonly<Record<string, number>> = { resnet_mini_28: 0.91, hybrid_mini_28: 0.9, vit_mini_patch4_28: 0.88 };

const checkpointPath = (key: string) => join(process.env.ATLAS_RESULTS_DIR ?? '.', '.cache', 'pool-checkpoints', key);

interface Extra { trainSeconds: number; resumedAt: number[] }

export async function runUnit(unit: Unit, cfg: Config, ctx: RunContext): Promise<Json> {
  const name = String(unit.model), regime = unit.regime as PoolRegime;
  if (regime !== 'full' && regime !== 'small') throw new Error(`pool: unknown regime '${String(unit.regime)}' (full | small)`);
  const data = poolData(regime, cfg);
  const tc = poolTrainConfig(regime, cfg, data.train.n, unit.seed);
  const model = createModel(name, {}, { seed: unit.seed });
  // The checkpoint is named by the unit's cache key: a changed recipe or engine never resumes an old run.
  const ckpt = checkpointPath(`${unit.key}-${cacheKey({ id, codeVersion }, cfg, unit, engineRevision())}`);
  const saved = loadCheckpoint<Extra>(ckpt, ctx.log);
  const before: Extra = saved?.extra ?? { trainSeconds: 0, resumedAt: [] };
  if (saved) ctx.log(`${unit.key}: resuming at step ${saved.checkpoint.step} (epoch ${(saved.checkpoint.evals.at(-1)?.epoch ?? 0).toFixed(1)})`);
  const t0 = performance.now();
  const extraNow = (): Extra => ({ trainSeconds: before.trainSeconds + (performance.now() - t0) / 1000, resumedAt: saved ? [...before.resumedAt, saved.checkpoint.step] : before.resumedAt });
  const r = await train(model, data, tc, {
    log: (l) => ctx.log(`${unit.key} ${l}`),
    progress: ctx.progress,
    resume: saved?.checkpoint ?? null,
    checkpoint: (c) => saveCheckpoint(ckpt, c, extraNow()),
  });
  const extra = extraNow();
  const test = evaluate(model, data.test);
  const expDir = join(resultsRoot(ctx.profile), id);
  const files = saveTfjsWeights(model, join(expDir, 'weights'), unit.key);
  const params = model.variables().reduce((s, v) => s + v.size, 0);
  model.dispose();
  removeCheckpoint(ckpt);
  const best = r.metrics.evals.find((e) => e.step === r.metrics.bestStep)!;
  return {
    model: name, regime, seed: unit.seed, params,
    trainImages: data.train.n, valImages: data.val!.n, testImages: data.test.n,
    epochs: tc.epochs, steps: r.metrics.steps, batchSize: tc.batchSize, warmupSteps: tc.warmupSteps,
    bestStep: best.step, bestEpoch: best.epoch,
    valAccuracy: best.accuracy, valLoss: best.loss, testAccuracy: test.accuracy, testLoss: test.loss,
    plateauGain: plateauGain(r.metrics.evals, r.metrics.steps),
    curve: r.metrics.evals.map((e) => ({
      epoch: +e.epoch.toFixed(4), step: e.step, lr: e.lr, trainLoss: e.meanTrainLoss, trainAccuracy: e.trainAccuracy, valAccuracy: e.accuracy, valLoss: e.loss,
    })),
    // Paths relative to generated/pool/ (the experiment's folder), as the manifest names them.
    weights: { manifest: relative(expDir, files.manifest), bin: relative(expDir, files.bin), sha256: files.sha256, bytes: files.bytes },
    // Wall-clock facts differ between two runs of the same unit: under `timing`, which --reproduce skips.
    timing: { wallMs: Math.round(extra.trainSeconds * 1000), resumedAt: extra.resumedAt },
  };
}

interface PoolResult {
  model: string; regime: PoolRegime; seed: number; params: number; trainImages: number; epochs: number; steps: number; bestEpoch: number;
  valAccuracy: number; testAccuracy: number; plateauGain: number | null; curve: PoolModel['curve'];
  weights: { manifest: string; bin: string; sha256: string; bytes: number }; timing: { wallMs: number };
}

/** generated/pool/manifest.json (contracts/pool.ts): the committed models with their provenance. */
export function summarize(records: UnitRecord[], cfg: Config): Record<string, Json> {
  const models: PoolModel[] = records
    .filter((r) => r.provenance.git.dirty === false && r.provenance.engine && r.provenance.machine)
    .map((r) => {
      const x = r.result as unknown as PoolResult;
      return {
        id: r.unit.key, arch: x.model, regime: x.regime, seed: x.seed, epochs: x.epochs, steps: x.steps, trainImages: x.trainImages, bestEpoch: x.bestEpoch,
        valAccuracy: x.valAccuracy, testAccuracy: x.testAccuracy, plateauGain: x.plateauGain ?? null, params: x.params,
        weights: x.weights.manifest, bin: x.weights.bin, sha256: x.weights.sha256, bytes: x.weights.bytes, curve: x.curve,
        provenance: {
          git: { revision: r.provenance.git.revision, dirty: false as const }, engine: r.provenance.engine!, cpu: r.provenance.machine!.cpu,
          wallSeconds: Math.round(x.timing.wallMs / 1000),
        },
      };
    })
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  const manifest: PoolManifest = { id: 'pool', recipe: cfg, plateauLimit: PLATEAU_GAIN, floors: FLOORS, models };
  return { manifest: manifest as unknown as Json };
}
