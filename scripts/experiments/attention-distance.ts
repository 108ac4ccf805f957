/**
 * attention-distance (C5): mean attention distance per head and layer (Dosovitskiy et al. 2021,
 * Fig. 7 right; Raghu et al. 2021, Figs. 3–4) of the model pool's ViT-mini trained on all the data
 * ('full') and on the 2,000-image subset ('small'), against the same seeds untrained ('init', the
 * control), and of the conv-stem hybrid (full and untrained), reported beside it. The networks come
 * from the pool (scripts/experiments/common/pool-models.ts); nothing is trained here.
 *
 *   npm run experiments -- --only attention-distance [--profile quick]
 *
 * Judged by criteria/attention.ts: a ViT learns local heads in its shallow layers and global ones in
 * its deep layers, and needs data for it.
 */
import * as tf from '@tensorflow/tfjs';
import type { Json, ProfileName, RunContext, Unit, UnitRecord } from '../lib/experiments/types';
import { meanAttentionDistance, tokenGrid, uniformDistance } from '../lib/metrics/attention-distance';
import type { Effect } from './criteria/paired-effect';
import { attentionVerdict, headSummary, LOCAL_FRACTION, MIN_SEEDS, MIN_SHIFT, thirdOf, type AttentionSeed } from './criteria/attention';
import { factsJson, poolMini, type PoolFacts, type PoolRegimeOrInit, parsePoolSeries, poolSeriesUnits, firstTestImages } from './common/pool-models';
import { valuesFile, meanCi95, round } from './common/representation-summary';
import { num, phrase, text } from '../../contracts/text';
import { layersOf } from './common/layer-taps';
import { wallSeconds } from '../lib/experiments/wall-time';
import { shortName } from '../../models/minis';

export const id = 'attention-distance';
export const claims = ['C5'];
export const codeVersion = '2';
export const reads = ['pool']; // its units load pool weights: a run trains the pool first

const VIT = 'vit_mini_patch4_28', HYBRID = 'hybrid_mini_28';

export const defaults = {
  /** model:regime pairs; the criterion reads the ViT's full, small and init, the hybrid is reported. */
  series: [`${VIT}:full`, `${VIT}:small`, `${VIT}:init`, `${HYBRID}:full`, `${HYBRID}:init`],
  seeds: 3,
  images: 512, // first test images, the same for every network (Dosovitskiy et al. use 128)
};
type Config = typeof defaults;

export const profiles = {
  // The quick pool has no hybrid.
  quick: { seeds: 1, images: 16, series: [`${VIT}:full`, `${VIT}:small`, `${VIT}:init`] },
  full: {},
};

/** Worded in src/content/i18n from the criterion's constants. */
export const CRITERION = text('atlas.exp.attention-distance.criterion', { localFraction: num(LOCAL_FRACTION), minShift: num(MIN_SHIFT), minSeeds: num(MIN_SEEDS, 0) });


export function units(profile: ProfileName, cfg: Config): Unit[] {
  return poolSeriesUnits(id, cfg.series, cfg.seeds, profile);
}


export async function runUnit(unit: Unit, cfg: Config, ctx: RunContext): Promise<Json> {
  const { model, facts } = await poolMini(String(unit.model), unit.regime as PoolRegimeOrInit, unit.seed, ctx);
  const layers = layersOf(model).filter((l) => l.kind === 'tokens' && l.tap !== 'stem'); // the attention blocks
  const x = firstTestImages(cfg.images);
  const batch = 64;
  // Sum per-head results over image batches, weighted by batch size.
  const acc = new Map<string, Array<{ patch: number; clsQuery: number; clsKeyMass: number }>>();
  for (let i = 0; i < cfg.images; i += batch) {
    const n = Math.min(batch, cfg.images - i);
    tf.tidy(() => {
      const { taps } = model.forward(tf.slice(x, [i, 0, 0, 0], [n, -1, -1, -1]), { training: false, taps: true });
      for (const l of layers) {
        const a = taps[`${l.tap}.attn`];
        if (!a) throw new Error(`${model.name}: no attention tap ${l.tap}.attn`);
        const heads = meanAttentionDistance(a.dataSync(), a.shape as [number, number, number, number], tokenGrid(l.grid[0], l.grid[1], l.cellPx, l.prefix));
        const sum = acc.get(l.tap) ?? heads.map(() => ({ patch: 0, clsQuery: 0, clsKeyMass: 0 }));
        heads.forEach((h, k) => { sum[k]!.patch += h.patch * n; sum[k]!.clsQuery += h.clsQuery * n; sum[k]!.clsKeyMass += h.clsKeyMass * n; });
        acc.set(l.tap, sum);
      }
    });
    ctx.progress(Math.min(cfg.images, i + batch), cfg.images);
  }
  x.dispose();
  const g = layers[0]!;
  const result = {
    model: model.name, regime: String(unit.regime), seed: unit.seed, pool: factsJson(facts),
    images: cfg.images, grid: { rows: g.grid[0], cols: g.grid[1], cellPx: g.cellPx, prefix: g.prefix },
    uniformDistance: round(uniformDistance(tokenGrid(g.grid[0], g.grid[1], g.cellPx, g.prefix))),
    layers: layers.map((l, i) => ({
      layer: i + 1, tap: l.tap,
      heads: acc.get(l.tap)!.map((h) => ({ distance: round(h.patch / cfg.images), clsQuery: round(h.clsQuery / cfg.images), clsKeyMass: round(h.clsKeyMass / cfg.images) })),
    })),
  };
  model.dispose();
  return result;
}

