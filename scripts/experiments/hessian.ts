/**
 * hessian (C6): the dominant Hessian eigenvalue of each mini-batch for a ResNet-mini and a
 * ViT-mini trained on a small and on the full Fashion-MNIST training set — the "Hessian max
 * eigenvalue spectrum" of Park & Kim 2022 (ICLR, "How Do Vision Transformers Work?", Figs. 1
 * and 4), summarised by NEP (share of negative eigenvalues) and APE (mean of the positive ones).
 *
 *   npm run experiments -- --only hessian --profile quick
 *   npm run experiments -- --only hessian --jobs 1          # full: 2 models × 2 regimes × 3 seeds
 *
 * Per unit (model × regime × seed): the shared trained mini (common/trained-minis.ts),
 * then, for each of `batches` augmented mini-batches of the regime's training set, power
 * iteration on H·v of "NLL + L2" — cross-entropy plus the weight decay as an L2 term, on
 * augmented data, the loss the optimiser saw (the caveat in the official repository's README,
 * xxxnell/how-do-vits-work). H·v is a central difference of two gradients with the ReLU pattern
 * frozen at θ* (autograd's Hessian; lib/metrics/flat-params.ts), checked against exact Hessians in
 * tests/metrics/hessian.test.ts. BatchNorm uses its running statistics (PyHessian's model.eval()).
 *
 * What is computed: power iteration converges to the eigenvalue of LARGEST MAGNITUDE and keeps
 * its sign — PyHessian's `eigenvalues()`, which Park & Kim used (issue #12 of their repository).
 * A negative value means the most negative curvature on that mini-batch outweighs the most
 * positive one. NEP counts those; APE averages the positive ones.
 */
import type { Json, ProfileName, RunContext, Unit, UnitRecord } from '../lib/experiments/types';
import { ape, lanczosExtremes, meanCi95, nep, topEigenvalues } from '../lib/metrics/hessian';
import { augment, permutation, rng, rowsOf, toTensors } from '../lib/train';
import { budgetText, valuesFile } from './common/representation-summary';
import { mini, nested, num, phrase, text, type TextRef } from '../../contracts/text';
import { TRAIN_BUDGET, TRAIN_BUDGET_QUICK } from './common/trained-minis';
import { evalLoss, modelHvp } from '../lib/metrics/flat-params';
import { combine, measured, ordering, partPhrase, round, type Stat } from './common/orderings';
import { shortName } from '../models/minis';
import { asRegime, trainCfg, trainedMini, trainSplit, type TrainingFacts } from './common/trained-minis';
import { unitWallMs, wallSeconds } from '../lib/experiments/wall-time';

export const id = 'hessian';
export const claims = ['C6'];
export const codeVersion = '2'; // 2: Lanczos extremes per mini-batch

export const defaults = {
  models: ['resnet_mini_28', 'vit_mini_patch4_28'],
  regimes: ['small', 'full'],
  seeds: 3,
  batches: 5,              // mini-batches per unit, one dominant eigenvalue each
  hessBatch: 32,           // images per Hessian mini-batch, augmented like training
  topK: 1,                 // eigenvalues per mini-batch (Park & Kim gathered the top 5; budget)
  maxIter: 20,             // power-iteration steps (PyHessian: 100)
  tol: 1e-3,               // PyHessian's relative tolerance
  eps: 3e-3,               // central-difference step for H·v, unit-norm v (1e-2…1e-3 agree to ~1e-3)
  lanczosSteps: 15,        // Lanczos steps per mini-batch for both ends of the spectrum (descriptive)
  ...TRAIN_BUDGET,
};
type Config = typeof defaults;

export const profiles = {
  quick: { seeds: 1, batches: 2, hessBatch: 8, maxIter: 4, lanczosSteps: 4, ...TRAIN_BUDGET_QUICK },
  full: {},
};

