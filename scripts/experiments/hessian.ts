/**
 * hessian (C6): the top Hessian eigenvalues and the spectral density of the pool's ResNet-mini and
 * ViT-mini, trained on all of Fashion-MNIST (full) or on 2,000 images (small), beside the same
 * architectures and seeds untrained (init, the control) — Park & Kim 2022 (ICLR, "How Do Vision
 * Transformers Work?", Figs. 1 and 4). Judged by criteria/curvature.ts.
 *
 *   npm run experiments -- --only hessian --profile quick
 *   npm run experiments -- --only hessian --jobs 2          # full: 2 models × 3 regimes × 3 seeds, on the committed pool
 *
 * Per unit (model × regime × seed): the pool network (common/pool-models.ts, never trained here), and
 * the Hessian of the mean cross-entropy over `hvpBatches` training batches of the regime's training set
 * (the full set for init), augmented as the pool trained (the loss the optimiser saw; AdamW's weight
 * decay is decoupled, so no L2 term). H·v is a central difference of two gradients with the ReLU
 * pattern frozen at θ (autograd's Hessian; lib/metrics/flat-params.ts); BatchNorm on running
 * statistics (curvature.ts BATCHNORM). Lanczos gives the top-k eigenvalues, stochastic Lanczos
 * quadrature the spectral density and its mass below −NEG_REL_TOL·λ1 (lib/metrics/hessian-spectrum.ts).
 *
 * The pool keeps one checkpoint per unit (the best on validation), so each network offers one point to
 * matchTrainingLoss: the losses match or the part of the criterion that needs them is inconclusive.
 */
import type { Json, ProfileName, RunContext, Unit, UnitRecord } from '../lib/experiments/types';
import { mergeConfig } from '../lib/experiments/cache';
import type { Experiment } from '../lib/experiments/types';
import { evalLoss, modelHvp } from '../lib/metrics/flat-params';
import { averagedHvp, lanczosTop, negativeMass, slq, spectralDensity } from '../lib/metrics/hessian-spectrum';
import { meanCi95 } from '../lib/metrics/hessian';
import { augment, permutation, rng, rowsOf, toTensors } from '../lib/train';
import { unitWallMs, wallSeconds } from '../lib/experiments/wall-time';
import { mini as miniRef, nested, num, phrase, text, type TextRef } from '../../contracts/text';
import { mini, shortName } from '../../models/minis';
import { measured, round, type Stat } from './common/orderings';
import { valuesFile } from './common/representation-summary';
import { factsJson, poolMini, poolRefs, type PoolFacts, type PoolRegimeOrInit } from './common/pool-models';
import { BATCHNORM, curvatureVerdict, HVP_BATCHES, MIN_FLAT_RATIO, MIN_NEG_MASS_DIFF, MIN_SEEDS, NEG_REL_TOL, TOP_K, type CurvaturePart, type CurvatureSeed } from './criteria/curvature';
import { LOSS_MATCH_TOL, matchTrainingLoss } from './criteria/matched-loss';
import * as pool from './pool';

export const id = 'hessian';
export const claims = ['C6'];
export const codeVersion = '3'; // 3: pool networks and the untrained control; top-5 Lanczos and SLQ density on the mean loss of 20 batches
export const reads = ['pool']; // its units load pool weights: a run trains the pool first

export const defaults = {
  models: ['resnet_mini_28', 'vit_mini_patch4_28'],
  regimes: ['full', 'small', 'init'],
  seeds: MIN_SEEDS,
  hvpBatches: HVP_BATCHES, // training batches whose mean loss has the Hessian (criterion: at least 20)
  hessBatch: 32,           // images per batch, augmented as the pool trained
  topK: TOP_K,             // top eigenvalues kept (criterion: five)
  lanczosSteps: 20,        // Lanczos steps for the top-k (3–4 × k: the top end converges first)
  slqSteps: 30,            // Lanczos steps per SLQ probe (quadrature nodes of the density)
  slqProbes: 4,            // Rademacher probes for the density (PyHessian's density uses 1–10)
  eps: 3e-3,               // central-difference step for H·v, unit-norm v (1e-2…1e-3 agree to ~1e-3)
};
type Config = typeof defaults;