// ---- summary: chart data, values for prose, the verdict ----------------------------------------

export interface UnitResult {
  model: string; regime: PoolRegimeOrInit; seed: number; images: number; uniformDistance: number;
  grid: { rows: number; cols: number; cellPx: number; prefix: number };
  pool: PoolFacts;
  layers: Array<{ layer: number; heads: Array<{ distance: number; clsQuery: number; clsKeyMass: number }> }>;
}

const seriesName = (r: { model: string; regime: string }) => `${shortName(r.model)}-${r.regime}`;
/** [layer][head] mean distance, px. */
const distances = (r: UnitResult) => r.layers.map((l) => l.heads.map((h) => h.distance));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The criterion's inputs: the seeds that have the ViT's full, small and untrained units. */
export function criterionInputs(rs: readonly UnitResult[]): { uniformPx: number; seeds: AttentionSeed[] } {
  const of = (regime: PoolRegimeOrInit) => rs.filter((r) => r.model === VIT && r.regime === regime);
  const full = of('full'), small = of('small'), init = of('init');
  const seeds = full.flatMap((f) => {
    const s = small.find((r) => r.seed === f.seed), z = init.find((r) => r.seed === f.seed);
    return s && z ? [{ seed: f.seed, full: distances(f), small: distances(s), init: distances(z) }] : [];
  });
  // U from the grid itself (the unit files carry it rounded).
  const g = (full[0] ?? rs[0])!.grid;
  return { uniformPx: uniformDistance(tokenGrid(g.rows, g.cols, g.cellPx, g.prefix)), seeds };
}

