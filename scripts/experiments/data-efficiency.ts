// data-efficiency (claims C4, C7): test accuracy against training-set size n on Fashion-MNIST, with the
// training scaled to n. Does the ViT trail the CNN when data is scarce and close the gap as n grows (C4,
// Dosovitskiy et al. 2021, §4.3 and Figs. 3–4), and does a convolutional stem help the ViT on little data
// (C7, the hybrid of Dosovitskiy et al. 2021, Fig. 5; Xiao et al. 2021)? Judged by criteria/data-efficiency.ts.
//
//   npm run experiments -- --only data-efficiency --profile quick     # CI smoke run
//   npm run experiments -- --only data-efficiency --jobs 2            # the site's figures (hours; needs the committed pool)
//
// Per unit (model × n × seed): at n = 2,000 and n = 55,000 the pool's own 'small' and 'full' units (read,
// not retrained: common/pool-models.ts); at every other n a network trained here with the pool's recipe
// and the step budget of criteria/data-schedule.ts (scheduleForSize), validated on the pool's 5,000-image
// split, stopped early once plateaued, its best checkpoint on validation tested once on the test set.
// Subsets are class-balanced and nested (the pool's small subset is one of them).
import { mergeConfig } from '../lib/experiments/cache';
import type { Experiment, Json, ProfileName, RunContext, Unit, UnitRecord } from '../lib/experiments/types';
import { evaluate, train } from '../lib/train';
import { wallSeconds } from '../lib/experiments/wall-time';
import { createModel } from '../../models/index';
import { shortName } from '../../models/minis';
import { list, mini, num, phrase, text, type TextRef } from '../../contracts/text';
import { meanCi95 } from '../lib/metrics/seed-stats';
import { factsJson, poolMini, poolRefs } from './common/pool-models';
import { curveSummary, dataHungerVerdict, hybridSmallDataVerdict, MIN_GAP, MIN_SEEDS, MIN_SIZES, MIN_SLOPE_DIFF, MODELS, TRAINED_MARGIN, type Curves, type Part } from './criteria/data-efficiency';
import { EARLY_STOP_MIN_FRACTION, PLATEAU_GAIN, PLATEAU_WINDOW, plateaued, POOL_ANCHORS, scheduleForSize, SIZES, type SizeSchedule } from './criteria/data-schedule';
import { combineParts } from './criteria/combine-parts';
import * as pool from './pool';

export const id = 'data-efficiency';
export const claims = ['C4', 'C7'];
export const codeVersion = '2'; // 2: pool units at 2k and 55k, training scaled to n with early stopping, fixed criteria
export const reads = ['pool']; // its units load pool weights: a run trains the pool first

export const defaults = {
  models: [MODELS.cnn, MODELS.vit, MODELS.hybrid],
  sizes: [...SIZES] as number[],
  seeds: MIN_SEEDS,
};
type Config = typeof defaults;

export const profiles = {
  // Minutes, for CI: the pool's quick regimes are 200 and 1,024 images; one size in between is trained here.
  quick: { models: [MODELS.cnn, MODELS.vit], sizes: [200, 640, 1024], seeds: 1 },
  full: {},
};

/** Fashion-MNIST's test set; the pool tests on all of it unless its profile limits it. */
const FASHION_MNIST_TEST = 10000;

/** Hours of training per seed: `npm run build` never trains it. */
export const long = true;

const poolCfg = (profile: ProfileName) => mergeConfig(pool as unknown as Experiment, profile) as typeof pool.defaults;
/** The pool's two regimes as anchors of the size schedule (in the full profile these are POOL_ANCHORS). */
export function anchors(profile: ProfileName): typeof POOL_ANCHORS {
  const p = poolCfg(profile);
  const fullN = (p.trainLimit > 0 ? Math.min(p.trainLimit, 60000) : 60000) - p.valImages;
  return { batchSize: p.batchSize, small: { n: p.smallImages, epochs: p.smallEpochs }, full: { n: fullN, epochs: p.epochs } } as unknown as typeof POOL_ANCHORS;
}
export const scheduleOf = (n: number, profile: ProfileName): SizeSchedule => scheduleForSize(n, anchors(profile));