export const profiles = {
  quick: { seeds: 1, hvpBatches: 2, hessBatch: 8, lanczosSteps: 6, slqSteps: 6, slqProbes: 1 },
  full: {},
};

/** Hours of Hessian-vector products once the pool is there: `npm run build` never runs them. */
export const long = true;

const unitKey = (model: string, regime: string, seed: number) => `${mini(model).short}-${regime}-s${seed}`;

export function units(profile: ProfileName, cfg: Config): Unit[] {
  return cfg.models.flatMap((model) => cfg.regimes.flatMap((regime) => Array.from({ length: cfg.seeds }, (_, seed) => ({
    key: unitKey(model, regime, seed), seed, model, regime,
    pool: poolRefs([{ model, regime: regime as PoolRegimeOrInit, seed }], profile),
  }))));
}

export interface HessianUnit {
  model: string;
  regime: PoolRegimeOrInit;
  seed: number;
  pool: PoolFacts;
  /** λ1 ≥ … ≥ λk (Lanczos), and the smallest Ritz value of the same run. */
  top: number[];
  lanczosMin: number;
  /** SLQ: spectral mass below −NEG_REL_TOL·λ1 (the criterion's) and below 0 (descriptive). */
  negMass: number;
  negMassZero: number;
  /** Mean loss and accuracy over the Hessian's batches (augmented training images). */
  trainLoss: number;
  trainAccuracy: number;
  /** SLQ quadrature nodes and weights per probe, for the density chart. */
  slq: { nodes: number[][]; weights: number[][] };
  hessianSeconds: number;
}

const asRegime = (r: unknown): PoolRegimeOrInit => {
  if (r === 'full' || r === 'small' || r === 'init') return r;
  throw new Error(`hessian: unknown regime '${String(r)}' (full | small | init)`);
};

export async function runUnit(unit: Unit, cfg: Config, ctx: RunContext): Promise<Json> {
  const regime = asRegime(unit.regime);
  const { model, facts } = await poolMini(String(unit.model), regime, unit.seed, ctx);
  const t0 = performance.now();
  const pcfg = mergeConfig(pool as unknown as Experiment, ctx.profile) as typeof pool.defaults;
  // The untrained control is probed on the full training set (it has seen none).
  const tr = pool.poolData(regime === 'init' ? 'full' : regime, pcfg).train;
  if (cfg.hvpBatches * cfg.hessBatch > tr.n) throw new Error(`hessian: ${cfg.hvpBatches} batches of ${cfg.hessBatch} exceed the ${tr.n} training images`);
  const order = permutation(tr.n, rng(unit.seed + 424_242)), aug = rng(unit.seed + 737_373);
  const dim = model.variables().reduce((s, v) => s + v.size, 0);
  const batches: { x: ReturnType<typeof toTensors>['x']; y: ReturnType<typeof toTensors>['y'] }[] = [];
  let loss = 0, acc = 0;
  for (let k = 0; k < cfg.hvpBatches; k++) {
    const rows = rowsOf(tr, order.subarray(k * cfg.hessBatch, (k + 1) * cfg.hessBatch));
    const imgs = augment(rows.images, tr.shape, { shift: pcfg.augShift, flip: pcfg.augFlip }, aug);
    const b = toTensors(imgs, rows.labels, tr.shape, tr.numClasses);
    const e = evalLoss(model, b.x, b.y);
    loss += e.loss / cfg.hvpBatches; acc += e.accuracy / cfg.hvpBatches;
    batches.push(b);
  }
  const total = cfg.lanczosSteps + cfg.slqSteps * cfg.slqProbes;
  let calls = 0;
  const mean = averagedHvp(batches.map((b) => modelHvp(model, b.x, b.y, { eps: cfg.eps, l2: 0 })));
  const hvp = async (v: Float64Array) => { ctx.progress(Math.min(total, ++calls), total); return mean(v); };
  const lz = await lanczosTop(hvp, dim, cfg.topK, { steps: cfg.lanczosSteps, seed: unit.seed * 1000 + 1 });
  const s = await slq(hvp, dim, { steps: cfg.slqSteps, probes: cfg.slqProbes, seed: unit.seed * 1000 + 2 });
  for (const b of batches) { b.x.dispose(); b.y.dispose(); }
  model.dispose();
  const out: HessianUnit = {
    model: String(unit.model), regime, seed: unit.seed, pool: facts,
    top: lz.top.map((x) => round(x)), lanczosMin: round(lz.min),
    negMass: round(negativeMass(s, -NEG_REL_TOL * lz.top[0]!)), negMassZero: round(negativeMass(s, 0)),
    trainLoss: round(loss), trainAccuracy: round(acc),
    slq: { nodes: s.nodes.map((ns) => ns.map((x) => round(x))), weights: s.weights.map((ws) => ws.map((x) => round(x))) },
    hessianSeconds: round((performance.now() - t0) / 1000, 4),
  };
  ctx.log(`${unit.key}: λ1..${cfg.topK} ${lz.top.map((x) => x.toFixed(3)).join(', ')}; λmin ${lz.min.toFixed(3)}; neg mass ${(out.negMass * 100).toFixed(2)}%; loss ${loss.toFixed(4)}`);
  return { ...out, pool: factsJson(facts) } as unknown as Json;
}

