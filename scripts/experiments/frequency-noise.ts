// frequency-noise (claim C2): do CNNs lean on high frequencies and ViTs on low ones?
//
//   npm run experiments -- --only frequency-noise --profile quick --jobs 1
//   npm exec -- tsx scripts/experiments/common/summarize.ts frequency-noise    # data, values, verdict
//
// Each unit is one (model, seed) trained on Fashion-MNIST with the recipe shared with the
// robustness experiment (scripts/experiments/common/fmnist-trained.ts), then probed three ways:
//  1. band noise (Park & Kim 2022, ICLR, Fig. 2b): Gaussian noise limited to one of 10 radial
//     frequency bands from 0 to π, scaled to a fixed L2 norm, added to the test images (no
//     clipping, so the noise stays in its band); accuracy drop per band;
//  2. a coarse Fourier heat map (Yin et al. 2019, NeurIPS): the test error when a single Fourier
//     basis image of fixed L2 norm, with a random sign per image, is added; every 2nd frequency;
//  3. the relative log amplitude of each block's Fourier-transformed feature maps against
//     normalised depth (Park & Kim 2022, Fig. 2a; the authors' fourier_analysis notebook).
// Noise draws depend on the seed and the image, not on the model: models see the same noise.
import { fashionMnist } from '../lib/data/fashion-mnist';
import type { Json, ProfileName, RunContext, Unit, UnitRecord } from '../lib/experiments/types';
import { bandNoiseBatch, cellRadius, heatMapCells, radialBands, relativeLogAmplitude, toPi, tokensToMap, yinBasis, type Band } from '../lib/metrics/frequency';
import { diffCi95, meanCi95, sign95 } from '../lib/metrics/seed-stats';
import { rng } from '../lib/train';
import { evalAccuracy, featureTaps } from './common/probes';
import { budgetText, byModel, ciRow, num, pct, pts, short, wallSeconds, type Values } from './common/fmnist-summary';
import { mini, num as tnum, phrase, text } from '../../contracts/text';
import type { Verdict } from '../../contracts/verdict';
import { RECIPES, trainedModel } from './common/fmnist-trained';

export const id = 'frequency-noise';
export const claims = ['C2'];
export const codeVersion = '1';

export const defaults = {
  models: ['resnet_mini_28', 'vit_mini_patch4_28', 'hybrid_mini_28'],
  seeds: 3,
  ...RECIPES.full,            // the shared training budget (same in robustness.ts)
  evalImages: 500,            // first n test images for clean and band-noise accuracy
  bands: 10,                  // radial bands from 0 to π
  noiseNorm: 3,               // L2 norm of every noise image (28×28; RMS 0.107 per pixel)
  heatmapModels: ['resnet_mini_28', 'vit_mini_patch4_28', 'hybrid_mini_28'],
  heatmapStep: 2,             // every 2nd DFT bin along each axis
  heatmapImages: 100,
  heatmapNorm: 3,             // L2 norm of the basis image
  featureImages: 64,          // images for the feature-map spectra
};
export type Config = typeof defaults;

export const profiles: { quick: Partial<Config>; full: Partial<Config> } = {
  quick: { models: ['resnet_mini_28', 'vit_mini_patch4_28'], heatmapModels: ['resnet_mini_28'], seeds: 1, ...RECIPES.quick, evalImages: 200, heatmapStep: 7, heatmapImages: 50, featureImages: 8 },
  full: {},
};

export function units(_profile: ProfileName, cfg: Config): Unit[] {
  return cfg.models.flatMap((model) => Array.from({ length: cfg.seeds }, (_, seed) => ({ key: `${model}-s${seed}`, seed, model })));
}

export interface BandResult { band: number; low: number; high: number; centrePi: number; accuracy: number; drop: number }
export interface HeatResult { u: number; v: number; radius: number; error: number }
export interface FeatureResult { tap: string; depth: number; side: number; curve: number[]; high: number }
export interface FrequencyUnitResult {
  model: string; seed: number;
  training: { params: number; finalTrainLoss: number; trainWallMs: number; imagesPerSec: number; cached: boolean };
  cleanAccuracy: number;
  bands: BandResult[];
  heatmap: { cleanError: number; images: number; norm: number; step: number; cells: HeatResult[] } | null;
  features: FeatureResult[];
}

