/**
 * loss-landscape (C6): filter-normalised 2D slices of the training loss around the pool's ResNet-mini
 * and ViT-mini (trained on all of Fashion-MNIST), beside the same architectures and seeds untrained
 * (init, the control) — Li et al. 2018 (NeurIPS, "Visualizing the Loss Landscape of Neural Nets", §4),
 * the plots Park & Kim 2022 (ICLR, Fig. 1) use to compare ViT and ResNet.
 *
 *   npm run experiments -- --only loss-landscape --profile quick
 *   npm run experiments -- --only loss-landscape --jobs 2   # full: 2 models × (full, init) × 3 seeds, on the committed pool
 *
 * Per unit (model × regime × seed), around θ (the pool's weights, never trained here): two Gaussian
 * directions, filter-normalised, with biases and normalisation parameters zeroed; the loss
 * L(θ + αδ + βη) on a fixed subset of the pool's training images, unaugmented, BatchNorm on running
 * statistics (criteria/curvature.ts BATCHNORM, the same choice as the hessian experiment and Li et al.'s
 * `eval_loss`). The first `surfaceSeeds` seeds get the whole odd grid; the others only the two 1D slices.
 *
 * The figure is descriptive: the C6 verdict is the hessian experiment's (criteria/curvature.ts), which
 * measures curvature in every direction rather than along two random ones. The surfaces are compared at
 * matched training loss (criteria/matched-loss.ts): the summary reports whether the trained networks'
 * losses at θ agree within its tolerance, and the page says so beside the figure.
 */
import type { Experiment, Json, ProfileName, RunContext, Unit, UnitRecord } from '../lib/experiments/types';
import { mergeConfig } from '../lib/experiments/cache';
import { gaussian, meanCi95 } from '../lib/metrics/hessian';
import { linspace, negativeCurvatureFraction, randomDirection, sliceCentreCurvature, sliceNegativeCurvatureFraction, sliceRise, meanRise, type Slice } from '../lib/metrics/loss-landscape';
import { permutation, rng, rowsOf, toTensors } from '../lib/train';
import { evalLoss, getFlat, paramSpecs, setFlat, split } from '../lib/metrics/flat-params';
import { unitWallMs } from '../lib/experiments/wall-time';
import { mini, shortName } from '../../models/minis';
import { round, type Stat } from './common/orderings';
import { valuesFile } from './common/representation-summary';
import { factsJson, poolMini, poolRefs, type PoolFacts } from './common/pool-models';
import { BATCHNORM } from './criteria/curvature';
import { LOSS_MATCH_TOL, matchTrainingLoss } from './criteria/matched-loss';
import * as pool from './pool';

export const id = 'loss-landscape';
export const claims = ['C6'];
export const codeVersion = '2'; // 2: pool networks and the untrained control, no training here
export const reads = ['pool']; // its units load pool weights: a run trains the pool first

export const defaults = {
  models: ['resnet_mini_28', 'vit_mini_patch4_28'],
  regimes: ['full', 'init'],
  seeds: 3,
  surfaceSeeds: 1,         // seeds 0…surfaceSeeds−1 get the full 2D grid; the rest 1D slices only
  grid: 21,                // points per axis (odd: θ sits on the centre point)
  range: 1,                // the grid spans [−range, range]² in filter-normalised units
  evalImages: 256,         // the fixed training subset, unaugmented
  radius: 0.5,             // neighbourhood the rise and concavity numbers look at
};
type Config = typeof defaults;

export const profiles = {
  quick: { seeds: 1, grid: 5, evalImages: 16 },
  full: {},
};

/** A 21×21 grid per surface unit at the pool's cost per forward pass: `npm run build` never runs it. */
export const long = true;

type Regime = 'full' | 'init';
const asRegime = (r: unknown): Regime => {
  if (r === 'full' || r === 'init') return r;
  throw new Error(`loss-landscape: unknown regime '${String(r)}' (full | init)`);
};

export function units(profile: ProfileName, cfg: Config): Unit[] {
  if (cfg.grid % 2 !== 1) throw new Error(`loss-landscape: grid must be odd so θ is a grid point, got ${cfg.grid}`);
  return cfg.models.flatMap((model) => cfg.regimes.flatMap((regime) => Array.from({ length: cfg.seeds }, (_, seed) => ({
    key: `${mini(model).short}-${regime}-s${seed}`, seed, model, regime,
    pool: poolRefs([{ model, regime: asRegime(regime), seed }], profile),
  }))));
}

