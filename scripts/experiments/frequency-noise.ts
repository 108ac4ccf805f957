// frequency-noise (claim C2): do CNNs lean on high frequencies and ViTs on low ones?
//
//   npm run experiments -- --only frequency-noise --profile quick --jobs 1
//   npm exec -- tsx scripts/experiments/common/summarize.ts frequency-noise    # data, values, verdict
//
// Each unit is one (model, seed) of the model pool's full regime (scripts/experiments/pool.ts, read
// through common/pool-models.ts; never trained here), probed three ways:
//  1. band noise (Park & Kim 2022, ICLR, Fig. 2b): Gaussian noise limited to one of 10 radial
//     frequency bands from 0 to π, scaled to the same L2 norm in every band (matched energy), added
//     to the test images (no clipping, so the noise stays in its band); accuracy drop per band;
//  2. a coarse Fourier heat map (Yin et al. 2019, NeurIPS): the test error when a single Fourier
//     basis image of fixed L2 norm, with a random sign per image, is added; every 2nd frequency;
//  3. the relative log amplitude of each block's Fourier-transformed feature maps against
//     normalised depth (Park & Kim 2022, Fig. 2a; the authors' fourier_analysis notebook), for the
//     trained network and for the control: the same architecture and seed untrained ('init').
// Noise draws depend on the seed and the image, not on the model: models see the same noise.
// The verdict comes from criteria/frequency.ts (fixed before the pool runs); it compares feature
// maps only at equal resolution.
import { fashionMnist } from '../lib/data/fashion-mnist';
import type { Json, ProfileName, RunContext, Unit, UnitRecord } from '../lib/experiments/types';
import type { Model } from '../../models/nn/types';
import { bandNoiseBatch, cellRadius, heatMapCells, radialBands, relativeLogAmplitude, toPi, tokensToMap, yinBasis, type Band } from '../lib/metrics/frequency';
import { meanCi95 } from '../lib/metrics/seed-stats';
import { rng } from '../lib/train';
import { evalAccuracy, featureTaps } from './common/probes';
import { byModel, ciRow, num, pct, pts, short, wallSeconds, type Values } from './common/fmnist-summary';
import { factsJson, poolMini, type PoolFacts, asPoolRegime, poolModelUnits } from './common/pool-models';
import { CNN, EXCLUDED_TAPS, heatHighError, HEAT_HIGH_RADIUS, HIGH_BANDS, highAtSide, highDrop, judgeFrequency, LOW_BANDS, lowDrop, MIN_CLEAN_ACCURACY, MIN_SEEDS, VIT, type FrequencySeedResult, type Part } from './criteria/frequency';
import { list as tlist, mini, nested, num as tnum, phrase, text, type TextRef } from '../../contracts/text';
import type { Verdict } from '../../contracts/verdict';

export const id = 'frequency-noise';
export const claims = ['C2'];
export const codeVersion = '2';
export const reads = ['pool']; // its units load pool weights: a run trains the pool first