/** Noise is shared by every model for a given seed (paired comparison); cache it per process. */
const noiseCache = new Map<string, Float32Array>();
function noiseFor(band: Band, norm: number, n: number, seed: number): Float32Array {
  const key = `${band.low}|${band.high}|${norm}|${n}|${seed}`;
  let z = noiseCache.get(key);
  if (!z) { z = bandNoiseBatch(28, 28, band, norm, n, 1000 * seed + band.index); noiseCache.set(key, z); }
  return z;
}

export async function runUnit(unit: Unit, cfg: Config, ctx: RunContext): Promise<Json> {
  const name = String(unit.model), seed = unit.seed;
  const recipe = { trainLimit: cfg.trainLimit, steps: cfg.steps, batchSize: cfg.batchSize, lr: cfg.lr, warmupSteps: cfg.warmupSteps, weightDecay: cfg.weightDecay };
  const doHeat = cfg.heatmapModels.includes(name);
  const cells = doHeat ? heatMapCells(28, 28, cfg.heatmapStep) : [];
  const work = recipe.steps + cfg.bands * 4 + cells.length + 4; // rough progress units
  const { model, training, cached } = await trainedModel(name, seed, recipe, { log: ctx.log, progress: (d) => ctx.progress(d, work) });
  let done = recipe.steps;
  const test = fashionMnist({ trainLimit: cfg.trainLimit, testLimit: 0 }).test;
  const n = Math.min(cfg.evalImages, test.n), sz = 28 * 28;
  const clean = test.images.subarray(0, n * sz), labels = test.labels.subarray(0, n);
  const cleanAccuracy = evalAccuracy(model, clean, labels);
  ctx.log(`clean accuracy ${cleanAccuracy.toFixed(4)} on ${n} test images`);

  // 1. band noise
  const bands: BandResult[] = [];
  for (const band of radialBands(cfg.bands)) {
    const z = noiseFor(band, cfg.noiseNorm, n, seed), x = new Float32Array(n * sz);
    for (let i = 0; i < x.length; i++) x[i] = clean[i]! + z[i]!;
    const acc = evalAccuracy(model, x, labels);
    bands.push({ band: band.index, low: band.low, high: band.high, centrePi: toPi(band.centre), accuracy: acc, drop: cleanAccuracy - acc });
    ctx.progress((done += 4), work);
  }
  ctx.log(`band drops ${bands.map((b) => b.drop.toFixed(3)).join(' ')}`);

  // 2. Fourier heat map
  let heatmap: FrequencyUnitResult['heatmap'] = null;
  if (doHeat) {
    const m = Math.min(cfg.heatmapImages, n), hx = clean.subarray(0, m * sz), hl = labels.subarray(0, m);
    const cleanError = 1 - evalAccuracy(model, hx, hl);
    const out: HeatResult[] = [];
    for (const cell of cells) {
      const basis = yinBasis(28, 28, cell.u, cell.v, cfg.heatmapNorm), r = rng(7919 * seed + 31 * (cell.u + 14) + (cell.v + 14));
      const x = new Float32Array(m * sz);
      for (let i = 0; i < m; i++) {
        const s = r() < 0.5 ? -1 : 1; // Yin et al.'s random flip, one per image
        for (let j = 0; j < sz; j++) x[i * sz + j] = hx[i * sz + j]! + s * basis[j]!;
      }
      out.push({ u: cell.u, v: cell.v, radius: cellRadius(cell, 28, 28), error: 1 - evalAccuracy(model, x, hl) });
      ctx.progress(++done, work);
    }
    heatmap = { cleanError, images: m, norm: cfg.heatmapNorm, step: cfg.heatmapStep, cells: out };
  }

  // 3. relative log amplitude of feature maps per block
  const taps = featureTaps(model, clean, Math.min(cfg.featureImages, n));
  const maps = taps.map((t) => {
    if (t.shape.length === 4) return { name: t.name, data: t.data, shape: t.shape as [number, number, number, number] };
    const m = tokensToMap(t.data, t.shape as [number, number, number], 1); // drop the class token
    return { name: t.name, data: m.data, shape: m.shape };
  });
  const features: FeatureResult[] = maps.map((m, i) => {
    const curve = Array.from(relativeLogAmplitude(m.data, m.shape));
    return { tap: m.name, depth: maps.length > 1 ? i / (maps.length - 1) : 0, side: m.shape[1], curve, high: curve[curve.length - 1]! };
  });
  ctx.progress(work, work);
  model.dispose();

  const result: FrequencyUnitResult = {
    model: name, seed,
    training: { params: training.params, finalTrainLoss: training.finalTrainLoss, trainWallMs: training.trainWallMs, imagesPerSec: training.imagesPerSec, cached },
    cleanAccuracy, bands, heatmap, features,
  };
  return result as unknown as Json;
}