export function units(_profile: ProfileName, cfg: Config): Unit[] {
  return cfg.models.flatMap((model) => cfg.regimes.flatMap((regime) => Array.from({ length: cfg.seeds }, (_, seed) => ({ key: `${model}.${regime}.s${seed}`, seed, model, regime }))));
}

export interface HessianUnit {
  model: string;
  regime: string;
  seed: number;
  training: TrainingFacts;
  /**
   * One entry per mini-batch: top-k eigenvalues by magnitude (signed), iterations, convergence,
   * loss, and the extreme Ritz values of a Lanczos run (λmin ≤ lanczosMin: a negative one proves
   * negative curvature; power iteration cannot see it while λmax dominates).
   */
  batches: { eigenvalues: number[]; iterations: number[]; converged: boolean[]; loss: number; lanczosMin: number; lanczosMax: number }[];
  eigenvalues: number[];
  nep: number;
  ape: number;
  /** Mean over mini-batches of lanczosMin / lanczosMax (negative when negative curvature was found). */
  minOverMax: number;
  hessianSeconds: number;
}

export async function runUnit(unit: Unit, cfg: Config, ctx: RunContext): Promise<Json> {
  const regime = asRegime(unit.regime);
  const hvpTotal = cfg.batches * (cfg.maxIter * cfg.topK + cfg.lanczosSteps);
  const { model, training } = await trainedMini(String(unit.model), regime, unit.seed, trainCfg(cfg), ctx, (f) => ctx.progress(f * 0.5, 1));
  const t0 = performance.now();
  const b = trainCfg(cfg);
  const tr = trainSplit(regime, cfg);
  const order = permutation(tr.n, rng(unit.seed + 424_242)), aug = rng(unit.seed + 737_373);
  const dim = model.variables().reduce((s, v) => s + v.size, 0);
  const batches: HessianUnit['batches'] = [];
  let calls = 0;
  for (let k = 0; k < cfg.batches; k++) {
    const rows = rowsOf(tr, order.subarray(k * cfg.hessBatch, (k + 1) * cfg.hessBatch));
    const imgs = augment(rows.images, tr.shape, { shift: b.augShift, flip: b.augFlip }, aug);
    const { x, y } = toTensors(imgs, rows.labels, tr.shape, tr.numClasses);
    const inner = modelHvp(model, x, y, { eps: cfg.eps, l2: b.weightDecay });
    const hvp = (v: Float64Array) => { ctx.progress(0.5 + (0.5 * Math.min(hvpTotal, ++calls)) / hvpTotal, 1); return inner(v); };
    const top = await topEigenvalues(hvp, dim, cfg.topK, { maxIter: cfg.maxIter, tol: cfg.tol, seed: unit.seed * 1000 + k });
    const lz = await lanczosExtremes(hvp, dim, cfg.lanczosSteps, unit.seed * 1000 + k + 500);
    batches.push({
      eigenvalues: top.map((t) => round(t.eigenvalue)), iterations: top.map((t) => t.iterations), converged: top.map((t) => t.converged),
      loss: round(evalLoss(model, x, y).loss), lanczosMin: round(lz.min), lanczosMax: round(lz.max),
    });
    calls = (k + 1) * (cfg.maxIter * cfg.topK + cfg.lanczosSteps);
    x.dispose(); y.dispose();
    ctx.log(`${unit.key}: batch ${k + 1}/${cfg.batches} λ = ${top.map((t) => t.eigenvalue.toFixed(3)).join(', ')} (${top.map((t) => t.iterations).join(', ')} it); Lanczos [${lz.min.toFixed(3)}, ${lz.max.toFixed(3)}]`);
  }
  model.dispose();
  const eigenvalues = batches.flatMap((r) => r.eigenvalues);
  const out: HessianUnit = {
    model: String(unit.model), regime, seed: unit.seed, training, batches, eigenvalues,
    nep: nep(eigenvalues), ape: ape(eigenvalues),
    minOverMax: round(batches.reduce((a, r) => a + r.lanczosMin / r.lanczosMax, 0) / batches.length),
    hessianSeconds: round((performance.now() - t0) / 1000, 4),
  };
  return out as unknown as Json;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

// ---- summary: chart data, values for prose, the verdict -------------------------------------


/** Written before the run (worded in src/content/i18n: atlas.exp.hessian.criterion). */
export const CRITERION = text('atlas.exp.hessian.criterion');

export function summarize(records: UnitRecord[], cfg: Config, profile: ProfileName): Record<string, Json> {
  const rs = records.map((r) => r.result as unknown as HessianUnit);
  const groups = cfg.models.flatMap((m) => cfg.regimes.map((g) => ({ model: m, regime: g, us: rs.filter((r) => r.model === m && r.regime === g).sort((a, b) => a.seed - b.seed) })));
  const stat = (m: string, g: string, f: (u: HessianUnit) => number): Stat => meanCi95(groups.find((x) => x.model === m && x.regime === g)?.us.map(f) ?? []);
  const points = rs.flatMap((u) => u.batches.flatMap((bt, k) => bt.eigenvalues.map((e, j) => ({ model: u.model, regime: u.regime, seed: u.seed, batch: k, rank: j + 1, eigenvalue: e, converged: bt.converged[j]! }))));

  const values: Record<string, { value: number; unit?: string }> = {};
  for (const { model, regime, us } of groups) {
    const s = `${shortName(model)}_${regime}`;
    const all = us.flatMap((u) => u.eigenvalues);
    values[`nep_${s}`] = { value: round(stat(model, regime, (u) => u.nep).mean * 100, 4), unit: '%' };
    values[`ape_${s}`] = { value: round(stat(model, regime, (u) => u.ape).mean, 4) };
    values[`acc_${s}`] = { value: round(stat(model, regime, (u) => u.training.testAccuracy).mean * 100, 4), unit: '%' };
    values[`negatives_${s}`] = { value: all.filter((e) => e < 0).length };
    values[`count_${s}`] = { value: all.length };
    values[`max_${s}`] = { value: round(Math.max(...all), 4) };
    values[`min_${s}`] = { value: round(Math.min(...all), 4) };
    values[`ratio_${s}`] = { value: round(-stat(model, regime, (u) => u.minOverMax).mean * 100, 4), unit: '%' };
    values[`lmin_${s}`] = { value: round(stat(model, regime, (u) => mean(u.batches.map((r) => r.lanczosMin))).mean, 4) };
    values[`lneg_${s}`] = { value: us.flatMap((u) => u.batches).filter((r) => r.lanczosMin < 0).length };
    const ratios = us.flatMap((u) => u.batches.map((r) => (-100 * r.lanczosMin) / r.lanczosMax)).sort((a, b) => a - b);
    values[`ratio_median_${s}`] = { value: round(ratios.length ? (ratios[(ratios.length - 1) >> 1]! + ratios[ratios.length >> 1]!) / 2 : NaN, 4), unit: '%' };
    values[`ratio_max_${s}`] = { value: round(ratios.at(-1) ?? NaN, 4), unit: '%' };
  }
  const conv = points.filter((p) => p.converged).length;
  Object.assign(values, {
    converged_pct: { value: round((100 * conv) / Math.max(1, points.length), 4), unit: '%' },
    batches: { value: cfg.batches }, batch_size: { value: cfg.hessBatch }, max_iter: { value: cfg.maxIter }, seeds: { value: cfg.seeds }, lanczos_steps: { value: cfg.lanczosSteps },
    steps: { value: cfg.steps }, train_batch: { value: cfg.batchSize }, small_n: { value: cfg.smallN }, l2: { value: cfg.weightDecay },
    wall_minutes: { value: round(unitWallMs(records) / 60000, 3), unit: 'min' },
  });

  const data = {
    id, profile, config: { batches: cfg.batches, batchSize: cfg.hessBatch, maxIter: cfg.maxIter, tol: cfg.tol, eps: cfg.eps, topK: cfg.topK, seeds: cfg.seeds },
    points,
    extremes: rs.flatMap((u) => u.batches.map((r, k) => ({ model: u.model, regime: u.regime, seed: u.seed, batch: k, min: r.lanczosMin, max: r.lanczosMax }))),
    groups: groups.map(({ model, regime, us }) => ({
      model, regime, seeds: us.length,
      nep: stat(model, regime, (u) => u.nep), ape: stat(model, regime, (u) => u.ape), testAccuracy: stat(model, regime, (u) => u.training.testAccuracy),
      minOverMax: stat(model, regime, (u) => u.minOverMax),
    })),
  };
  const out: Record<string, Json> = { values: valuesFile(id, values) as unknown as Json, data: data as unknown as Json };
  if (records.length !== units(profile, cfg).length) return out; // the verdict needs every unit

  const [cnn, vit] = cfg.models as [string, string];
  const nepVitSmall = stat(vit, 'small', (u) => u.nep), nepCnnSmall = stat(cnn, 'small', (u) => u.nep), nepVitFull = stat(vit, 'full', (u) => u.nep);
  const apeCnnFull = stat(cnn, 'full', (u) => u.ape), apeVitFull = stat(vit, 'full', (u) => u.ape);
  const parts = [ordering(nepVitSmall, nepCnnSmall), ordering(nepVitSmall, nepVitFull), ordering(apeCnnFull, apeVitFull)];
  const verdict = combine(parts);
  const pct = (s: Stat) => num(s.mean * 100, 0);
  const val = (s: Stat) => (Number.isFinite(s.mean) ? num(s.mean, 2) : phrase('atlas.exp.dash'));
  const ratio = (m: string, g: string) => { const r = stat(m, g, (u) => u.minOverMax); return { ...r, mean: -r.mean, ci95: [-r.ci95[1], -r.ci95[0]] as [number, number] }; };
  const summary = text('atlas.exp.hessian.summary', {
    nepVitSmall: pct(nepVitSmall), nepCnnSmall: pct(nepCnnSmall), a: partPhrase(parts[0]!), nepVitFull: pct(nepVitFull), b: partPhrase(parts[1]!),
    apeCnnFull: val(apeCnnFull), apeVitFull: val(apeVitFull), c: partPhrase(parts[2]!), ratioVit: pct(ratio(vit, 'small')), ratioCnn: pct(ratio(cnn, 'small')),
  });
  const label = (what: 'nep' | 'ape' | 'ratio', m: string, g: string) => text(`atlas.exp.hessian.measured.${what}`, { model: mini(m), regime: phrase(`atlas.exp.regime.${g}`) });
  out.verdict = {
    experiment: id, claims: [...claims], profile, criterion: CRITERION, verdict, summary,
    measured: groups.flatMap(({ model, regime }) => [
      measured(`nep_${shortName(model)}_${regime}`, label('nep', model, regime), stat(model, regime, (u) => u.nep), '%', 100),
      measured(`ape_${shortName(model)}_${regime}`, label('ape', model, regime), stat(model, regime, (u) => u.ape)),
      measured(`ratio_${shortName(model)}_${regime}`, label('ratio', model, regime), ratio(model, regime), '%', 100),
    ]).filter((m) => m.seeds > 0), // APE is undefined for a seed whose eigenvalues are all negative
    chart: 'spectrum',
    budget: hessianBudget(cfg),
    wallSeconds: wallSeconds(records),
  } as unknown as Json;
  return out;
}

function hessianBudget(cfg: Config): TextRef {
  return text('atlas.exp.hessian.budget', {
    training: nested(budgetText(trainCfg(cfg), text('atlas.exp.hessian.models'), cfg.seeds)),
    batches: num(cfg.batches), batchSize: num(cfg.hessBatch), maxIter: num(cfg.maxIter), tol: num(cfg.tol), l2: num(cfg.weightDecay),
  });
}