export const defaults = {
  models: ['resnet_mini_28', 'vit_mini_patch4_28', 'hybrid_mini_28'],
  regime: 'full',             // the pool's regime the criterion judges (criteria/frequency.ts, Wiring)
  seeds: 3,
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

// quick: the quick pool has ResNet and ViT, seed 0 only.
export const profiles: { quick: Partial<Config>; full: Partial<Config> } = {
  quick: { models: ['resnet_mini_28', 'vit_mini_patch4_28'], heatmapModels: ['resnet_mini_28'], seeds: 1, evalImages: 200, heatmapStep: 7, heatmapImages: 50, featureImages: 8 },
  full: {},
};

const poolRegime = (cfg: Config): 'full' | 'small' => asPoolRegime(id, cfg.regime);

export function units(profile: ProfileName, cfg: Config): Unit[] {
  return poolModelUnits(id, cfg.models, cfg.regime, cfg.seeds, profile);
}

export interface BandResult { band: number; low: number; high: number; centrePi: number; accuracy: number; drop: number }
export interface HeatResult { u: number; v: number; radius: number; error: number }
export interface FeatureResult { tap: string; depth: number; side: number; curve: number[]; high: number }
export interface FrequencyUnitResult extends FrequencySeedResult {
  model: string;
  /** The pool model measured. */
  pool: PoolFacts;
  params: number;
  bands: BandResult[];
  heatmap: { cleanError: number; images: number; norm: number; step: number; cells: HeatResult[] } | null;
  features: FeatureResult[];
  /** The untrained network of the same architecture and seed: clean accuracy and feature spectra on the same images. */
  control: { cleanAccuracy: number; features: FeatureResult[] };
}

/** Noise is shared by every model for a given seed (paired comparison); cache it per process. */
const noiseCache = new Map<string, Float32Array>();
function noiseFor(band: Band, norm: number, n: number, seed: number): Float32Array {
  const key = `${band.low}|${band.high}|${norm}|${n}|${seed}`;
  let z = noiseCache.get(key);
  if (!z) { z = bandNoiseBatch(28, 28, band, norm, n, 1000 * seed + band.index); noiseCache.set(key, z); }
  return z;
}

/** Relative log amplitude of each block's feature maps (tokens reshaped to their grid, class token dropped). */
function featureSpectra(model: Model, images: Float32Array, n: number): FeatureResult[] {
  const maps = featureTaps(model, images, n).map((t) => {
    if (t.shape.length === 4) return { name: t.name, data: t.data, shape: t.shape as [number, number, number, number] };
    const m = tokensToMap(t.data, t.shape as [number, number, number], 1);
    return { name: t.name, data: m.data, shape: m.shape };
  });
  return maps.map((m, i) => {
    const curve = Array.from(relativeLogAmplitude(m.data, m.shape));
    return { tap: m.name, depth: maps.length > 1 ? i / (maps.length - 1) : 0, side: m.shape[1], curve, high: curve[curve.length - 1]! };
  });
}

export async function runUnit(unit: Unit, cfg: Config, ctx: RunContext): Promise<Json> {
  const name = String(unit.model), seed = unit.seed;
  const doHeat = cfg.heatmapModels.includes(name);
  const cells = doHeat ? heatMapCells(28, 28, cfg.heatmapStep) : [];
  const work = 8 + cfg.bands * 4 + cells.length + 4; // rough progress units
  const test = fashionMnist({ trainLimit: 1, testLimit: 0 }).test;
  const n = Math.min(cfg.evalImages, test.n), sz = 28 * 28;
  const clean = test.images.subarray(0, n * sz), labels = test.labels.subarray(0, n);
  const nFeat = Math.min(cfg.featureImages, n);

  // 0. the control: same architecture and seed, untrained
  const init = await poolMini(name, 'init', seed, ctx);
  const control = { cleanAccuracy: evalAccuracy(init.model, clean, labels), features: featureSpectra(init.model, clean, nFeat) };
  init.model.dispose();
  ctx.log(`untrained (control) clean accuracy ${control.cleanAccuracy.toFixed(4)}`);
  let done = 4;
  ctx.progress(done, work);

  const { model, facts } = await poolMini(name, poolRegime(cfg), seed, ctx);
  ctx.progress((done += 4), work);
  const params = model.variables().reduce((s, v) => s + v.size, 0);
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
  const features = featureSpectra(model, clean, nFeat);
  ctx.progress(work, work);
  model.dispose();

  const result: FrequencyUnitResult = {
    model: name, seed, pool: facts, params,
    cleanAccuracy, bands, heatmap, features, control,
  };
  return { ...result, pool: factsJson(facts) } as unknown as Json;
}

// ---- summary: chart data, values for prose, the verdict (criteria/frequency.ts) --------------

/** values.json key of each criterion part: its difference and `_lo` / `_hi`. */
export const PART_KEY: Record<Part['name'], string> = { noiseHigh: 'diff_high', noiseLow: 'diff_low', heatmap: 'diff_heat', lowPass: 'diff_lowpass' };
/** The radial band edges of a set of band indices, in units of π (bands of equal width from 0 to π). */
const bandSpan = (idx: readonly number[], bands: number) => [Math.min(...idx) / bands, (Math.max(...idx) + 1) / bands] as const;

const meanOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

export function summarize(records: UnitRecord[], cfg: Config, profile: ProfileName) {
  const groups = byModel<FrequencyUnitResult>(records, cfg.models);
  const models = cfg.models.filter((m) => groups.get(m)!.length > 0);
  const runs = (m: string) => groups.get(m)!;
  const judged = judgeFrequency({
    trained: Object.fromEntries(models.map((m) => [m, runs(m)])),
    untrained: Object.fromEntries(models.map((m) => [m, runs(m).map((r) => ({ seed: r.seed, cleanAccuracy: r.control.cleanAccuracy, features: r.control.features }))])),
  });
  const side = judged.side;

  const clean = models.map((m) => ({ model: m, ...ciRow(meanCi95(runs(m).map((r) => r.cleanAccuracy))) }));
  const bands = models.flatMap((m) => radialBands(cfg.bands).map((b) => {
    const drops = runs(m).map((r) => r.bands[b.index]!.drop);
    return { model: m, band: b.index, centrePi: toPi(b.centre), lowPi: toPi(b.low), highPi: toPi(b.high), drop: ciRow(meanCi95(drops)) };
  }));
  // Heat map: mean error over seeds per cell, mirrored to the full centred grid.
  const heatmap = models.filter((m) => runs(m).some((r) => r.heatmap)).flatMap((m) => {
    const hr = runs(m).filter((r) => r.heatmap);
    const cells = hr[0]!.heatmap!.cells.map((c, i) => ({ u: c.u, v: c.v, radius: c.radius, error: meanOf(hr.map((r) => r.heatmap!.cells[i]!.error)) }));
    const full = new Map<string, { u: number; v: number; radius: number; error: number }>();
    const neg = (k: number) => ((((-k + 14) % 28) + 28) % 28) - 14; // −k on the centred axis −14…13 (−14 is its own mirror)
    for (const c of cells) { full.set(`${c.u},${c.v}`, c); full.set(`${neg(c.u)},${neg(c.v)}`, { ...c, u: neg(c.u), v: neg(c.v) }); }
    const cleanError = meanOf(hr.map((r) => r.heatmap!.cleanError));
    return [...full.values()].map((c) => ({ model: m, ...c, cleanError }));
  });
  const featureRows = (pick: (r: FrequencyUnitResult) => FeatureResult[]) => models.flatMap((m) =>
    pick(runs(m)[0]!).map((f, i) => ({ model: m, tap: f.tap, depth: f.depth, side: f.side, high: ciRow(meanCi95(runs(m).map((r) => pick(r)[i]!.high))) })));
  const features = featureRows((r) => r.features);
  const controlFeatures = featureRows((r) => r.control.features);

  const values: Values = {};
  for (const m of models) {
    const s = short(m), rs = runs(m);
    values[`clean_${s}`] = pct(meanCi95(rs.map((r) => r.cleanAccuracy)).mean);
    values[`init_clean_${s}`] = pct(meanCi95(rs.map((r) => r.control.cleanAccuracy)).mean);
    values[`params_${s}`] = num(rs[0]!.params, 0);
    values[`drop_low_${s}`] = pts(meanCi95(rs.map(lowDrop)).mean);
    values[`drop_high_${s}`] = pts(meanCi95(rs.map(highDrop)).mean);
    const peak = bands.filter((r) => r.model === m).reduce((x, y) => (y.drop.mean > x.drop.mean ? y : x));
    values[`peak_band_${s}`] = num(peak.centrePi, 2, 'π');
    values[`peak_drop_${s}`] = pts(peak.drop.mean);
    const hm = heatmap.filter((c) => c.model === m);
    const lowCells = hm.filter((c) => c.radius > 0 && c.radius < 0.15), highCells = hm.filter((c) => c.radius >= HEAT_HIGH_RADIUS);
    if (lowCells.length && highCells.length) {
      values[`heat_low_${s}`] = pct(meanOf(lowCells.map((c) => c.error)));
      values[`heat_high_${s}`] = pct(meanOf(highCells.map((c) => c.error)));
      values[`heat_clean_${s}`] = pct(hm[0]!.cleanError);
    }
    const fs = features.filter((f) => f.model === m);
    values[`dlog_first_${s}`] = num(fs[0]!.high.mean, 2);
    values[`dlog_last_${s}`] = num(fs[fs.length - 1]!.high.mean, 2);
    // At the side the criterion compares (maps of equal resolution): trained, untrained, and the rise.
    if (side !== null) {
      const t = rs.map((r) => highAtSide(r.features, side)), u = rs.map((r) => highAtSide(r.control.features, side));
      if ([...t, ...u].every(Number.isFinite)) {
        values[`dlog_side_${s}`] = num(meanOf(t), 2);
        values[`init_dlog_side_${s}`] = num(meanOf(u), 2);
        values[`rise_${s}`] = num(meanOf(t.map((x, i) => x - u[i]!)), 2);
      }
    }
  }
  for (const p of judged.parts) {
    if (!Number.isFinite(p.diff)) continue;
    const f = p.name === 'lowPass' ? (x: number) => num(x, 2) : (x: number) => pts(x);
    values[PART_KEY[p.name]] = f(p.diff);
    values[`${PART_KEY[p.name]}_lo`] = f(p.ci95[0]);
    values[`${PART_KEY[p.name]}_hi`] = f(p.ci95[1]);
  }
  if (side !== null) values.side = num(side, 0);
  values.min_clean = pct(MIN_CLEAN_ACCURACY);
  values.noise_norm = num(cfg.noiseNorm, 1);
  values.noise_rms = num(cfg.noiseNorm / 28, 3);
  values.heat_norm = num(cfg.heatmapNorm, 1);
  values.eval_images = num(cfg.evalImages, 0);
  values.heat_images = num(cfg.heatmapImages, 0);
  values.seeds = num(cfg.seeds, 0);
  values.wall_minutes = num(wallSeconds(records) / 60, 1, 'min');

  const f1 = (x: number) => tnum(100 * x, 1), f2 = (x: number) => tnum(x, 2);
  const partText = (p: Part): TextRef => text(`atlas.exp.frequency-noise.part.${p.name}`, {
    cnn: mini(CNN), vit: mini(VIT),
    diff: p.name === 'lowPass' ? f2(p.diff) : f1(p.diff), lo: p.name === 'lowPass' ? f2(p.ci95[0]) : f1(p.ci95[0]), hi: p.name === 'lowPass' ? f2(p.ci95[1]) : f1(p.ci95[1]),
    outcome: phrase(`atlas.exp.frequency-noise.outcome.${p.outcome}`),
  });
  const failed = (Object.keys(judged.preconditions) as (keyof typeof judged.preconditions)[]).filter((k) => !judged.preconditions[k]);
  const summary = failed.length
    ? text('atlas.exp.frequency-noise.summaryInconclusive', { failed: tlist(failed.map((k) => phrase(`atlas.exp.frequency-noise.precondition.${k}`))), floor: f1(MIN_CLEAN_ACCURACY), seeds: tnum(MIN_SEEDS) })
    : text('atlas.exp.frequency-noise.summary', { parts: tlist(judged.parts.map((p) => nested(partText(p)))) });
  const ci = (c: ReturnType<typeof meanCi95>, k: number, unit: string) => ({ mean: k * c.mean, ci95: [k * c.ci95[0], k * c.ci95[1]] as [number, number], seeds: c.n, unit });
  const measured: Verdict['measured'] = [
    ...judged.parts.filter((p) => Number.isFinite(p.diff)).map((p) => ({
      key: PART_KEY[p.name], label: text(`atlas.exp.frequency-noise.measured.${p.name}`, { cnn: mini(CNN), vit: mini(VIT) }),
      ...(p.name === 'lowPass'
        ? { mean: p.diff, ci95: p.ci95, seeds: p.seeds }
        : { mean: 100 * p.diff, ci95: [100 * p.ci95[0], 100 * p.ci95[1]] as [number, number], seeds: p.seeds, unit: 'pt' }),
    })),
    ...[CNN, VIT].filter((m) => runs(m)?.length).flatMap((m) => [
      { key: `drop_high_${short(m)}`, label: text('atlas.exp.frequency-noise.measured.dropHigh', { model: mini(m) }), ...ci(meanCi95(runs(m).map(highDrop)), 100, 'pt') },
      { key: `drop_low_${short(m)}`, label: text('atlas.exp.frequency-noise.measured.dropLow', { model: mini(m) }), ...ci(meanCi95(runs(m).map(lowDrop)), 100, 'pt') },
      { key: `init_clean_${short(m)}`, label: text('atlas.exp.frequency-noise.measured.initClean', { model: mini(m) }), ...ci(meanCi95(runs(m).map((r) => r.control.cleanAccuracy)), 100, '%') },
    ]),
  ];
  const [lowA, lowB] = bandSpan(LOW_BANDS, cfg.bands), [highA, highB] = bandSpan(HIGH_BANDS, cfg.bands);
  const facts = models.flatMap((m) => runs(m).map((r) => r.pool));
  const verdictJson: Verdict = {
    experiment: id, claims: [...claims], profile,
    criterion: text('atlas.exp.frequency-noise.criterion', {
      bands: tnum(cfg.bands), noiseNorm: tnum(cfg.noiseNorm), lowA: tnum(lowA), lowB: tnum(lowB), highA: tnum(highA), highB: tnum(highB),
      heatRadius: tnum(HEAT_HIGH_RADIUS), excluded: tlist(EXCLUDED_TAPS.map((t) => phrase(`atlas.exp.frequency-noise.tap.${t}`))),
      floor: f1(MIN_CLEAN_ACCURACY), seeds: tnum(MIN_SEEDS),
    }),
    control: side === null
      ? text('atlas.exp.frequency-noise.controlNoSide', { models: tlist(judged.control.map((c) => nested(text('atlas.exp.frequency-noise.controlClean', { model: mini(c.model), clean: f1(c.untrainedClean) })))) })
      : text('atlas.exp.frequency-noise.control', {
          models: tlist(judged.control.map((c) => nested(text('atlas.exp.frequency-noise.controlModel', { model: mini(c.model), clean: f1(c.untrainedClean), high: f2(c.untrainedHigh ?? NaN) })))),
          side: tnum(side),
        }),
    verdict: judged.verdict, summary, measured,
    chart: 'band-drop',
    budget: text('atlas.exp.frequency-noise.budget', {
      models: tlist(models.map((m) => mini(m))), seeds: tnum(cfg.seeds), regime: phrase(`atlas.exp.regime.${poolRegime(cfg)}`),
      images: tnum(Math.max(0, ...facts.map((f) => f.trainImages))), epochs: tnum(Math.max(0, ...facts.map((f) => f.epochs))),
    }),
    wallSeconds: wallSeconds(records),
  };
  const data = {
    id, profile, models, seeds: cfg.seeds, regime: cfg.regime, noiseNorm: cfg.noiseNorm, heatmapNorm: cfg.heatmapNorm, heatmapStep: cfg.heatmapStep,
    clean, bands, heatmap, features, controlFeatures, side,
    pool: facts,
    judged,
  };
  // values.json is wrapped as src/lib/generated.ts reads it: { id, provenance, values }.
  const provenance = { script: `scripts/experiments/${id}.ts`, codeVersion, kind: 'experiment', profile };
  return { data, values: { id, provenance, values }, verdict: verdictJson };
}