/** The pool's recipe fields a unit trained here depends on. */
function recipeOf(profile: ProfileName) {
  const p = poolCfg(profile);
  return { batchSize: p.batchSize, lr: p.lr, minLr: p.minLr, weightDecay: p.weightDecay, labelSmoothing: p.labelSmoothing, augShift: p.augShift, augFlip: p.augFlip, valImages: p.valImages, trainLimit: p.trainLimit, testLimit: p.testLimit };
}

export function units(profile: ProfileName, cfg: Config): Unit[] {
  // Seed-major order, so a stopped run leaves whole seeds of the grid rather than whole models.
  return Array.from({ length: cfg.seeds }, (_, seed) => cfg.sizes.flatMap((n) => cfg.models.map((model): Unit => {
    const s = scheduleOf(n, profile), key = `${shortName(model)}-n${n}-s${seed}`;
    if (s.poolRegime) return { key, seed, model, n, pool: poolRefs([{ model, regime: s.poolRegime, seed }], profile) };
    // Trained here with the pool's recipe and split: a changed recipe (or schedule) makes the unit stale.
    return { key, seed, model, n, pool: {}, recipe: { ...recipeOf(profile), epochs: s.epochs, steps: s.steps } };
  }))).flat();
}

export interface DataEffUnit {
  model: string; n: number; seed: number;
  /** 'small' | 'full' when the pool unit is read, null when trained here. */
  poolRegime: 'small' | 'full' | null;
  pool: Json | null;
  epochsPlanned: number; stepsPlanned: number; stepsDone: number; bestStep: number; stoppedEarly: boolean;
  valAccuracy: number; testAccuracy: number;
}

export async function runUnit(unit: Unit, _cfg: Config, ctx: RunContext): Promise<Json> {
  const name = String(unit.model), n = Number(unit.n), seed = unit.seed;
  const sched = scheduleOf(n, ctx.profile);
  if (sched.poolRegime) {
    const { model, facts } = await poolMini(name, sched.poolRegime, seed, ctx);
    model.dispose();
    if (facts.trainImages !== n) throw new Error(`data-efficiency: pool unit ${facts.poolKey} trained on ${facts.trainImages} images, not ${n}`);
    const out: DataEffUnit = {
      model: name, n, seed, poolRegime: sched.poolRegime, pool: factsJson(facts),
      epochsPlanned: sched.epochs, stepsPlanned: sched.steps, stepsDone: sched.steps, bestStep: -1, stoppedEarly: false,
      valAccuracy: facts.valAccuracy!, testAccuracy: facts.testAccuracy!,
    };
    ctx.log(`${unit.key}: pool ${facts.poolKey}, test ${(100 * out.testAccuracy).toFixed(1)}%`);
    return out as unknown as Json;
  }
  // Trained here, with the pool's recipe: its data split (the subset is the pool's class-balanced draw at size n), its optimiser and augmentation.
  const p = poolCfg(ctx.profile);
  const at = { ...p, smallImages: n, smallEpochs: sched.epochs };
  const data = pool.poolData('small', at);
  const recipe = pool.poolTrainConfig('small', at, n, seed);
  const model = createModel(name, {}, { seed });
  const r = await train(model, data, { ...recipe, epochs: sched.epochs, warmupSteps: sched.warmupSteps, evalEvery: sched.evalEvery, logEvery: sched.evalEvery, keepBest: true }, {
    log: (l) => ctx.log(`${unit.key} ${l}`), progress: ctx.progress, stop: (evals, done, steps) => plateaued(evals, done, steps),
  });
  const test = evaluate(model, data.test);
  model.dispose();
  const best = r.metrics.evals.find((e) => e.step === r.metrics.bestStep)!;
  const out: DataEffUnit = {
    model: name, n, seed, poolRegime: null, pool: null,
    epochsPlanned: sched.epochs, stepsPlanned: sched.steps, stepsDone: r.metrics.steps, bestStep: r.metrics.bestStep, stoppedEarly: r.metrics.steps < sched.steps,
    valAccuracy: best.accuracy, testAccuracy: test.accuracy,
  };
  ctx.log(`${unit.key}: ${out.stepsDone}/${sched.steps} steps, val ${(100 * out.valAccuracy).toFixed(1)}%, test ${(100 * test.accuracy).toFixed(1)}%`);
  return out as unknown as Json;
}

// ---- summary: chart data, values, verdict (written by `npm run generate`) -----------------

