/**
 * receptive-field (C5): effective receptive fields (Luo et al. 2016) block by block for the model
 * pool's ResNet-mini and ViT-mini trained on the full data, and for the same networks untrained (the
 * control: a 3×3 conv and global attention already differ before any training); the conv-stem hybrid
 * is reported beside them. The absolute gradient of the centre unit of each block's output with
 * respect to the input, averaged over images; radii holding 50% and 90% of it. Raghu et al. (2021,
 * Fig. 6) find ResNet's effective receptive fields grow gradually while ViT's are already wide in the
 * lowest layers. The networks come from the pool (common/pool-models.ts); nothing is trained here.
 *
 *   npm run experiments -- --only receptive-field [--profile quick]
 *
 * Judged by criteria/receptive-field.ts on what training changes (trained − untrained radii).
 */
import * as tf from '@tensorflow/tfjs';
import type { Json, ProfileName, RunContext, Unit, UnitRecord } from '../lib/experiments/types';
import { centreUnit, erfMap, erfRadii } from '../lib/metrics/erf';
import type { MeanCi } from '../lib/metrics/seed-stats';
import { CEILING_FRACTION, maxRadius, MIN_RF_GAIN_PX, MIN_SEEDS, rfVerdict, type RfSeed } from './criteria/receptive-field';
import { factsJson, poolMini, type PoolFacts, type PoolRegimeOrInit, parsePoolSeries, poolSeriesUnits, firstTestImages } from './common/pool-models';
import { valuesFile, meanCi95, round } from './common/representation-summary';
import { num, phrase, text } from '../../contracts/text';
import { layersOf } from './common/layer-taps';
import { wallSeconds } from '../lib/experiments/wall-time';
import { shortName } from '../../models/minis';

export const id = 'receptive-field';
export const claims = ['C5'];
export const codeVersion = '4';
export const reads = ['pool']; // its units load pool weights: a run trains the pool first

const CNN = 'resnet_mini_28', VIT = 'vit_mini_patch4_28', HYBRID = 'hybrid_mini_28';

export const defaults = {
  /** model:regime pairs; the criterion reads the ResNet's and the ViT's full and init, the hybrid is reported. */
  series: [`${CNN}:full`, `${CNN}:init`, `${VIT}:full`, `${VIT}:init`, `${HYBRID}:full`, `${HYBRID}:init`],
  seeds: 3,
  images: 128, // first test images, the gradient averaged over them
};
type Config = typeof defaults;

export const profiles = {
  // The quick pool has no hybrid.
  quick: { seeds: 1, images: 8, series: [`${CNN}:full`, `${CNN}:init`, `${VIT}:full`, `${VIT}:init`] },
  full: {},
};

export const FRACTIONS = [0.5, 0.9] as const;
/** Images per backward pass of the ERF. */
const ERF_CHUNK = 32;
/** Worded in src/content/i18n from the criterion's constants. */
export const CRITERION = text('atlas.exp.receptive-field.criterion', { minGain: num(MIN_RF_GAIN_PX), ceiling: num(CEILING_FRACTION), minSeeds: num(MIN_SEEDS, 0) });


export function units(profile: ProfileName, cfg: Config): Unit[] {
  return poolSeriesUnits(id, cfg.series, cfg.seeds, profile);
}


export async function runUnit(unit: Unit, cfg: Config, ctx: RunContext): Promise<Json> {
  const { model, facts } = await poolMini(String(unit.model), unit.regime as PoolRegimeOrInit, unit.seed, ctx);
  const layers = layersOf(model);
  const [H, W] = model.inputShape;
  const x = firstTestImages(cfg.images);
  const out = layers.map((l, i) => {
    const c = centreUnit(l.grid, [H, W]);
    // Tokens: the centre patch token sits after the prefix, row-major.
    const unitIdx: [number, number] = l.kind === 'tokens' ? [l.prefix + c.unit[0] * l.grid[1] + c.unit[1], 0] : c.unit;
    // Averaged over chunks of images: the mean of |∂y/∂x| is exact by chunk, and a chunk keeps the backward's tape small.
    const map = new Float64Array(H * W);
    for (let i = 0; i < cfg.images; i += ERF_CHUNK) {
      const n = Math.min(ERF_CHUNK, cfg.images - i);
      const xb = tf.slice(x, [i, 0, 0, 0], [n, -1, -1, -1]);
      const part = erfMap((t) => model.forward(t, { training: false, taps: true }).taps[l.tap]!, xb, unitIdx);
      xb.dispose();
      part.forEach((v, k) => { map[k]! += (v * n) / cfg.images; });
    }
    const [r50, r90] = erfRadii(map, H, W, c.centrePx, FRACTIONS);
    const peak = Math.max(...map);
    ctx.progress(i + 1, layers.length);
    return {
      tap: l.tap, label: l.label, depth: i, relDepth: round(i / (layers.length - 1), 4), grid: l.grid, centrePx: c.centrePx,
      r50: round(r50!, 3), r90: round(r90!, 3),
      map: Array.from(map, (v) => round(peak > 0 ? v / peak : 0, 4)), // normalised to the peak
    };
  });
  x.dispose();
  model.dispose();
  return { model: String(unit.model), regime: String(unit.regime), seed: unit.seed, pool: factsJson(facts), images: cfg.images, size: [H, W], layers: out };
}