// ---- summary: chart data, values for prose, the verdict --------------------------------------

/**
 * The criterion, fixed before the run. "Low" noise = the 3 lowest bands (0–0.3π), "high" = the
 * 3 highest (0.7π–1.0π); a unit's low/high drop is its mean accuracy drop over those bands.
 *   (a) high-frequency noise hurts the CNN more: drop_high(CNN) − drop_high(ViT) > 0 with the
 *       Welch 95% interval over seeds above 0;
 *   (b) low-frequency noise hurts the ViT more: drop_low(ViT) − drop_low(CNN) > 0, likewise.
 * Both → reproduced; one → partly; neither → not reproduced.
 */
export const CRITERION = { cnn: 'resnet_mini_28', vit: 'vit_mini_patch4_28', lowBands: [0, 1, 2], highBands: [7, 8, 9] } as const;


const meanOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
export const lowDrop = (r: FrequencyUnitResult) => meanOf(r.bands.filter((b) => (CRITERION.lowBands as readonly number[]).includes(b.band)).map((b) => b.drop));
export const highDrop = (r: FrequencyUnitResult) => meanOf(r.bands.filter((b) => (CRITERION.highBands as readonly number[]).includes(b.band)).map((b) => b.drop));

export function verdictFor(a: ReturnType<typeof sign95>, b: ReturnType<typeof sign95>): 'reproduced' | 'partly' | 'not-reproduced' {
  const n = (a === 'above' ? 1 : 0) + (b === 'above' ? 1 : 0);
  return n === 2 ? 'reproduced' : n === 1 ? 'partly' : 'not-reproduced';
}