/** Worded from the criteria's constants (src/content/i18n: atlas.exp.data-efficiency.criterion). */
export const CRITERION: TextRef = text('atlas.exp.data-efficiency.criterion', {
  gap: num(MIN_GAP * 100), slope: num(MIN_SLOPE_DIFF * 100), margin: num(TRAINED_MARGIN * 100), seeds: num(MIN_SEEDS), sizes: num(MIN_SIZES),
  plateau: num(PLATEAU_GAIN * 100), window: num(PLATEAU_WINDOW * 100), minFraction: num(EARLY_STOP_MIN_FRACTION * 100),
});

export function summarize(records: UnitRecord[], cfg: Config, profile: ProfileName = 'full'): Record<string, Json> {
  const results = records.map((r) => r.result as unknown as DataEffUnit);
  const at = (model: string, n: number) => results.filter((r) => r.model === model && r.n === n).sort((a, b) => a.seed - b.seed);
  const ciRow = (xs: number[]) => { const m = meanCi95(xs); return { mean: m.mean, lo: m.ci95[0], hi: m.ci95[1], n: m.n }; };
  const schedules = cfg.sizes.map((n) => scheduleOf(n, profile));
  const rows = cfg.models.flatMap((model) => cfg.sizes.map((n) => {
    const rs = at(model, n);
    return rs.length ? {
      model, short: shortName(model), n, epochs: scheduleOf(n, profile).epochs, pool: scheduleOf(n, profile).poolRegime,
      test: ciRow(rs.map((r) => r.testAccuracy)), stepsDone: ciRow(rs.map((r) => r.stepsDone)), accuracies: rs.map((r) => r.testAccuracy),
    } : null;
  })).filter((r): r is NonNullable<typeof r> => r !== null);
  // Per-seed paired differences against the ResNet, for every other model, and hybrid − ViT (the chart's gaps).
  const paired = (a: string, b: string, n: number): number[] => at(a, n).flatMap((ra) => { const rb = at(b, n).find((x) => x.seed === ra.seed); return rb ? [ra.testAccuracy - rb.testAccuracy] : []; });
  const R = MODELS.cnn, V = MODELS.vit, H = MODELS.hybrid;
  const gaps = cfg.sizes.flatMap((n) => [
    ...cfg.models.filter((m) => m !== R).map((m) => ({ n, model: m, versus: R, d: paired(m, R, n) })),
    ...(cfg.models.includes(H) ? [{ n, model: H, versus: V, d: paired(H, V, n) }] : []),
  ]).filter((g) => g.d.length > 0).map(({ d, ...g }) => ({ ...g, diff: ciRow(d) }));
  const out: Record<string, Json> = {
    summary: {
      id, profile, complete: records.length === units(profile, cfg).length, sizes: cfg.sizes, models: cfg.models,
      schedules: schedules.map((s) => ({ n: s.n, epochs: s.epochs, steps: s.steps, pool: s.poolRegime })), rows, gaps,
    } as unknown as Json,
  };
  // Values and verdict wait for every unit: prose quotes every point, which a partial run would lack.
  if (records.length !== units(profile, cfg).length) return out;

  const values: Record<string, { value: number; unit?: string }> = {};
  for (const r of rows) values[`acc_${r.short}_${r.n}`] = { value: 100 * r.test.mean, unit: '%' };
  for (const s of schedules) { values[`epochs_${s.n}`] = { value: s.epochs }; values[`steps_${s.n}`] = { value: s.steps }; }
  for (const g of gaps) values[`gap_${shortName(g.model)}_${shortName(g.versus)}_${g.n}`] = { value: 100 * g.diff.mean, unit: 'pt' };
  const n0 = Math.min(...cfg.sizes), n1 = Math.max(...cfg.sizes);
  Object.assign(values, {
    seeds: { value: cfg.seeds }, n_min: { value: n0 }, n_max: { value: n1 }, min_gap: { value: MIN_GAP * 100, unit: 'pt' }, min_slope: { value: MIN_SLOPE_DIFF * 100, unit: 'pt' },
    wall_minutes: { value: wallSeconds(records) / 60, unit: 'min' },
  });

  const curves: Curves = Object.fromEntries(cfg.models.map((m) => [m, Object.fromEntries(cfg.sizes.map((n) => [n, at(m, n).map((r) => r.testAccuracy)]))]));
  const c4 = dataHungerVerdict(curves), c7 = hybridSmallDataVerdict(curves);
  const parts: Record<string, Part> = { behind: c4.parts.behind, closes: c4.parts.closes, hybridAhead: c7.parts.hybridAhead };
  for (const [k, p] of Object.entries(parts)) if (p.effect) values[`${k}_diff`] = { value: 100 * p.effect.diff, unit: 'pt' };
  out.values = { id, values } as unknown as Json;

  const part = (p: Part) => phrase(p.reason === 'ok' ? `atlas.exp.data-efficiency.part.${p.verdict}` : `atlas.exp.data-efficiency.reason.${p.reason}`);
  const pts = (p: Part) => (p.effect ? num(100 * p.effect.diff, 1) : phrase('atlas.exp.dash'));
  const lo = (p: Part) => (p.effect ? num(100 * p.effect.ci95[0], 1) : phrase('atlas.exp.dash'));
  const hi = (p: Part) => (p.effect ? num(100 * p.effect.ci95[1], 1) : phrase('atlas.exp.dash'));
  const measured = (key: string, label: TextRef, p: Part) => (p.effect
    ? [{ key, label, mean: 100 * p.effect.diff, ci95: [100 * p.effect.ci95[0], 100 * p.effect.ci95[1]] as [number, number], seeds: cfg.seeds, unit: 'pt' }]
    : []);
  const acc = curveSummary(curves);
  const accMeasured = cfg.models.flatMap((m) => [n0, n1].map((n) => ({
    key: `acc_${shortName(m)}_${n}`, label: text('atlas.exp.data-efficiency.measured.acc', { model: mini(m), n: num(n) }),
    mean: 100 * acc[m]![n]!.mean, ci95: [100 * acc[m]![n]!.ci95[0], 100 * acc[m]![n]!.ci95[1]] as [number, number], seeds: acc[m]![n]!.n, unit: '%',
  })));
  out.verdict = {
    experiment: id, claims: [...claims], profile, criterion: CRITERION,
    // C4 and C7 share one verdict file: each claim's verdict is a part.
    verdict: combineParts([c4.verdict, c7.verdict]),
    control: text('atlas.exp.data-efficiency.control', { chance: num(c4.control.chance * 100), floor: num((c4.control.chance + c4.control.trainedMargin) * 100) }),
    summary: text('atlas.exp.data-efficiency.summary', {
      n0: num(n0), n1: num(n1), seeds: num(cfg.seeds),
      behind: pts(parts.behind!), behindLo: lo(parts.behind!), behindHi: hi(parts.behind!), behindV: part(parts.behind!),
      closes: pts(parts.closes!), closesLo: lo(parts.closes!), closesHi: hi(parts.closes!), closesV: part(parts.closes!),
      hybrid: pts(parts.hybridAhead!), hybridLo: lo(parts.hybridAhead!), hybridHi: hi(parts.hybridAhead!), hybridV: part(parts.hybridAhead!),
      c4: phrase(`atlas.exp.data-efficiency.part.${c4.verdict}`), c7: phrase(`atlas.exp.data-efficiency.part.${c7.verdict}`),
    }),
    measured: [
      ...measured(`behind_diff`, text('atlas.exp.data-efficiency.measured.behind', { n: num(n0) }), parts.behind!),
      ...measured(`closes_diff`, text('atlas.exp.data-efficiency.measured.closes'), parts.closes!),
      ...measured(`hybridAhead_diff`, text('atlas.exp.data-efficiency.measured.hybrid', { n: num(n0) }), parts.hybridAhead!),
      ...accMeasured,
    ],
    chart: 'accuracy-vs-n',
    budget: text('atlas.exp.data-efficiency.budget', {
      sizes: list(cfg.sizes.map((n) => num(n))), models: list(cfg.models.map((m) => mini(m))), seeds: num(cfg.seeds),
      small: num(anchors(profile).small.n), full: num(anchors(profile).full.n),
      epochsMin: num(scheduleOf(n0, profile).epochs), nMin: num(n0), valN: num(poolCfg(profile).valImages),
      testN: num(poolCfg(profile).testLimit || FASHION_MNIST_TEST),
    }),
    wallSeconds: wallSeconds(records),
  } as unknown as Json;
  return out;
}
