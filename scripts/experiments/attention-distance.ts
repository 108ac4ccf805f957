/**
 * attention-distance (C5): mean attention distance per head and layer (Dosovitskiy et al. 2021,
 * Fig. 7 right; Raghu et al. 2021, Figs. 3–4) for the mini-ViT trained on 2,000 Fashion-MNIST
 * images and on all 60,000, and for the conv-stem hybrid on all 60,000. Same training budget
 * for all three (scripts/experiments/common/trained-minis.ts); the weights are shared with
 * receptive-field and cka.
 *
 *   npm run experiments -- --only attention-distance [--profile quick]
 *
 * Claim C5: a ViT trained on enough data mixes local and global heads in its shallow layers;
 * trained on too little it has global heads only.
 */
import * as tf from '@tensorflow/tfjs';
import type { Json, ProfileName, RunContext, Unit, UnitRecord } from '../lib/experiments/types';
import { meanAttentionDistance, tokenGrid, uniformDistance } from '../lib/metrics/attention-distance';
import { analysisImages, TRAIN_BUDGET, TRAIN_BUDGET_QUICK, trainCfg, trainedSeriesMini, seriesUnits, type Regime } from './common/trained-minis';
import { budgetText, valuesFile, meanCi95, round } from './common/representation-summary';
import { nested, num, phrase, text, type TextRef } from '../../contracts/text';
import { layersOf } from './common/layer-taps';
import { wallSeconds } from '../lib/experiments/wall-time';
import { shortName } from '../models/minis';

export const id = 'attention-distance';
export const claims = ['C5'];
export const codeVersion = '1';

export const defaults = {
  /** model:regime pairs; the verdict compares the mini-ViT's small and full regimes. */
  series: ['hybrid_mini_28:full', 'vit_mini_patch4_28:small', 'vit_mini_patch4_28:full'],
  seeds: 3,
  images: 256, // test images the distances are averaged over (Dosovitskiy et al. use 128)
  ...TRAIN_BUDGET,
};
type Config = typeof defaults;

export const profiles = {
  quick: { seeds: 1, images: 16, ...TRAIN_BUDGET_QUICK },
  full: {},
};

const VIT_SMALL = 'vit_mini_patch4_28:small', VIT_FULL = 'vit_mini_patch4_28:full';

// The criterion, fixed before the run.
/** A head is local when its mean distance is below this fraction of uniform attention's. */
export const LOCAL_FRACTION = 0.5;
/** Shallow layers: the first third of the encoder (layers 1–2 of the mini-ViT's 6). */
export const shallowLayers = (depth: number): number => Math.ceil(depth / 3);
/** Worded in src/content/i18n (atlas.exp.attention-distance.criterion). */
export const CRITERION = text('atlas.exp.attention-distance.criterion', { localFraction: num(LOCAL_FRACTION) });

export function units(_profile: ProfileName, cfg: Config): Unit[] {
  return seriesUnits(cfg.series, cfg.seeds);
}

export function runUnit(unit: Unit, cfg: Config, ctx: RunContext): Promise<Json> {
  return measure(unit, cfg, ctx);
}

async function measure(unit: Unit, cfg: Config, ctx: RunContext): Promise<Json> {
  const { model, training } = await trainedSeriesMini(unit, cfg, ctx, 0.9);
  const layers = layersOf(model).filter((l) => l.kind === 'tokens' && l.tap !== 'stem'); // the attention blocks
  const x = analysisImages(cfg.images);
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
  }
  x.dispose();
  const g = layers[0]!;
  const uniform = uniformDistance(tokenGrid(g.grid[0], g.grid[1], g.cellPx));
  const result = {
    model: model.name, regime: String(unit.regime), seed: unit.seed, training: training as unknown as Json,
    images: cfg.images, grid: { rows: g.grid[0], cols: g.grid[1], cellPx: g.cellPx }, uniformDistance: round(uniform),
    layers: layers.map((l, i) => ({
      layer: i + 1, tap: l.tap,
      heads: acc.get(l.tap)!.map((h) => ({ distance: round(h.patch / cfg.images), clsQuery: round(h.clsQuery / cfg.images), clsKeyMass: round(h.clsKeyMass / cfg.images) })),
    })),
  };
  model.dispose();
  ctx.progress(1, 1);
  return result;
}

