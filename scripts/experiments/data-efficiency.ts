// data-efficiency (claims C4, C7): test accuracy against training-set size n on Fashion-MNIST,
// every model with the same step budget. Does the ViT trail the CNN when data is scarce (C4,
// Dosovitskiy et al. 2021, Sec. 4.3 / Fig. 4), and does a convolutional stem close the gap (C7,
// Xiao et al. 2021; the hybrid of Dosovitskiy et al. 2021, Fig. 5)?
//
//   npm run experiments -- --only data-efficiency --profile quick     # CI smoke run
//   npm run experiments -- --only data-efficiency --jobs 1            # the site's figures
//   npm exec -- tsx scripts/experiments/shape-bias/summarize.ts data-efficiency [--profile quick]
//
// Per unit (model × n × seed): a random n-image subset of the 60k training images (nested across
// n for one seed: the first n of a seeded permutation, so every model sees the same images at
// the same seed), then `steps` AdamW steps of `batchSize` — the same number of steps whatever n
// is, so small subsets are seen for many epochs and large ones for less than one.
import { fashionMnist } from '../lib/data/fashion-mnist';
import type { Json, ProfileName, RunContext, Unit, UnitRecord } from '../lib/experiments/types';
import { meanCi95 } from '../lib/metrics/seed-stats';
import { evaluate, permutation, rng, train, TRAIN_DEFAULTS, type Split } from '../lib/train';
import { createModel } from '../models/index';
import { kindOf, narrowOverrides, shortName } from '../models/minis';
import { list, mini, num, phrase, text, type TextRef } from '../../contracts/text';
import type { Verdict } from '../../contracts/verdict';
import { wallSeconds } from '../lib/experiments/wall-time';

export const id = 'data-efficiency';
export const claims = ['C4', 'C7'];
export const codeVersion = '1';

export const defaults = {
  models: ['resnet_mini_28', 'vit_mini_patch4_28', 'hybrid_mini_28', 'swin_mini_28', 'pvt_mini_28'],
  narrow: true,            // the narrow minis (scripts/models/minis.ts)
  sizes: [1000, 2000, 5000, 10000, 30000, 60000],
  seeds: 3,
  steps: 200,              // the same for every n and every model (12.8 epochs at n = 1k, 0.21 at 60k)
  batchSize: 64,
  lr: 4e-3,
  warmupSteps: 20,
  weightDecay: 0.05,
  testLimit: 2000,         // the first 2000 test images (all 10 classes, ~200 each)
  trainEvalLimit: 1000,    // training accuracy on the first ≤1000 images of the subset (overfitting)
  subsetSeed: 7000,        // subset permutation seed = subsetSeed + seed
};
type Config = typeof defaults;

export const profiles = {
  // Seconds, for CI: two models, two sizes, one seed, a few steps (the numbers mean nothing).
  quick: { models: ['resnet_mini_28', 'vit_mini_patch4_28'], sizes: [256, 1024], seeds: 1, steps: 6, warmupSteps: 2, testLimit: 128, trainEvalLimit: 64 },
  full: {},
};

const short = shortName;

export function units(_profile: ProfileName, cfg: Config): Unit[] {
  // Seed-major order, so a stopped run leaves whole seeds of the grid rather than whole models.
  return Array.from({ length: cfg.seeds }, (_, seed) => cfg.sizes.flatMap((n) => cfg.models.map((model) => ({ key: `${short(model)}-n${n}-s${seed}`, seed, model, n })))).flat();
}

/** Rows `idx` of a split as a new split. */
function subset(s: Split, idx: ArrayLike<number>): Split {
  const [H, W, C] = s.shape, sz = H * W * C;
  const images = new Float32Array(idx.length * sz), labels = new Int32Array(idx.length);
  for (let i = 0; i < idx.length; i++) { images.set(s.images.subarray(idx[i]! * sz, (idx[i]! + 1) * sz), i * sz); labels[i] = s.labels[idx[i]!]!; }
  return { images, labels, n: idx.length, shape: s.shape, numClasses: s.numClasses };
}

/** The first n indices of the seed's permutation of the training set: nested across n. */
export function subsetIndices(total: number, n: number, seed: number): Int32Array {
  if (n > total) throw new Error(`data-efficiency: n = ${n} > ${total} training images`);
  return permutation(total, rng(seed)).subarray(0, n);
}