/** The fixed evaluation subset: the first n of a seeded permutation of the pool's full-regime training images. */
export function evalSubset(n: number, profile: ProfileName) {
  const tr = pool.poolData('full', mergeConfig(pool as unknown as Experiment, profile) as typeof pool.defaults).train;
  const idx = permutation(tr.n, rng(2018)).subarray(0, n);
  const rows = rowsOf(tr, idx);
  return toTensors(rows.images, rows.labels, tr.shape, tr.numClasses);
}

export interface LandscapeUnit {
  model: string;
  regime: Regime;
  seed: number;
  pool: PoolFacts;
  /** Loss at θ on the evaluation subset (the grid's centre equals it). */
  trainedLoss: number;
  trainedAccuracy: number;
  coords: number[];
  /** loss[iy][ix] at (coords[ix], coords[iy]); null for slice-only units. */
  surface: number[][] | null;
  sliceX: number[];        // L(t·δ) for t in coords
  sliceY: number[];        // L(t·η)
  rise: number;            // mean L − L(θ) on the slices within `radius`
  negativeCurvature: number; // share of slice points within `radius` with negative second difference
  centreCurvature: number;   // mean second difference at θ along δ and η
  surfaceRise: number | null;              // the same two numbers over the 2D disk (surface units)
  surfaceNegativeCurvature: number | null;
  evalSeconds: number;
}