export function summarize(records: UnitRecord[], cfg: Config, profile: ProfileName): Record<string, Json> {
  const rs = records.map((r) => r.result as unknown as UnitResult);
  const inputs = criterionInputs(rs);
  const U = inputs.uniformPx;
  const pick = (model: string, regime: PoolRegimeOrInit) => rs.filter((r) => r.model === model && r.regime === regime);

  const rows = rs.flatMap((r) => r.layers.flatMap((l) => l.heads.map((h, head) => ({
    series: seriesName(r), model: r.model, regime: r.regime, seed: r.seed, layer: l.layer, head, distance: h.distance, clsQuery: h.clsQuery, clsKeyMass: h.clsKeyMass,
  }))));

  // Per series: the most local shallow head and the shallow and deep means (units of U), local heads, accuracy.
  const values: Record<string, { value: number; unit?: string }> = {
    uniform_distance: { value: round(U, 2), unit: 'px' },
    local_threshold: { value: round(LOCAL_FRACTION * U, 2), unit: 'px' },
    local_fraction: { value: LOCAL_FRACTION },
    min_shift: { value: MIN_SHIFT },
    seeds: { value: inputs.seeds.length },
    images: { value: cfg.images },
  };
  const series = [...new Set(cfg.series)].map((x) => parsePoolSeries(id, x));
  for (const { model, regime } of series) {
    const us = pick(model, regime);
    if (!us.length) continue;
    const k = `${shortName(model).toLowerCase()}_${regime}`;
    const hs = us.map((r) => headSummary(distances(r), U));
    const shallowLayers = r0Shallow(us[0]!);
    values[`${k}_min_shallow`] = { value: round(mean(hs.map((h) => h.shallowMin)), 3) };
    values[`${k}_min_shallow_px`] = { value: round(U * mean(hs.map((h) => h.shallowMin)), 2), unit: 'px' };
    values[`${k}_shallow_mean`] = { value: round(mean(hs.map((h) => h.shallowMean)), 3) };
    values[`${k}_deep_mean`] = { value: round(mean(hs.map((h) => h.deepMean)), 3) };
    values[`${k}_local_heads`] = { value: round(mean(us.map((r) => r.layers.slice(0, shallowLayers).flatMap((l) => l.heads).filter((h) => h.distance <= LOCAL_FRACTION * U).length)), 2) };
    values[`${k}_last_mean`] = { value: round(mean(us.map((r) => mean(r.layers.at(-1)!.heads.map((h) => h.distance)))), 2), unit: 'px' };
    values[`${k}_cls_mass`] = { value: round(100 * mean(us.map((r) => mean(r.layers.flatMap((l) => l.heads.map((h) => h.clsKeyMass))))), 1), unit: '%' };
    if (regime !== 'init') {
      values[`${k}_acc`] = { value: round(100 * mean(us.map((r) => r.pool.testAccuracy ?? NaN)), 1), unit: '%' };
      values[`${k}_train_images`] = { value: us[0]!.pool.trainImages };
      values[`${k}_epochs`] = { value: us[0]!.pool.epochs };
    }
  }
  const vit0 = pick(VIT, 'full')[0] ?? pick(VIT, 'init')[0];
  if (vit0) {
    values.shallow_layers = { value: r0Shallow(vit0) };
    values.shallow_heads = { value: r0Shallow(vit0) * vit0.layers[0]!.heads.length };
  }

  const data = { id, uniformDistance: U, localFraction: LOCAL_FRACTION, shallowLayers: vit0 ? r0Shallow(vit0) : 0, rows } as unknown as Json;
  // The verdict needs every unit: a partial run (the build summarizes what is fresh) has none yet.
  if (records.length !== units(profile, cfg).length || inputs.seeds.length === 0) return { data, values: valuesFile(id, values) as unknown as Json };

  const { verdict, parts, control } = attentionVerdict(inputs);
  const effect = (key: string, e: Effect) => {
    values[key] = { value: round(e.mean, 3) };
    values[`${key}_lo`] = { value: round(e.ci95[0], 3) };
    values[`${key}_hi`] = { value: round(e.ci95[1], 3) };
  };
  effect('local_gain', parts.local);
  effect('depth_gain', parts.depth);
  effect('data_gain', parts.data);
  effect('small_local_gain', parts.smallLocal);
  values.init_local_seeds = { value: control.initLocalSeeds };

  const measured = (key: string, s: { mean: number; ci95: [number, number]; n: number }, unit?: string) => ({
    key, label: text(`atlas.exp.attention-distance.measured.${key}`), mean: round(s.mean), ci95: [round(s.ci95[0]), round(s.ci95[1])] as [number, number], seeds: s.n, ...(unit ? { unit } : {}),
  });
  const f2 = (x: number) => num(x, 2);
  const verdictJson = {
    experiment: id, claims, profile, criterion: CRITERION, verdict,
    control: text('atlas.exp.attention-distance.control', {
      init: f2(control.initShallowMin.mean), initLo: f2(control.initShallowMin.ci95[0]), initHi: f2(control.initShallowMin.ci95[1]),
      localSeeds: num(control.initLocalSeeds, 0), seeds: num(inputs.seeds.length, 0), uniform: num(U, 2),
    }),
    summary: text('atlas.exp.attention-distance.summary', {
      full: f2(parts.fullShallowMin.mean), small: f2(parts.smallShallowMin.mean), init: f2(control.initShallowMin.mean), uniform: num(U, 2),
      local: f2(parts.local.mean), depth: f2(parts.depth.mean), data: f2(parts.data.mean), seeds: num(inputs.seeds.length, 0), verdict: phrase(`atlas.exp.verdictWord.${verdict}`),
    }),
    measured: [
      measured('local_gain', parts.local),
      measured('depth_gain', parts.depth),
      measured('data_gain', parts.data),
      measured('full_shallow_min', parts.fullShallowMin),
      measured('small_shallow_min', parts.smallShallowMin),
      measured('init_shallow_min', control.initShallowMin),
    ],
    chart: 'by-depth',
    budget: text('atlas.exp.attention-distance.budget', {
      fullN: num(values.vit_full_train_images?.value ?? NaN, 0), fullEpochs: num(values.vit_full_epochs?.value ?? NaN, 0),
      smallN: num(values.vit_small_train_images?.value ?? NaN, 0), smallEpochs: num(values.vit_small_epochs?.value ?? NaN, 0),
      hybrid: phrase(pick(HYBRID, 'full').length ? 'atlas.exp.attention-distance.hybridToo' : 'atlas.exp.none'),
      seeds: num(inputs.seeds.length, 0), images: num(cfg.images, 0),
    }),
    wallSeconds: wallSeconds(records),
  };
  return { data, values: valuesFile(id, values) as unknown as Json, verdict: verdictJson as unknown as Json };
}

/** Layers in the criterion's shallow third. */
const r0Shallow = (r: UnitResult) => thirdOf(r.layers.length);