export async function runUnit(unit: Unit, cfg: Config, ctx: RunContext): Promise<Json> {
  const name = String(unit.model), n = Number(unit.n), seed = unit.seed;
  const full = fashionMnist({ testLimit: cfg.testLimit });
  const train_ = subset(full.train, subsetIndices(full.train.n, n, cfg.subsetSeed + seed));
  const model = createModel(name, cfg.narrow ? narrowOverrides(name) : {}, { seed });
  const params = model.variables().reduce((s, v) => s + v.size, 0);
  const r = await train(model, { train: train_, test: full.test }, {
    ...TRAIN_DEFAULTS, steps: cfg.steps, batchSize: cfg.batchSize, lr: cfg.lr, warmupSteps: cfg.warmupSteps, weightDecay: cfg.weightDecay,
    seed, evalSamples: 0, logEvery: 0,
  }, { log: ctx.log });
  const trainAcc = evaluate(model, train_, cfg.trainEvalLimit).accuracy;
  model.dispose();
  ctx.log(`${name} n=${n} s${seed}: test ${(100 * r.metrics.testAccuracy).toFixed(1)}%, train ${(100 * trainAcc).toFixed(1)}%`);
  return {
    model: name, kind: kindOf(name), n, seed, params,
    epochs: (cfg.steps * cfg.batchSize) / n,
    testAccuracy: r.metrics.testAccuracy, testLoss: r.metrics.testLoss, trainAccuracy: trainAcc, finalTrainLoss: r.metrics.finalTrainLoss,
    timing: { trainMs: Math.round(r.timing.trainMs), evalMs: Math.round(r.timing.evalMs), imagesPerSec: Math.round(r.timing.imagesPerSec) },
  };
}

// ---- summary: chart data, values, verdict (written by `npm run generate`) -----------------

type UnitResult = { model: string; n: number; seed: number; params: number; epochs: number; testAccuracy: number; trainAccuracy: number };

/** Written before the run: what counts as reproducing C4 (data hunger) and C7 (conv stem helps). */
export const CRITERION = text('atlas.exp.data-efficiency.criterion'); // worded in src/content/i18n

