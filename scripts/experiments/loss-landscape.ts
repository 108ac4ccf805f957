/**
 * loss-landscape (C6): filter-normalised 2D slices of the training loss around trained
 * ResNet-mini, ViT-mini and Swin-mini weights — Li et al. 2018 (NeurIPS, "Visualizing the Loss
 * Landscape of Neural Nets", §4), the plots Park & Kim 2022 (ICLR) use to compare ViT and ResNet.
 *
 *   npm run experiments -- --only loss-landscape --profile quick
 *   npm run experiments -- --only loss-landscape --jobs 1      # full: 3 models × 3 seeds
 *
 * Per unit (model × seed), around θ* trained on all of Fashion-MNIST (the issue's shared trained
 * minis, common/trained-minis.ts): two Gaussian directions, filter-normalised, with
 * biases and normalisation parameters zeroed; the loss L(θ* + αδ + βη) on a fixed subset of
 * training images, unaugmented, BatchNorm on running statistics (Li et al.'s `eval_loss`).
 * The first `surfaceSeeds` seeds get the whole odd grid (21×21 over [−1, 1]², centre = θ*);
 * the others only the two 1D slices through the centre, which is where the verdict's numbers
 * come from for every seed.
 */
import type { Json, ProfileName, RunContext, Unit, UnitRecord } from '../lib/experiments/types';
import { gaussian, meanCi95 } from '../lib/metrics/hessian';
import { linspace, negativeCurvatureFraction, randomDirection, sliceCentreCurvature, sliceNegativeCurvatureFraction, sliceRise, meanRise, type Slice } from '../lib/metrics/loss-landscape';
import { permutation, rng, rowsOf, toTensors } from '../lib/train';
import { budgetText, valuesFile } from './common/representation-summary';
import { mini, nested, num, text, type TextRef } from '../../contracts/text';
import { TRAIN_BUDGET, TRAIN_BUDGET_QUICK } from './common/trained-minis';
import { evalLoss, getFlat, paramSpecs, setFlat, split } from '../lib/metrics/flat-params';
import { combine, measured, ordering, partPhrase, round, type Stat } from './common/orderings';
import { shortName } from '../models/minis';
import { trainCfg, trainedMini, trainSplit, type TrainingFacts } from './common/trained-minis';
import { unitWallMs, wallSeconds } from '../lib/experiments/wall-time';

export const id = 'loss-landscape';
export const claims = ['C6'];
export const codeVersion = '1';

export const defaults = {
  models: ['resnet_mini_28', 'vit_mini_patch4_28', 'swin_mini_28'],
  seeds: 3,
  surfaceSeeds: 1,         // seeds 0…surfaceSeeds−1 get the full 2D grid; the rest 1D slices only
  grid: 21,                // points per axis (odd: θ* sits on the centre point)
  range: 1,                // the grid spans [−range, range]² in filter-normalised units
  evalImages: 128,         // the fixed training subset, unaugmented
  radius: 0.5,             // neighbourhood the verdict's sharpness and convexity numbers look at
  ...TRAIN_BUDGET,
};
type Config = typeof defaults;

export const profiles = {
  quick: { models: ['resnet_mini_28', 'vit_mini_patch4_28'], seeds: 1, grid: 5, evalImages: 16, ...TRAIN_BUDGET_QUICK },
  full: {},
};

export function units(_profile: ProfileName, cfg: Config): Unit[] {
  if (cfg.grid % 2 !== 1) throw new Error(`loss-landscape: grid must be odd so θ* is a grid point, got ${cfg.grid}`);
  return cfg.models.flatMap((model) => Array.from({ length: cfg.seeds }, (_, seed) => ({ key: `${model}.s${seed}`, seed, model })));
}

/** The fixed evaluation subset: the first n of a seeded permutation of the 60k training images. */
export function evalSubset(n: number, cfg: Config) {
  const tr = trainSplit('full', cfg);
  const idx = permutation(tr.n, rng(2018)).subarray(0, n);
  const rows = rowsOf(tr, idx);
  return toTensors(rows.images, rows.labels, tr.shape, tr.numClasses);
}

export interface LandscapeUnit {
  model: string;
  seed: number;
  training: TrainingFacts;
  /** Loss at θ* on the evaluation subset (the grid's centre equals it). */
  trainedLoss: number;
  trainedAccuracy: number;
  coords: number[];
  /** loss[iy][ix] at (coords[ix], coords[iy]); null for slice-only units. */
  surface: number[][] | null;
  accuracy: number[][] | null;
  sliceX: number[];        // L(t·δ) for t in coords
  sliceY: number[];        // L(t·η)
  rise: number;            // mean L − L(θ*) on the slices within `radius`
  negativeCurvature: number; // share of slice points within `radius` with negative second difference
  centreCurvature: number;   // mean second difference at θ* along δ and η
  surfaceRise: number | null;              // the same two numbers over the 2D disk (surface units)
  surfaceNegativeCurvature: number | null;
  evalSeconds: number;
}

