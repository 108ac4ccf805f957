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
import { TRAIN_BUDGET, TRAIN_BUDGET_QUICK } from './common/trained-minis';
import { evalLoss, getFlat, paramSpecs, setFlat, split } from '../lib/metrics/flat-params';
import { combine, measured, ordering, PART_TEXT, round, type Stat } from './common/orderings';
import { familyName, shortName } from '../models/minis';
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


export const CRITERION = {
  en: 'Park & Kim (2022, ICLR, Fig. 1 left; surfaces shown as figures) find ViT\'s loss surface flatter than ResNet\'s near the trained weights, and its loss non-convex. Two predicted orderings, judged from per-seed values on the two filter-normalised 1D slices through θ* (mean and 95% t-interval over seeds), within distance 0.5: (a) the ResNet-mini\'s mean loss rise is larger than the ViT-mini\'s (ViT flatter); (b) the ViT-mini has a larger share of points with negative second difference (concave, non-convex) than the ResNet-mini. Reproduced if both hold with non-overlapping intervals; not reproduced if neither holds even in the means; partly otherwise.',
  ja: 'Park & Kim（2022, ICLR, 図 1 左。曲面は図のみ）は、学習済みの重みの近くで ViT の損失曲面が ResNet より平坦で、しかも非凸であると報告している。θ* を通るフィルタ正規化した 2 本の 1 次元断面上で、距離 0.5 以内のシードごとの値（シード間の平均と 95% t 区間）により 2 つの大小関係を判定する。(a) 損失の平均上昇量は ResNet-mini のほうが ViT-mini より大きい（ViT のほうが平坦）。(b) 二階差分が負（凹、非凸）になる点の割合は ViT-mini のほうが ResNet-mini より大きい。両方が区間の重ならない形で成り立てば「再現」、平均でもどちらも成り立たなければ「再現せず」、それ以外は「一部再現」とする。',
};

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
  const f2 = (s: Stat) => s.mean.toFixed(2), pc = (s: Stat) => `${(s.mean * 100).toFixed(0)}%`;
  const name = (m: string) => `${familyName(m)}-mini`;
  out.verdict = {
    experiment: id, claims: [...claims], profile, criterion: CRITERION, verdict: combine(parts),
    summary: {
      en: `Mean loss rise within ${cfg.radius} of θ*: ResNet-mini ${f2(riseCnn)}, ViT-mini ${f2(riseVit)} — (a) ViT flatter ${PART_TEXT[parts[0]!].en}. Concave share of slice points: ViT-mini ${pc(negVit)}, ResNet-mini ${pc(negCnn)} — (b) ${PART_TEXT[parts[1]!].en}.`,
      ja: `θ* から ${cfg.radius} 以内の損失の平均上昇量は ResNet-mini ${f2(riseCnn)}、ViT-mini ${f2(riseVit)} で、(a)「ViT のほうが平坦」は${PART_TEXT[parts[0]!].ja}。断面上で凹になる点の割合は ViT-mini ${pc(negVit)}、ResNet-mini ${pc(negCnn)} で、(b) は${PART_TEXT[parts[1]!].ja}。`,
    },
    measured: cfg.models.flatMap((m) => [
      measured(`rise_${shortName(m)}`, { en: `Mean loss rise within ${cfg.radius}, ${name(m)}`, ja: `${cfg.radius} 以内の損失の平均上昇量（${name(m)}）` }, stat(m, (u) => u.rise)),
      measured(`negcurv_${shortName(m)}`, { en: `Share of concave slice points within ${cfg.radius}, ${name(m)}`, ja: `${cfg.radius} 以内で凹になる断面上の点の割合（${name(m)}）` }, stat(m, (u) => u.negativeCurvature), '%', 100),
    ]).filter((x) => x.seeds > 0),
    chart: '/articles/attention-distance-loss-landscape/#chart-loss-landscape-surface',
    budget: landscapeBudget(cfg),
    wallSeconds: wallSeconds(records),
  } as unknown as Json;
  return out;
}

function landscapeBudget(cfg: Config): { en: string; ja: string } {
  const t = budgetText(trainCfg(cfg), { en: 'ResNet-mini, ViT-mini and Swin-mini', ja: 'ResNet-mini、ViT-mini、Swin-mini' }, cfg.seeds);
  return {
    en: `${t.en} Surfaces around the full-data weights: ${cfg.grid}×${cfg.grid} grid over [−${cfg.range}, ${cfg.range}]² for the first ${cfg.surfaceSeeds} seed(s), the two 1D slices for every seed; loss on ${cfg.evalImages} fixed training images without augmentation.`,
    ja: `${t.ja} 曲面は全データで学習した重みのまわりで、最初の ${cfg.surfaceSeeds} シードは [−${cfg.range}, ${cfg.range}]² 上の ${cfg.grid}×${cfg.grid} 格子、すべてのシードで 2 本の 1 次元断面を計算した。損失はデータ拡張なしの固定した学習画像 ${cfg.evalImages} 枚で評価。`,
  };
}