export function summarize(records: UnitRecord[], cfg: Config, profile: ProfileName = 'full'): Record<string, Json> {
  const results = records.map((r) => r.result as unknown as UnitResult);
  const at = (model: string, n: number) => results.filter((r) => r.model === model && r.n === n).sort((a, b) => a.seed - b.seed);
  const ciRow = (xs: number[]) => { const m = meanCi95(xs); return { mean: m.mean, lo: m.ci95[0], hi: m.ci95[1], n: m.n }; };
  const rows = cfg.models.flatMap((model) => cfg.sizes.map((n) => {
    const rs = at(model, n);
    return rs.length ? { model, short: short(model), n, epochs: (cfg.steps * cfg.batchSize) / n, test: ciRow(rs.map((r) => r.testAccuracy)), train: ciRow(rs.map((r) => r.trainAccuracy)), accuracies: rs.map((r) => r.testAccuracy) } : null;
  })).filter((r): r is NonNullable<typeof r> => r !== null);

  const R = 'resnet_mini_28', V = 'vit_mini_patch4_28', H = 'hybrid_mini_28';
  /** Per-seed paired difference a − b at size n (seeds present for both). */
  const paired = (a: string, b: string, n: number): number[] => {
    const A = at(a, n), B = at(b, n);
    return A.flatMap((ra) => { const rb = B.find((x) => x.seed === ra.seed); return rb ? [ra.testAccuracy - rb.testAccuracy] : []; });
  };
  const pairedAcross = (a: string, b: string, n0: number, n1: number): number[] => {
    // (a − b at n1) − (a − b at n0), per seed.
    const d0 = new Map(at(a, n0).flatMap((ra) => { const rb = at(b, n0).find((x) => x.seed === ra.seed); return rb ? [[ra.seed, ra.testAccuracy - rb.testAccuracy] as const] : []; }));
    return at(a, n1).flatMap((ra) => { const rb = at(b, n1).find((x) => x.seed === ra.seed); const g0 = d0.get(ra.seed); return rb && g0 !== undefined ? [ra.testAccuracy - rb.testAccuracy - g0] : []; });
  };
  const test = (xs: number[], want: 'above' | 'below') => {
    const m = meanCi95(xs);
    const s = xs.length >= 2 ? (m.ci95[0] > 0 ? 'above' : m.ci95[1] < 0 ? 'below' : 'overlaps') : 'overlaps';
    return { mean: m.mean, lo: m.ci95[0], hi: m.ci95[1], n: m.n, pass: s === want };
  };

  const values: Record<string, { value: number; unit?: string }> = {};
  for (const r of rows) values[`acc_${r.short}_${r.n}`] = { value: 100 * r.test.mean, unit: '%' };
  for (const r of rows) values[`train_${r.short}_${r.n}`] = { value: 100 * r.train.mean, unit: '%' };
  values.steps = { value: cfg.steps };
  values.batch = { value: cfg.batchSize };
  values.images_seen = { value: cfg.steps * cfg.batchSize };
  values.seeds = { value: cfg.seeds };
  values.test_images = { value: cfg.testLimit };
  values.n_min = { value: Math.min(...cfg.sizes) };
  values.n_max = { value: Math.max(...cfg.sizes) };
  values.lr = { value: cfg.lr };
  values.warmup_steps = { value: cfg.warmupSteps };
  values.weight_decay = { value: cfg.weightDecay };
  values.epochs_at_max = { value: (cfg.steps * cfg.batchSize) / Math.max(...cfg.sizes) };
  values.epochs_at_min = { value: (cfg.steps * cfg.batchSize) / Math.min(...cfg.sizes) };
  const seconds = wallSeconds(records);
  values.wall_minutes = { value: seconds / 60, unit: 'min' };
  for (const m of cfg.models) { const r = results.find((x) => x.model === m); if (r) values[`params_${short(m)}`] = { value: r.params }; }

  const out: Record<string, Json> = {};
  const n0 = Math.min(...cfg.sizes), n1 = Math.max(...cfg.sizes);
  // Per-seed paired differences against the ResNet, for every other model, and hybrid − ViT.
  const gaps = cfg.sizes.flatMap((n) => [
    ...cfg.models.filter((m) => m !== R).map((m) => ({ n, model: m, versus: R, d: paired(m, R, n) })),
    { n, model: H, versus: V, d: paired(H, V, n) },
  ]).filter((g) => g.d.length > 0).map(({ d, ...g }) => ({ ...g, diff: ciRow(d) }));
  for (const g of gaps) {
    const k = `gap_${short(g.model)}_${short(g.versus)}_${g.n}`;
    values[k] = { value: 100 * g.diff.mean, unit: 'pt' };
    values[`${k}_lo`] = { value: 100 * g.diff.lo, unit: 'pt' };
    values[`${k}_hi`] = { value: 100 * g.diff.hi, unit: 'pt' };
  }
  out.summary = { id, profile, complete: records.length === cfg.models.length * cfg.sizes.length * cfg.seeds, steps: cfg.steps, batchSize: cfg.batchSize, sizes: cfg.sizes, models: cfg.models, rows, gaps } as unknown as Json;

  const A = paired(V, R, n0), C = paired(H, V, n0), B = pairedAcross(V, R, n0, n1);
  if (A.length && C.length && B.length) {
    const tA = test(A, 'below'), tB = test(B, 'above'), tC = test(C, 'above');
    const verdict = tA.pass && tB.pass && tC.pass ? 'reproduced' : !tA.pass && !tC.pass ? 'not-reproduced' : 'partly';
    const pts = (x: number) => num(100 * x, 1);
    const ok = (pass: boolean) => phrase(pass ? 'atlas.exp.test.pass' : 'atlas.exp.test.fail');
    const summary = text('atlas.exp.data-efficiency.summary', {
      n0: num(n0), n1: num(n1), seeds: num(cfg.seeds),
      a: pts(tA.mean), aLo: pts(tA.lo), aHi: pts(tA.hi), aPass: ok(tA.pass),
      c: pts(tC.mean), cLo: pts(tC.lo), cHi: pts(tC.hi), cPass: ok(tC.pass),
      b: pts(tB.mean), bLo: pts(tB.lo), bHi: pts(tB.hi), bPass: ok(tB.pass),
    });
    const pct = (t: { mean: number; lo: number; hi: number; n: number }) => ({ mean: 100 * t.mean, ci95: [100 * t.lo, 100 * t.hi] as [number, number], seeds: t.n, unit: 'pt' });
    const measured = [
      { key: `gap_vit_resnet_${n0}`, label: text('atlas.exp.data-efficiency.measured.vitResnet', { n: num(n0) }), ...pct(tA) },
      { key: 'gap_change', label: text('atlas.exp.data-efficiency.measured.change', { n0: num(n0), n1: num(n1) }), ...pct(tB) },
      { key: `gap_hybrid_vit_${n0}`, label: text('atlas.exp.data-efficiency.measured.hybridVit', { n: num(n0) }), ...pct(tC) },
    ];
    values.gap_change = { value: 100 * tB.mean, unit: 'pt' };
    values.gap_change_lo = { value: 100 * tB.lo, unit: 'pt' };
    values.gap_change_hi = { value: 100 * tB.hi, unit: 'pt' };
    const v: Verdict = {
      experiment: id, claims: [...claims], profile, criterion: CRITERION, verdict, summary, measured,
      chart: 'accuracy-vs-n', budget: budgetText(cfg), wallSeconds: seconds,
    };
    out.verdict = v as unknown as Json;
    out.summary = { ...(out.summary as object), tests: { A: tA, B: tB, C: tC }, verdict } as unknown as Json;
  }
  out.values = { id, values } as unknown as Json;
  return out;
}

export function budgetText(cfg: Config): TextRef {
  const seen = cfg.steps * cfg.batchSize, nMin = Math.min(...cfg.sizes), nMax = Math.max(...cfg.sizes);
  return text('atlas.exp.data-efficiency.budget', {
    sizes: list(cfg.sizes.map((n) => num(n))), testN: num(cfg.testLimit), steps: num(cfg.steps), batch: num(cfg.batchSize), seen: num(seen),
    epochsMin: num(seen / nMin, 1), nMin: num(nMin), epochsMax: num(seen / nMax, 2), nMax: num(nMax),
    lr: num(cfg.lr), warmup: num(cfg.warmupSteps), wd: num(cfg.weightDecay),
    models: list(cfg.models.map((m) => mini(m))), narrow: phrase(cfg.narrow ? 'atlas.exp.shape-bias.narrowNote' : 'atlas.exp.none'), seeds: num(cfg.seeds),
  });
}