export async function runUnit(unit: Unit, cfg: Config, ctx: RunContext): Promise<Json> {
  const full = unit.seed < cfg.surfaceSeeds;
  const coords = linspace(-cfg.range, cfg.range, cfg.grid);
  const evals = full ? cfg.grid * cfg.grid : 2 * cfg.grid - 2;
  const { model, training } = await trainedMini(String(unit.model), 'full', unit.seed, trainCfg(cfg), ctx, (f) => ctx.progress(f * 0.5, 1));
  const t0 = performance.now();
  const vars = model.variables();
  const w = getFlat(vars);
  const specs = paramSpecs(vars);
  const parts = split(vars, w);
  // Two directions from seeded Gaussians, filter-normalised, biases/norms zeroed (Li et al. §4).
  const d1 = concat(randomDirection(specs, parts, gaussian(1_000 + unit.seed)));
  const d2 = concat(randomDirection(specs, parts, gaussian(2_000 + unit.seed)));
  const { x, y } = evalSubset(cfg.evalImages, cfg);
  const trained = evalLoss(model, x, y);
  let done = 0;
  const at = (a: number, b: number) => {
    const p = new Float32Array(w.length);
    for (let i = 0; i < w.length; i++) p[i] = w[i]! + a * d1[i]! + b * d2[i]!;
    setFlat(vars, p);
    const r = evalLoss(model, x, y);
    ctx.progress(0.5 + (0.5 * ++done) / evals, 1);
    return r;
  };
  let surface: number[][] | null = null, accuracy: number[][] | null = null, sliceX: number[], sliceY: number[];
  const c = (cfg.grid - 1) / 2;
  if (full) {
    const grid = coords.map((b) => coords.map((a) => at(a, b)));
    surface = grid.map((row) => row.map((r) => round(r.loss)));
    accuracy = grid.map((row) => row.map((r) => round(r.accuracy)));
    sliceX = surface[c]!.slice();
    sliceY = surface.map((row) => row[c]!);
  } else {
    const centre = round(trained.loss);
    sliceX = coords.map((a, i) => (i === c ? centre : round(at(a, 0).loss)));
    sliceY = coords.map((b, i) => (i === c ? centre : round(at(0, b).loss)));
  }
  setFlat(vars, w);
  x.dispose(); y.dispose();
  model.dispose();
  const sl: Slice[] = [coords.map((t, i) => ({ t, loss: sliceX[i]! })), coords.map((t, i) => ({ t, loss: sliceY[i]! }))];
  const out: LandscapeUnit = {
    model: String(unit.model), seed: unit.seed, training,
    trainedLoss: round(trained.loss), trainedAccuracy: round(trained.accuracy),
    coords: coords.map((c) => round(c)), surface, accuracy, sliceX, sliceY,
    rise: round(sliceRise(sl, cfg.radius)), negativeCurvature: sliceNegativeCurvatureFraction(sl, cfg.radius), centreCurvature: round(sliceCentreCurvature(sl)),
    surfaceRise: surface ? round(meanRise({ xs: coords, ys: coords, loss: surface }, cfg.radius)) : null,
    surfaceNegativeCurvature: surface ? negativeCurvatureFraction({ xs: coords, ys: coords, loss: surface }, cfg.radius) : null,
    evalSeconds: round((performance.now() - t0) / 1000, 4),
  };
  ctx.log(`${unit.key}: L(θ*) ${trained.loss.toFixed(4)}, rise@${cfg.radius} ${out.rise.toFixed(3)}, concave share ${out.negativeCurvature.toFixed(2)}`);
  return out as unknown as Json;
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}


// ---- summary: chart data, values for prose, the verdict -------------------------------------


/** Written before the run (worded in src/content/i18n: atlas.exp.loss-landscape.criterion). */
export const CRITERION = text('atlas.exp.loss-landscape.criterion');