export async function runUnit(unit: Unit, cfg: Config, ctx: RunContext): Promise<Json> {
  const regime = asRegime(unit.regime);
  const full = unit.seed < cfg.surfaceSeeds;
  const coords = linspace(-cfg.range, cfg.range, cfg.grid);
  const evals = full ? cfg.grid * cfg.grid : 2 * cfg.grid - 2;
  const { model, facts } = await poolMini(String(unit.model), regime, unit.seed, ctx);
  const t0 = performance.now();
  const vars = model.variables();
  const w = getFlat(vars);
  const specs = paramSpecs(vars);
  const parts = split(vars, w);
  // Two directions from seeded Gaussians, filter-normalised, biases/norms zeroed (Li et al. §4).
  const d1 = concat(randomDirection(specs, parts, gaussian(1_000 + unit.seed)));
  const d2 = concat(randomDirection(specs, parts, gaussian(2_000 + unit.seed)));
  const { x, y } = evalSubset(cfg.evalImages, ctx.profile);
  const centre = evalLoss(model, x, y);
  let done = 0;
  const at = (a: number, b: number) => {
    const p = new Float32Array(w.length);
    for (let i = 0; i < w.length; i++) p[i] = w[i]! + a * d1[i]! + b * d2[i]!;
    setFlat(vars, p);
    const r = evalLoss(model, x, y);
    ctx.progress(++done, evals);
    return r;
  };
  let surface: number[][] | null = null, sliceX: number[], sliceY: number[];
  const c = (cfg.grid - 1) / 2;
  if (full) {
    surface = coords.map((b) => coords.map((a) => round(at(a, b).loss)));
    sliceX = surface[c]!.slice();
    sliceY = surface.map((row) => row[c]!);
  } else {
    const l0 = round(centre.loss);
    sliceX = coords.map((a, i) => (i === c ? l0 : round(at(a, 0).loss)));
    sliceY = coords.map((b, i) => (i === c ? l0 : round(at(0, b).loss)));
  }
  setFlat(vars, w);
  x.dispose(); y.dispose();
  model.dispose();
  const sl: Slice[] = [coords.map((t, i) => ({ t, loss: sliceX[i]! })), coords.map((t, i) => ({ t, loss: sliceY[i]! }))];
  const out: LandscapeUnit = {
    model: String(unit.model), regime, seed: unit.seed, pool: facts,
    trainedLoss: round(centre.loss), trainedAccuracy: round(centre.accuracy),
    coords: coords.map((v) => round(v)), surface, sliceX, sliceY,
    rise: round(sliceRise(sl, cfg.radius)), negativeCurvature: sliceNegativeCurvatureFraction(sl, cfg.radius), centreCurvature: round(sliceCentreCurvature(sl)),
    surfaceRise: surface ? round(meanRise({ xs: coords, ys: coords, loss: surface }, cfg.radius)) : null,
    surfaceNegativeCurvature: surface ? negativeCurvatureFraction({ xs: coords, ys: coords, loss: surface }, cfg.radius) : null,
    evalSeconds: round((performance.now() - t0) / 1000, 4),
  };
  ctx.log(`${unit.key}: L(θ) ${centre.loss.toFixed(4)}, rise@${cfg.radius} ${out.rise.toFixed(3)}, concave share ${out.negativeCurvature.toFixed(2)}`);
  return { ...out, pool: factsJson(facts) } as unknown as Json;
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

// ---- summary: chart data and values for prose (no verdict: C6 is judged by the hessian experiment) ----

export function summarize(records: UnitRecord[], cfg: Config, profile: ProfileName): Record<string, Json> {
  const rs = records.map((r) => r.result as unknown as LandscapeUnit).sort((a, b) => a.model.localeCompare(b.model) || a.regime.localeCompare(b.regime) || a.seed - b.seed);
  const of = (m: string, g: Regime) => rs.filter((r) => r.model === m && r.regime === g);
  const stat = (m: string, g: Regime, f: (u: LandscapeUnit) => number): Stat => meanCi95(of(m, g).map(f));
  const groups = cfg.models.flatMap((m) => cfg.regimes.map(asRegime).map((g) => ({ model: m, regime: g }))).filter(({ model, regime }) => of(model, regime).length);
  const trained = cfg.models.filter((m) => of(m, 'full').length);
  // The trained networks' losses at θ, one point each (the pool keeps one checkpoint): matched or not.
  const match = trained.length >= 2
    ? matchTrainingLoss(Object.fromEntries(trained.map((m) => [m, [{ id: 'pool', trainLoss: stat(m, 'full', (u) => u.trainedLoss).mean }]])))
    : null;
  const data = {
    id, profile,
    config: { grid: cfg.grid, range: cfg.range, evalImages: cfg.evalImages, radius: cfg.radius, seeds: cfg.seeds, surfaceSeeds: cfg.surfaceSeeds, batchnorm: BATCHNORM, lossTol: LOSS_MATCH_TOL },
    surfaces: rs.filter((u) => u.surface).map((u) => ({ model: u.model, regime: u.regime, seed: u.seed, coords: u.coords, loss: u.surface!, trainedLoss: u.trainedLoss })),
    slices: rs.flatMap((u) => (['x', 'y'] as const).flatMap((dir) => u.coords.map((t, i) => ({ model: u.model, regime: u.regime, seed: u.seed, dir, t, loss: (dir === 'x' ? u.sliceX : u.sliceY)[i]! })))),
    groups: groups.map(({ model, regime }) => ({
      model, regime, seeds: of(model, regime).length, rise: stat(model, regime, (u) => u.rise), negativeCurvature: stat(model, regime, (u) => u.negativeCurvature),
      centreCurvature: stat(model, regime, (u) => u.centreCurvature), trainedLoss: stat(model, regime, (u) => u.trainedLoss),
    })),
    match,
  };
  // Values wait for every unit: prose quotes group values, which a partial run would lack.
  const out: Record<string, Json> = { data: data as unknown as Json };
  if (records.length !== units(profile, cfg).length) return out;
  const values: Record<string, { value: number; unit?: string }> = {};
  for (const { model, regime } of groups) {
    const s = `${shortName(model)}_${regime}`;
    values[`rise_${s}`] = { value: round(stat(model, regime, (u) => u.rise).mean, 4) };
    values[`negcurv_${s}`] = { value: round(stat(model, regime, (u) => u.negativeCurvature).mean * 100, 4), unit: '%' };
    values[`curv_${s}`] = { value: round(stat(model, regime, (u) => u.centreCurvature).mean, 4) };
    values[`loss_${s}`] = { value: round(stat(model, regime, (u) => u.trainedLoss).mean, 4) };
    const s0 = of(model, regime).find((u) => u.surface);
    if (s0) values[`surface_max_${s}`] = { value: round(Math.max(...s0.surface!.flat()), 4) };
  }
  // How far apart the trained networks' losses are (the picks' largest log gap to the shared target), beside the tolerance.
  if (match) values.loss_gap = { value: round((Math.exp(Math.max(...Object.values(match.picks).map((p) => p.logGap))) - 1) * 100, 4), unit: '%' };
  Object.assign(values, {
    grid: { value: cfg.grid }, range: { value: cfg.range }, eval_images: { value: cfg.evalImages }, radius: { value: cfg.radius },
    seeds: { value: cfg.seeds }, surface_seeds: { value: cfg.surfaceSeeds }, loss_tol: { value: LOSS_MATCH_TOL * 100, unit: '%' },
    wall_minutes: { value: round(unitWallMs(records) / 60000, 3), unit: 'min' },
  });
  out.values = valuesFile(id, values) as unknown as Json;
  return out;
}