// ---- summary ----------------------------------------------------------------------------------

interface LayerResult { tap: string; label: string; depth: number; relDepth: number; centrePx: [number, number]; r50: number; r90: number; map: number[] }
export interface UnitResult { model: string; regime: PoolRegimeOrInit; seed: number; size: [number, number]; images: number; pool: PoolFacts; layers: LayerResult[] }

const series = (r: { model: string; regime: string }) => `${shortName(r.model)}-${r.regime}`;
/** r90 after every block, the stem excluded (it is the first conv, not a block). */
const blockR90 = (r: UnitResult) => r.layers.filter((l) => l.label !== 'stem').map((l) => l.r90);

/** The criterion's inputs for one family: the seeds that have both the trained and the untrained unit. */
export function familySeeds(rs: readonly UnitResult[], model: string): RfSeed[] {
  return rs.filter((r) => r.model === model && r.regime === 'full').flatMap((t) => {
    const u = rs.find((r) => r.model === model && r.regime === 'init' && r.seed === t.seed);
    return u ? [{ seed: t.seed, trained: blockR90(t), untrained: blockR90(u) }] : [];
  });
}

export function summarize(records: UnitRecord[], cfg: Config, profile: ProfileName): Record<string, Json> {
  const rs = records.map((r) => r.result as unknown as UnitResult);

  // Radii per series and layer, mean and interval over seeds.
  const names = [...new Set(rs.map(series))];
  const radii = names.flatMap((s) => {
    const us = rs.filter((r) => series(r) === s);
    return us[0]!.layers.map((l, i) => {
      const r50 = meanCi95(us.map((u) => u.layers[i]!.r50)), r90 = meanCi95(us.map((u) => u.layers[i]!.r90));
      return { series: s, model: us[0]!.model, regime: us[0]!.regime, layer: l.label, tap: l.tap, depth: l.depth, relDepth: l.relDepth, r50: round(r50.mean, 3), r50lo: round(r50.ci95[0], 3), r50hi: round(r50.ci95[1], 3), r90: round(r90.mean, 3), r90lo: round(r90.ci95[0], 3), r90hi: round(r90.ci95[1], 3), seeds: r50.n };
    });
  });
  // Heat maps, averaged over seeds (each seed's map normalised to its peak first).
  const [H, W] = rs[0]!.size;
  const maps = names.flatMap((s) => {
    const us = rs.filter((r) => series(r) === s);
    return us[0]!.layers.map((l, i) => {
      const m = new Array<number>(H * W).fill(0);
      for (const u of us) u.layers[i]!.map.forEach((v, k) => { m[k]! += v / us.length; });
      return { series: s, layer: l.label, depth: l.depth, relDepth: l.relDepth, map: m.map((v) => round(v, 3)) };
    });
  });

  const values: Record<string, { value: number; unit?: string }> = { images: { value: cfg.images }, min_gain: { value: MIN_RF_GAIN_PX, unit: 'px' } };
  for (const s of names) {
    const key = s.replace('-', '_');
    const blocks = radii.filter((r) => r.series === s && r.layer !== 'stem');
    const first = blocks[0]!, last = blocks.at(-1)!;
    values[`${key}_first_r50`] = { value: round(first.r50, 1), unit: 'px' };
    values[`${key}_first_r90`] = { value: round(first.r90, 1), unit: 'px' };
    values[`${key}_last_r50`] = { value: round(last.r50, 1), unit: 'px' };
    values[`${key}_last_r90`] = { value: round(last.r90, 1), unit: 'px' };
    values[`${key}_blocks`] = { value: blocks.length };
    const us = rs.filter((r) => series(r) === s);
    if (us[0]!.regime !== 'init') values[`${key}_acc`] = { value: round(100 * meanCi95(us.map((r) => r.pool.testAccuracy ?? NaN)).mean, 1), unit: '%' };
  }
  const cnn = familySeeds(rs, CNN), vit = familySeeds(rs, VIT), hybrid = familySeeds(rs, HYBRID);
  values.seeds = { value: Math.min(cnn.length, vit.length) };
  const vit0 = rs.find((r) => r.model === VIT);
  const firstBlock = vit0?.layers.find((l) => l.label !== 'stem');
  const maxRadiusPx = firstBlock ? maxRadius(H, W, firstBlock.centrePx) : NaN;
  values.max_radius = { value: round(maxRadiusPx, 2), unit: 'px' };
  values.ceiling = { value: round(CEILING_FRACTION * maxRadiusPx, 2), unit: 'px' };

  const data = { id, size: [H, W], fractions: [...FRACTIONS], radii, maps } as unknown as Json;
  // The verdict needs every unit: a partial run (the build summarizes what is fresh) has none yet.
  if (records.length !== units(profile, cfg).length || !cnn.length || !vit.length) return { data, values: valuesFile(id, values) as unknown as Json };

  const { verdict, parts, control } = rfVerdict({ cnn, vit, ...(hybrid.length ? { others: { hybrid } } : {}), maxRadiusPx });
  const put = (key: string, s: MeanCi) => {
    values[key] = { value: round(s.mean, 2), unit: 'px' };
    values[`${key}_lo`] = { value: round(s.ci95[0], 2), unit: 'px' };
    values[`${key}_hi`] = { value: round(s.ci95[1], 2), unit: 'px' };
  };
  put('wider', parts.wider);
  put('growth', parts.growth);
  for (const [fam, g] of Object.entries(parts.families)) { put(`${fam}_first_gain`, g.first); put(`${fam}_last_gain`, g.last); }

  const measured = (key: string, s: MeanCi) => ({
    key, label: text(`atlas.exp.receptive-field.measured.${key}`), mean: round(s.mean), ci95: [round(s.ci95[0]), round(s.ci95[1])] as [number, number], seeds: s.n, unit: 'px',
  });
  const f1 = (x: number) => num(x, 1);
  const verdictJson = {
    experiment: id, claims, profile, criterion: CRITERION, verdict,
    control: text('atlas.exp.receptive-field.control', {
      vitFirst: f1(control.vitFirst.mean), cnnFirst: f1(control.cnnFirst.mean), ceiling: f1(control.ceilingPx), seeds: num(vit.length, 0),
    }),
    summary: text('atlas.exp.receptive-field.summary', {
      wider: f1(parts.wider.mean), widerLo: f1(parts.wider.ci95[0]), widerHi: f1(parts.wider.ci95[1]),
      growth: f1(parts.growth.mean), growthLo: f1(parts.growth.ci95[0]), growthHi: f1(parts.growth.ci95[1]),
      seeds: num(Math.min(cnn.length, vit.length), 0), verdict: phrase(`atlas.exp.verdictWord.${verdict}`),
    }),
    measured: [
      measured('wider', parts.wider),
      measured('growth', parts.growth),
      measured('vit_first_gain', parts.families.vit!.first),
      measured('cnn_first_gain', parts.families.cnn!.first),
      measured('cnn_last_gain', parts.families.cnn!.last),
      measured('vit_first_untrained', control.vitFirst),
      measured('cnn_first_untrained', control.cnnFirst),
    ],
    chart: 'radius',
    budget: text('atlas.exp.receptive-field.budget', {
      fullN: num(rs.find((r) => r.regime === 'full')?.pool.trainImages ?? NaN, 0),
      hybrid: phrase(hybrid.length ? 'atlas.exp.receptive-field.hybridToo' : 'atlas.exp.none'),
      seeds: num(Math.min(cnn.length, vit.length), 0), images: num(cfg.images, 0),
    }),
    wallSeconds: wallSeconds(records),
  };
  return { data, values: valuesFile(id, values) as unknown as Json, verdict: verdictJson as unknown as Json };
}