export function summarize(records: UnitRecord[], cfg: Config, profile: ProfileName) {
  const groups = byModel<FrequencyUnitResult>(records, cfg.models);
  const models = cfg.models.filter((m) => groups.get(m)!.length > 0);
  const clean = models.map((m) => ({ model: m, ...ciRow(meanCi95(groups.get(m)!.map((r) => r.cleanAccuracy))) }));
  const bands = models.flatMap((m) => radialBands(cfg.bands).map((b) => {
    const drops = groups.get(m)!.map((r) => r.bands[b.index]!.drop);
    return { model: m, band: b.index, centrePi: toPi(b.centre), lowPi: toPi(b.low), highPi: toPi(b.high), drop: ciRow(meanCi95(drops)) };
  }));
  // Heat map: mean error over seeds per cell, mirrored to the full centred grid.
  const heatmap = models.filter((m) => groups.get(m)!.some((r) => r.heatmap)).flatMap((m) => {
    const runs = groups.get(m)!.filter((r) => r.heatmap);
    const cells = runs[0]!.heatmap!.cells.map((c, i) => ({ u: c.u, v: c.v, radius: c.radius, error: meanOf(runs.map((r) => r.heatmap!.cells[i]!.error)) }));
    const full = new Map<string, { u: number; v: number; radius: number; error: number }>();
    const neg = (k: number) => ((((-k + 14) % 28) + 28) % 28) - 14; // −k on the centred axis −14…13 (−14 is its own mirror)
    for (const c of cells) { full.set(`${c.u},${c.v}`, c); full.set(`${neg(c.u)},${neg(c.v)}`, { ...c, u: neg(c.u), v: neg(c.v) }); }
    const cleanError = meanOf(runs.map((r) => r.heatmap!.cleanError));
    return [...full.values()].map((c) => ({ model: m, ...c, cleanError }));
  });
  const features = models.flatMap((m) => {
    const runs = groups.get(m)!;
    return runs[0]!.features.map((f, i) => ({ model: m, tap: f.tap, depth: f.depth, side: f.side, high: ciRow(meanCi95(runs.map((r) => r.features[i]!.high))) }));
  });

  // The criterion.
  const perSeed = (m: string, f: (r: FrequencyUnitResult) => number) => (groups.get(m) ?? []).map(f);
  const dHigh = diffCi95(perSeed(CRITERION.cnn, highDrop), perSeed(CRITERION.vit, highDrop));
  const dLow = diffCi95(perSeed(CRITERION.vit, lowDrop), perSeed(CRITERION.cnn, lowDrop));
  const a = sign95(dHigh), b = sign95(dLow);
  const verdict = verdictFor(a, b);

  const values: Values = {};
  for (const m of models) {
    const s = short(m), runs = groups.get(m)!;
    values[`clean_${s}`] = pct(meanCi95(runs.map((r) => r.cleanAccuracy)).mean);
    values[`drop_low_${s}`] = pts(meanCi95(runs.map(lowDrop)).mean);
    values[`drop_high_${s}`] = pts(meanCi95(runs.map(highDrop)).mean);
    const peak = bands.filter((r) => r.model === m).reduce((x, y) => (y.drop.mean > x.drop.mean ? y : x));
    values[`peak_band_${s}`] = num(peak.centrePi, 2, 'π');
    values[`peak_drop_${s}`] = pts(peak.drop.mean);
    const hm = heatmap.filter((c) => c.model === m);
    const lowCells = hm.filter((c) => c.radius > 0 && c.radius < 0.15), highCells = hm.filter((c) => c.radius >= 0.35);
    if (lowCells.length && highCells.length) {
      values[`heat_low_${s}`] = pct(meanOf(lowCells.map((c) => c.error)));
      values[`heat_high_${s}`] = pct(meanOf(highCells.map((c) => c.error)));
      values[`heat_clean_${s}`] = pct(hm[0]!.cleanError);
    }
    const fs = features.filter((f) => f.model === m);
    values[`dlog_first_${s}`] = num(fs[0]!.high.mean, 2);
    values[`dlog_last_${s}`] = num(fs[fs.length - 1]!.high.mean, 2);
  }
  values.diff_high = pts(dHigh.diff);
  values.diff_high_lo = pts(dHigh.ci95[0]);
  values.diff_high_hi = pts(dHigh.ci95[1]);
  values.diff_low = pts(dLow.diff);
  values.diff_low_lo = pts(dLow.ci95[0]);
  values.diff_low_hi = pts(dLow.ci95[1]);
  values.noise_norm = num(cfg.noiseNorm, 1);
  values.noise_rms = num(cfg.noiseNorm / 28, 3);
  values.heat_norm = num(cfg.heatmapNorm, 1);
  values.eval_images = num(cfg.evalImages, 0);
  values.heat_images = num(cfg.heatmapImages, 0);
  values.seeds = num(cfg.seeds, 0);
  values.steps = num(cfg.steps, 0);
  values.batch = num(cfg.batchSize, 0);
  values.wall_minutes = num(wallSeconds(records) / 60, 1, 'min');

  const f2 = (x: number) => tnum(100 * x, 1);
  const cnnRuns = groups.get(CRITERION.cnn) ?? [], vitRuns = groups.get(CRITERION.vit) ?? [];
  const m = (runs: FrequencyUnitResult[], f: (r: FrequencyUnitResult) => number) => meanCi95(runs.map(f));
  const measured: Verdict['measured'] = [
    { key: `drop_high_${short(CRITERION.cnn)}`, label: text('atlas.exp.frequency-noise.measured.dropHigh', { model: mini(CRITERION.cnn) }), run: cnnRuns, f: highDrop },
    { key: `drop_high_${short(CRITERION.vit)}`, label: text('atlas.exp.frequency-noise.measured.dropHigh', { model: mini(CRITERION.vit) }), run: vitRuns, f: highDrop },
    { key: `drop_low_${short(CRITERION.cnn)}`, label: text('atlas.exp.frequency-noise.measured.dropLow', { model: mini(CRITERION.cnn) }), run: cnnRuns, f: lowDrop },
    { key: `drop_low_${short(CRITERION.vit)}`, label: text('atlas.exp.frequency-noise.measured.dropLow', { model: mini(CRITERION.vit) }), run: vitRuns, f: lowDrop },
  ].map((x) => { const s = m(x.run, x.f); return { key: x.key, label: x.label, mean: 100 * s.mean, ci95: [100 * s.ci95[0], 100 * s.ci95[1]] as [number, number], seeds: s.n, unit: 'pt' }; });
  measured.push(
    { key: 'diff_high', label: text('atlas.exp.frequency-noise.measured.diffHigh'), mean: 100 * dHigh.diff, ci95: [100 * dHigh.ci95[0], 100 * dHigh.ci95[1]], seeds: Math.min(cnnRuns.length, vitRuns.length), unit: 'pt' },
    { key: 'diff_low', label: text('atlas.exp.frequency-noise.measured.diffLow'), mean: 100 * dLow.diff, ci95: [100 * dLow.ci95[0], 100 * dLow.ci95[1]], seeds: Math.min(cnnRuns.length, vitRuns.length), unit: 'pt' },
  );
  const summary = text('atlas.exp.frequency-noise.summary', {
    cnn: mini(CRITERION.cnn), vit: mini(CRITERION.vit),
    highCnn: f2(m(cnnRuns, highDrop).mean), highVit: f2(m(vitRuns, highDrop).mean), dHigh: f2(dHigh.diff), dHighLo: f2(dHigh.ci95[0]), dHighHi: f2(dHigh.ci95[1]),
    a: phrase(`atlas.exp.frequency-noise.result.${a}`),
    lowVit: f2(m(vitRuns, lowDrop).mean), lowCnn: f2(m(cnnRuns, lowDrop).mean), dLow: f2(dLow.diff), dLowLo: f2(dLow.ci95[0]), dLowHi: f2(dLow.ci95[1]),
    b: phrase(`atlas.exp.frequency-noise.result.${b}`),
  });
  const verdictJson: Verdict = {
    experiment: id, claims: [...claims], profile,
    criterion: text('atlas.exp.frequency-noise.criterion', { bands: tnum(cfg.bands), noiseNorm: tnum(cfg.noiseNorm) }),
    verdict, summary, measured,
    chart: 'band-drop',
    budget: budgetText(cfg),
    wallSeconds: wallSeconds(records),
  };
  const data = {
    id, profile, models, seeds: cfg.seeds, noiseNorm: cfg.noiseNorm, heatmapNorm: cfg.heatmapNorm, heatmapStep: cfg.heatmapStep,
    criterion: CRITERION, clean, bands, heatmap, features,
    tests: { high: { ...dHigh, result: a }, low: { ...dLow, result: b } }, verdict,
  };
  // values.json is wrapped as src/lib/generated.ts reads it: { id, provenance, values }.
  const provenance = { script: `scripts/experiments/${id}.ts`, codeVersion, kind: 'experiment', profile };
  return { data, values: { id, provenance, values }, verdict: verdictJson };
}