// ---- summary: chart data, values for prose, the verdict -------------------------------------

const REGIMES: readonly PoolRegimeOrInit[] = ['full', 'small', 'init'];
const topMean = (u: HessianUnit) => u.top.slice(0, TOP_K).reduce((a, b) => a + b, 0) / Math.min(TOP_K, u.top.length);
const curvatureSeed = (u: HessianUnit): CurvatureSeed => ({ top: u.top, negMass: u.negMass, trainLoss: u.trainLoss });
/** The density is drawn against λ/λ1 so that networks whose curvature differs by orders of magnitude share one axis. */
export const DENSITY_GRID = Array.from({ length: 131 }, (_, i) => round(-0.25 + i * 0.01, 4));
const DENSITY_SIGMA = 0.01;

/** Worded from the criterion's constants (src/content/i18n: atlas.exp.hessian.criterion). */
export const CRITERION: TextRef = text('atlas.exp.hessian.criterion', {
  batches: num(HVP_BATCHES), topK: num(TOP_K), ratio: num(MIN_FLAT_RATIO), negPp: num(MIN_NEG_MASS_DIFF * 100), negTol: num(NEG_REL_TOL * 100),
  lossTol: num(LOSS_MATCH_TOL * 100), seeds: num(MIN_SEEDS), batchnorm: phrase(`atlas.exp.hessian.batchnorm.${BATCHNORM}`),
});