export function summarize(records: UnitRecord[], cfg: Config, profile: ProfileName): Record<string, Json> {
  const rs = records.map((r) => r.result as unknown as LandscapeUnit).sort((a, b) => a.model.localeCompare(b.model) || a.seed - b.seed);
  const of = (m: string) => rs.filter((r) => r.model === m);
  const stat = (m: string, f: (u: LandscapeUnit) => number): Stat => meanCi95(of(m).map(f));
  const values: Record<string, { value: number; unit?: string }> = {};
  for (const m of cfg.models) {
    const s = shortName(m);
    values[`rise_${s}`] = { value: round(stat(m, (u) => u.rise).mean, 4) };
    values[`negcurv_${s}`] = { value: round(stat(m, (u) => u.negativeCurvature).mean * 100, 4), unit: '%' };
    values[`curv_${s}`] = { value: round(stat(m, (u) => u.centreCurvature).mean, 4) };
    values[`loss_${s}`] = { value: round(stat(m, (u) => u.trainedLoss).mean, 4) };
    values[`acc_${s}`] = { value: round(stat(m, (u) => u.training.testAccuracy).mean * 100, 4), unit: '%' };
    const s0 = of(m).find((u) => u.surface);
    if (s0) {
      values[`surface_rise_${s}`] = { value: round(s0.surfaceRise ?? NaN, 4) };
      values[`surface_negcurv_${s}`] = { value: round((s0.surfaceNegativeCurvature ?? NaN) * 100, 4), unit: '%' };
      values[`surface_max_${s}`] = { value: round(Math.max(...s0.surface!.flat()), 4) };
    }
  }
  Object.assign(values, {
    grid: { value: cfg.grid }, range: { value: cfg.range }, eval_images: { value: cfg.evalImages }, radius: { value: cfg.radius },
    seeds: { value: cfg.seeds }, surface_seeds: { value: cfg.surfaceSeeds }, steps: { value: cfg.steps },
    wall_minutes: { value: round(unitWallMs(records) / 60000, 3), unit: 'min' },
  });
  const data = {
    id, profile, config: { grid: cfg.grid, range: cfg.range, evalImages: cfg.evalImages, radius: cfg.radius, seeds: cfg.seeds, surfaceSeeds: cfg.surfaceSeeds },
    surfaces: rs.filter((u) => u.surface).map((u) => ({ model: u.model, seed: u.seed, coords: u.coords, loss: u.surface!, trainedLoss: u.trainedLoss })),
    slices: rs.flatMap((u) => (['x', 'y'] as const).flatMap((dir) => u.coords.map((t, i) => ({ model: u.model, seed: u.seed, dir, t, loss: (dir === 'x' ? u.sliceX : u.sliceY)[i]! })))),
    groups: cfg.models.map((m) => ({
      model: m, seeds: of(m).length, rise: stat(m, (u) => u.rise), negativeCurvature: stat(m, (u) => u.negativeCurvature),
      centreCurvature: stat(m, (u) => u.centreCurvature), trainedLoss: stat(m, (u) => u.trainedLoss), testAccuracy: stat(m, (u) => u.training.testAccuracy),
    })),
  };
  const out: Record<string, Json> = { values: valuesFile(id, values) as unknown as Json, data: data as unknown as Json };
  if (records.length !== units(profile, cfg).length) return out; // the verdict needs every unit

  const cnn = 'resnet_mini_28', vit = 'vit_mini_patch4_28';
  const riseCnn = stat(cnn, (u) => u.rise), riseVit = stat(vit, (u) => u.rise);
  const negCnn = stat(cnn, (u) => u.negativeCurvature), negVit = stat(vit, (u) => u.negativeCurvature);
  const parts = [ordering(riseCnn, riseVit), ordering(negVit, negCnn)];
  const f2 = (s: Stat) => num(s.mean, 2), pc = (s: Stat) => num(s.mean * 100, 0);
  out.verdict = {
    experiment: id, claims: [...claims], profile, criterion: CRITERION, verdict: combine(parts),
    summary: text('atlas.exp.loss-landscape.summary', {
      radius: num(cfg.radius), riseCnn: f2(riseCnn), riseVit: f2(riseVit), a: partPhrase(parts[0]!), negVit: pc(negVit), negCnn: pc(negCnn), b: partPhrase(parts[1]!),
    }),
    measured: cfg.models.flatMap((m) => [
      measured(`rise_${shortName(m)}`, text('atlas.exp.loss-landscape.measured.rise', { radius: num(cfg.radius), model: mini(m) }), stat(m, (u) => u.rise)),
      measured(`negcurv_${shortName(m)}`, text('atlas.exp.loss-landscape.measured.negcurv', { radius: num(cfg.radius), model: mini(m) }), stat(m, (u) => u.negativeCurvature), '%', 100),
    ]).filter((x) => x.seeds > 0),
    chart: 'surface',
    budget: landscapeBudget(cfg),
    wallSeconds: wallSeconds(records),
  } as unknown as Json;
  return out;
}

function landscapeBudget(cfg: Config): TextRef {
  return text('atlas.exp.loss-landscape.budget', {
    training: nested(budgetText(trainCfg(cfg), text('atlas.exp.loss-landscape.models'), cfg.seeds)),
    grid: num(cfg.grid), range: num(cfg.range), surfaceSeeds: num(cfg.surfaceSeeds), evalImages: num(cfg.evalImages),
  });
}