// ---- summary: chart data, values for prose, the verdict ----------------------------------------

interface UnitResult {
  model: string; regime: Regime; seed: number; uniformDistance: number; images: number;
  training: { testAccuracy: number; trainImages: number };
  layers: Array<{ layer: number; heads: Array<{ distance: number; clsQuery: number; clsKeyMass: number }> }>;
}

const seriesName = (r: { model: string; regime: string }) => `${shortName(r.model)}-${r.regime}`;

/** Per unit: smallest head distance and number of local heads in the shallow layers. */
export function shallowStats(r: UnitResult): { minDistance: number; localHeads: number } {
  const shallow = r.layers.slice(0, shallowLayers(r.layers.length));
  const d = shallow.flatMap((l) => l.heads.map((h) => h.distance));
  return { minDistance: Math.min(...d), localHeads: d.filter((x) => x < LOCAL_FRACTION * r.uniformDistance).length };
}

export function verdictOf(small: UnitResult[], full: UnitResult[]): { verdict: 'reproduced' | 'partly' | 'not-reproduced'; diff: ReturnType<typeof meanCi95> } {
  const everyFull = full.length > 0 && full.every((r) => shallowStats(r).localHeads > 0);
  const noSmall = small.every((r) => shallowStats(r).localHeads === 0);
  const paired = small.map((r) => { const f = full.find((q) => q.seed === r.seed); return f ? shallowStats(r).minDistance - shallowStats(f).minDistance : NaN; });
  const diff = meanCi95(paired);
  const verdict = everyFull && noSmall ? 'reproduced' : diff.n > 1 && diff.ci95[0] > 0 ? 'partly' : 'not-reproduced';
  return { verdict, diff };
}