export function summarize(records: UnitRecord[], cfg: Config, profile: ProfileName): Record<string, Json> {
  const rs = records.map((r) => r.result as unknown as HessianUnit);
  const of = (m: string, g: PoolRegimeOrInit) => rs.filter((u) => u.model === m && u.regime === g).sort((a, b) => a.seed - b.seed);
  const stat = (m: string, g: PoolRegimeOrInit, f: (u: HessianUnit) => number): Stat => meanCi95(of(m, g).map(f));
  const groups = cfg.models.flatMap((m) => REGIMES.filter((g) => cfg.regimes.includes(g)).map((g) => ({ model: m, regime: g, us: of(m, g) }))).filter((x) => x.us.length);

  const values: Record<string, { value: number; unit?: string }> = {};
  for (const { model, regime } of groups) {
    const s = `${shortName(model)}_${regime}`;
    values[`top5_${s}`] = { value: round(stat(model, regime, topMean).mean, 4) };
    values[`lambda1_${s}`] = { value: round(stat(model, regime, (u) => u.top[0]!).mean, 4) };
    values[`negmass_${s}`] = { value: round(stat(model, regime, (u) => u.negMass).mean * 100, 4), unit: '%' };
    values[`negmass0_${s}`] = { value: round(stat(model, regime, (u) => u.negMassZero).mean * 100, 4), unit: '%' };
    values[`loss_${s}`] = { value: round(stat(model, regime, (u) => u.trainLoss).mean, 4) };
    values[`units_${s}`] = { value: of(model, regime).length };
    if (regime !== 'init') values[`acc_${s}`] = { value: round(stat(model, regime, (u) => u.pool.testAccuracy ?? NaN).mean * 100, 4), unit: '%' };
  }
  Object.assign(values, {
    hvp_batches: { value: cfg.hvpBatches }, batch_size: { value: cfg.hessBatch }, top_k: { value: cfg.topK }, lanczos_steps: { value: cfg.lanczosSteps },
    slq_steps: { value: cfg.slqSteps }, slq_probes: { value: cfg.slqProbes }, seeds: { value: cfg.seeds },
    neg_tol: { value: NEG_REL_TOL * 100, unit: '%' }, min_flat_ratio: { value: MIN_FLAT_RATIO }, min_neg_pp: { value: MIN_NEG_MASS_DIFF * 100 },
    loss_tol: { value: LOSS_MATCH_TOL * 100, unit: '%' },
    wall_minutes: { value: round(unitWallMs(records) / 60000, 3), unit: 'min' },
  });

  const density = groups.map(({ model, regime, us }) => {
    // Each seed's quadrature rescaled by its own λ1, then averaged over seeds.
    const per = us.map((u) => spectralDensity({ nodes: u.slq.nodes.map((ns) => ns.map((x) => x / u.top[0]!)), weights: u.slq.weights }, DENSITY_GRID, DENSITY_SIGMA));
    return { model, regime, density: DENSITY_GRID.map((_, i) => round(per.reduce((a, d) => a + d[i]!, 0) / per.length, 4)) };
  });
  const data = {
    id, profile,
    config: { hvpBatches: cfg.hvpBatches, batchSize: cfg.hessBatch, topK: cfg.topK, lanczosSteps: cfg.lanczosSteps, slqSteps: cfg.slqSteps, slqProbes: cfg.slqProbes, seeds: cfg.seeds, negTol: NEG_REL_TOL },
    units: rs.map((u) => ({ model: u.model, regime: u.regime, seed: u.seed, top: u.top, lanczosMin: u.lanczosMin, negMass: u.negMass, trainLoss: u.trainLoss }))
      .sort((a, b) => a.model.localeCompare(b.model) || REGIMES.indexOf(a.regime) - REGIMES.indexOf(b.regime) || a.seed - b.seed),
    groups: groups.map(({ model, regime }) => ({
      model, regime, seeds: of(model, regime).length,
      top5: stat(model, regime, topMean), negMass: stat(model, regime, (u) => u.negMass), trainLoss: stat(model, regime, (u) => u.trainLoss),
    })),
    grid: DENSITY_GRID, density,
  };
  // Values and verdict wait for every unit: prose quotes group values, which a partial run would lack.
  const out: Record<string, Json> = { data: data as unknown as Json };
  if (records.length !== units(profile, cfg).length) return out;

  const [cnnName, vitName] = cfg.models as [string, string];
  const curv = (m: string) => ({ full: of(m, 'full').map(curvatureSeed), small: of(m, 'small').map(curvatureSeed), init: of(m, 'init').map(curvatureSeed) });
  const v = curvatureVerdict({ cnn: curv(cnnName), vit: curv(vitName) });
  // One point per network (the pool's checkpoint): the match is reported beside the verdict.
  const meanLoss = (m: string, g: PoolRegimeOrInit) => stat(m, g, (u) => u.trainLoss).mean;
  const flatMatch = matchTrainingLoss({ cnn: [{ id: 'pool', trainLoss: meanLoss(cnnName, 'full') }], vit: [{ id: 'pool', trainLoss: meanLoss(vitName, 'full') }] });
  const scarceMatch = matchTrainingLoss({ full: [{ id: 'pool', trainLoss: meanLoss(vitName, 'full') }], small: [{ id: 'pool', trainLoss: meanLoss(vitName, 'small') }] });
  (out.data as Record<string, Json>).match = { flat: flatMatch, scarce: scarceMatch } as unknown as Json;
  if (v.parts.flat.effect) values.flat_ratio = { value: round(Math.exp(-v.parts.flat.effect.diff), 4), unit: '×' };
  if (v.parts.scarce.effect) values.scarce_diff = { value: round(v.parts.scarce.effect.diff * 100, 4) };
  if (v.parts.cnnScarce.effect) values.cnn_scarce_diff = { value: round(v.parts.cnnScarce.effect.diff * 100, 4) };
  out.values = valuesFile(id, values) as unknown as Json;

  const c2 = (x: number) => num(x, 2), pc = (x: number) => num(x * 100, 2);
  const part = (p: CurvaturePart) => phrase(p.reason === 'ok' ? `atlas.exp.hessian.part.${p.verdict}` : `atlas.exp.hessian.reason.${p.reason}`);
  const label = (what: 'top5' | 'negmass' | 'loss', m: string, g: PoolRegimeOrInit) => text(`atlas.exp.hessian.measured.${what}`, { model: miniRef(m), regime: phrase(`atlas.exp.hessian.regime.${g}`) });
  out.verdict = {
    experiment: id, claims: [...claims], profile, criterion: CRITERION, verdict: v.verdict,
    control: text('atlas.exp.hessian.control', {
      cnnTop: c2(v.control.cnnTop.mean), vitTop: c2(v.control.vitTop.mean), cnnNeg: pc(v.control.cnnNegMass.mean), vitNeg: pc(v.control.vitNegMass.mean),
    }),
    summary: text('atlas.exp.hessian.summary', {
      cnnTop: c2(stat(cnnName, 'full', topMean).mean), vitTop: c2(stat(vitName, 'full', topMean).mean),
      cnnLoss: num(meanLoss(cnnName, 'full'), 3), vitLoss: num(meanLoss(vitName, 'full'), 3), flat: part(v.parts.flat),
      vitNegSmall: pc(stat(vitName, 'small', (u) => u.negMass).mean), vitNegFull: pc(stat(vitName, 'full', (u) => u.negMass).mean),
      vitLossSmall: num(meanLoss(vitName, 'small'), 3), scarce: part(v.parts.scarce),
      cnnNegSmall: pc(stat(cnnName, 'small', (u) => u.negMass).mean), cnnNegFull: pc(stat(cnnName, 'full', (u) => u.negMass).mean),
    }),
    measured: groups.flatMap(({ model, regime }) => [
      measured(`top5_${shortName(model)}_${regime}`, label('top5', model, regime), stat(model, regime, topMean)),
      measured(`negmass_${shortName(model)}_${regime}`, label('negmass', model, regime), stat(model, regime, (u) => u.negMass), '%', 100),
      measured(`loss_${shortName(model)}_${regime}`, label('loss', model, regime), stat(model, regime, (u) => u.trainLoss)),
    ]).filter((m) => m.seeds > 0),
    chart: 'top',
    budget: text('atlas.exp.hessian.budget', {
      models: nested(text('atlas.exp.hessian.models')), seeds: num(cfg.seeds), batches: num(cfg.hvpBatches), batchSize: num(cfg.hessBatch),
      topK: num(cfg.topK), lanczos: num(cfg.lanczosSteps), slqSteps: num(cfg.slqSteps), probes: num(cfg.slqProbes),
    }),
    wallSeconds: wallSeconds(records),
  } as unknown as Json;
  return out;
}