export function summarize(records: UnitRecord[], cfg: Config, profile: ProfileName): Record<string, Json> {
  const rs = records.map((r) => r.result as unknown as UnitResult);
  const pick = (s: string) => rs.filter((r) => `${r.model}:${r.regime}` === s);
  const small = pick(VIT_SMALL), full = pick(VIT_FULL), hybrid = rs.filter((r) => r.model.startsWith('hybrid'));
  const uniform = rs[0]!.uniformDistance;
  const { verdict, diff } = verdictOf(small, full);

  const rows = rs.flatMap((r) => r.layers.flatMap((l) => l.heads.map((h, head) => ({
    series: seriesName(r), model: r.model, regime: r.regime, seed: r.seed, layer: l.layer, head, distance: h.distance, clsQuery: h.clsQuery, clsKeyMass: h.clsKeyMass,
  }))));
  const stat = (us: UnitResult[], f: (r: UnitResult) => number) => meanCi95(us.map(f));
  const m = {
    smallMin: stat(small, (r) => shallowStats(r).minDistance),
    fullMin: stat(full, (r) => shallowStats(r).minDistance),
    hybridMin: stat(hybrid, (r) => shallowStats(r).minDistance),
    smallLocal: stat(small, (r) => shallowStats(r).localHeads),
    fullLocal: stat(full, (r) => shallowStats(r).localHeads),
    hybridLocal: stat(hybrid, (r) => shallowStats(r).localHeads),
    smallAcc: stat(small, (r) => r.training.testAccuracy),
    fullAcc: stat(full, (r) => r.training.testAccuracy),
    hybridAcc: stat(hybrid, (r) => r.training.testAccuracy),
    smallLast: stat(small, (r) => mean(r.layers.at(-1)!.heads.map((h) => h.distance))),
    fullLast: stat(full, (r) => mean(r.layers.at(-1)!.heads.map((h) => h.distance))),
    fullClsMass: stat(full, (r) => mean(r.layers.flatMap((l) => l.heads.map((h) => h.clsKeyMass)))),
  };
  const heads = full[0]?.layers[0]?.heads.length ?? 0;
  const shallowN = shallowLayers(full[0]?.layers.length ?? 6);
  const seeds = Math.min(small.length, full.length);
  const values: Record<string, { value: number; unit?: string }> = {
    uniform_distance: { value: round(uniform, 2), unit: 'px' },
    local_threshold: { value: round(LOCAL_FRACTION * uniform, 2), unit: 'px' },
    small_min_shallow: { value: round(m.smallMin.mean, 2), unit: 'px' },
    full_min_shallow: { value: round(m.fullMin.mean, 2), unit: 'px' },
    hybrid_min_shallow: { value: round(m.hybridMin.mean, 2), unit: 'px' },
    small_local_heads: { value: round(m.smallLocal.mean, 2) },
    full_local_heads: { value: round(m.fullLocal.mean, 2) },
    hybrid_local_heads: { value: round(m.hybridLocal.mean, 2) },
    shallow_heads: { value: heads * shallowN },
    min_diff: { value: round(diff.mean, 2), unit: 'px' },
    min_diff_lo: { value: round(diff.ci95[0], 2), unit: 'px' },
    min_diff_hi: { value: round(diff.ci95[1], 2), unit: 'px' },
    small_last_mean: { value: round(m.smallLast.mean, 2), unit: 'px' },
    full_last_mean: { value: round(m.fullLast.mean, 2), unit: 'px' },
    small_acc: { value: round(100 * m.smallAcc.mean, 1), unit: '%' },
    full_acc: { value: round(100 * m.fullAcc.mean, 1), unit: '%' },
    hybrid_acc: { value: round(100 * m.hybridAcc.mean, 1), unit: '%' },
    full_cls_mass: { value: round(100 * m.fullClsMass.mean, 1), unit: '%' },
    seeds: { value: seeds },
    images: { value: cfg.images },
    steps: { value: cfg.steps },
    batch: { value: cfg.batchSize },
    small_n: { value: cfg.smallN },
    images_seen: { value: cfg.steps * cfg.batchSize },
    small_epochs: { value: round((cfg.steps * cfg.batchSize) / cfg.smallN, 1) },
    distinct_ratio: { value: round(Math.min(60000, cfg.steps * cfg.batchSize) / cfg.smallN, 1) },
  };
  const measured = (key: string, s: ReturnType<typeof meanCi95>, unit?: string) => ({
    key, label: text(`atlas.exp.attention-distance.measured.${key}`), mean: round(s.mean), ci95: [round(s.ci95[0]), round(s.ci95[1])] as [number, number], seeds: s.n, ...(unit ? { unit } : {}),
  });
  const f1 = (x: number) => num(x, 1);
  const summary = text('atlas.exp.attention-distance.summary', {
    smallMin: f1(m.smallMin.mean), fullMin: f1(m.fullMin.mean), uniform: f1(uniform), smallLocal: f1(m.smallLocal.mean), fullLocal: f1(m.fullLocal.mean),
    heads: num(heads * shallowN), seeds: num(seeds), verdict: phrase(`atlas.exp.verdictWord.${verdict}`),
  });
  const seconds = wallSeconds(records);
  const verdictJson = {
    experiment: id, claims, profile, criterion: CRITERION, verdict, summary,
    measured: [
      measured('small_min_shallow', m.smallMin, 'px'),
      measured('full_min_shallow', m.fullMin, 'px'),
      measured('min_diff', diff, 'px'),
      measured('small_local_heads', m.smallLocal),
      measured('full_local_heads', m.fullLocal),
      measured('hybrid_min_shallow', m.hybridMin, 'px'),
    ],
    chart: 'by-depth',
    budget: budgetText(trainCfg(cfg), text('atlas.exp.attention-distance.models'), seeds),
    wallSeconds: seconds,
  };
  return {
    data: { id, uniformDistance: uniform, localFraction: LOCAL_FRACTION, shallowLayers: shallowN, rows } as unknown as Json,
    values: valuesFile(id, values) as unknown as Json,
    // The verdict needs every unit: a partial run (the build summarizes what is fresh) has none yet.
    ...(records.length === units(profile, cfg).length ? { verdict: verdictJson as unknown as Json } : {}),
  };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
