/**
 * receptive-field (C5): effective receptive fields (Luo et al. 2016) block by block for the
 * mini-ResNet, mini-ViT, mini-Swin and conv-stem hybrid trained on all of Fashion-MNIST, and the
 * mini-ViT trained on 2,000 images: the absolute gradient of the centre unit of each block's
 * output with respect to the input, averaged over images; radii holding 50% and 90% of it.
 * Raghu et al. (2021, Fig. 6) find ResNet's effective receptive fields grow gradually while
 * ViT's are already wide in the lowest layers. Weights are shared with attention-distance and cka.
 *
 *   npm run experiments -- --only receptive-field [--profile quick]
 */
import * as tf from '@tensorflow/tfjs';
import type { Json, ProfileName, RunContext, Unit, UnitRecord } from '../lib/experiments/types';
import { centreUnit, erfMap, erfRadii } from '../lib/metrics/erf';
import { analysisImages, TRAIN_BUDGET, TRAIN_BUDGET_QUICK, trainCfg, trainedSeriesMini, seriesUnits, type Regime } from './common/trained-minis';
import { budgetText, valuesFile, meanCi95, round } from './common/representation-summary';
import { nested, num, phrase, text, type TextRef } from '../../contracts/text';
import { layersOf } from './common/layer-taps';
import { wallSeconds } from '../lib/experiments/wall-time';

export const id = 'receptive-field';
export const claims = ['C5'];
export const codeVersion = '3';

export const defaults = {
  /** model:regime pairs; the verdict compares the full-data ResNet and ViT. */
  series: ['hybrid_mini_28:full', 'swin_mini_28:full', 'resnet_mini_28:full', 'vit_mini_patch4_28:full', 'vit_mini_patch4_28:small'],
  seeds: 3,
  images: 128, // test images the gradient is averaged over
  ...TRAIN_BUDGET,
};
type Config = typeof defaults;

export const profiles = {
  quick: { seeds: 1, images: 8, series: ['resnet_mini_28:full', 'vit_mini_patch4_28:full'], ...TRAIN_BUDGET_QUICK },
  full: {},
};

export const FRACTIONS = [0.5, 0.9] as const;
/** Images per backward pass of the ERF. */
const ERF_CHUNK = 32;
/**
 * The criterion reads r90: a ViT token keeps most of its own patch through the residual stream, so
 * its r50 stays near the patch radius at every depth, and what attention adds shows in the tail.
 * ResNet's r90 may dip by this much between consecutive blocks and still count as growing.
 */
export const GROWTH_TOLERANCE_PX = 0.5;
/** Worded in src/content/i18n (atlas.exp.receptive-field.criterion). */
export const CRITERION = text('atlas.exp.receptive-field.criterion', { tolerance: num(GROWTH_TOLERANCE_PX) });

export function units(_profile: ProfileName, cfg: Config): Unit[] {
  return seriesUnits(cfg.series, cfg.seeds);
}

export function runUnit(unit: Unit, cfg: Config, ctx: RunContext): Promise<Json> {
  return measure(unit, cfg, ctx);
}

async function measure(unit: Unit, cfg: Config, ctx: RunContext): Promise<Json> {
  const { model, training } = await trainedSeriesMini(unit, cfg, ctx, 0.8);
  const layers = layersOf(model);
  const [H, W] = model.inputShape;
  const x = analysisImages(cfg.images);
  const out = layers.map((l, i) => {
    const c = centreUnit(l.grid, [H, W]);
    // Tokens: the centre patch token sits after the prefix, row-major.
    const unitIdx: [number, number] = l.kind === 'tokens' ? [l.prefix + c.unit[0] * l.grid[1] + c.unit[1], 0] : c.unit;
    // Averaged over chunks of images: the mean of |∂y/∂x| is exact by chunk, and a chunk keeps the
    // backward's tape small (Swin's full backward at 128 images grows the wasm heap past 2 GiB).
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
    ctx.progress(0.8 + (0.2 * (i + 1)) / layers.length, 1);
    return {
      tap: l.tap, label: l.label, depth: i, relDepth: round(i / (layers.length - 1), 4), grid: l.grid, centrePx: c.centrePx,
      r50: round(r50!, 3), r90: round(r90!, 3),
      map: Array.from(map, (v) => round(peak > 0 ? v / peak : 0, 4)), // normalised to the peak
    };
  });
  x.dispose();
  model.dispose();
  return { model: String(unit.model), regime: String(unit.regime), seed: unit.seed, training: training as unknown as Json, images: cfg.images, size: [H, W], layers: out };
}

// ---- summary ----------------------------------------------------------------------------------

interface LayerResult { tap: string; label: string; depth: number; relDepth: number; r50: number; r90: number; map: number[] }
interface UnitResult { model: string; regime: Regime; seed: number; size: [number, number]; training: { testAccuracy: number }; layers: LayerResult[] }

const series = (r: { model: string; regime: string }) => `${r.model.split('_')[0]}-${r.regime}`;

/** Whether r90 grows block by block (the stem excluded: it is the first conv, not a block). */
export function grows(r: UnitResult): boolean {
  const rs = r.layers.filter((l) => l.label !== 'stem').map((l) => l.r90);
  return rs.at(-1)! > rs[0]! && rs.every((v, i) => i === 0 || v >= rs[i - 1]! - GROWTH_TOLERANCE_PX);
}
const firstBlock = (r: UnitResult) => r.layers.find((l) => l.label !== 'stem')!;

export function verdictOf(cnn: UnitResult[], vit: UnitResult[]) {
  const paired = vit.map((v) => { const c = cnn.find((q) => q.seed === v.seed); return c ? firstBlock(v).r90 - firstBlock(c).r90 : NaN; });
  const diff = meanCi95(paired);
  const wider = diff.n > 1 && diff.ci95[0] > 0;
  const growing = cnn.length > 0 && cnn.every(grows);
  const verdict: 'reproduced' | 'partly' | 'not-reproduced' = wider && growing ? 'reproduced' : wider || growing ? 'partly' : 'not-reproduced';
  return { verdict, diff, wider, growing };
}

export function summarize(records: UnitRecord[], cfg: Config, profile: ProfileName): Record<string, Json> {
  const rs = records.map((r) => r.result as unknown as UnitResult);
  const pick = (s: string) => rs.filter((r) => `${r.model}:${r.regime}` === s);
  const cnn = pick('resnet_mini_28:full'), vit = pick('vit_mini_patch4_28:full');
  const { verdict, diff, growing } = verdictOf(cnn, vit);

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

  const row = (s: string, label: string) => radii.find((r) => r.series === s && r.layer === label);
  const lastLabel = (s: string) => radii.filter((r) => r.series === s).at(-1)!.layer;
  const cnnS = series(cnn[0] ?? { model: 'resnet', regime: 'full' }), vitS = series(vit[0] ?? { model: 'vit', regime: 'full' });
  const values: Record<string, { value: number; unit?: string }> = {};
  for (const s of names) {
    const key = s.replace('-', '_');
    const first = radii.find((r) => r.series === s && r.layer !== 'stem')!;
    const last = row(s, lastLabel(s))!;
    values[`${key}_first_r50`] = { value: round(first.r50, 1), unit: 'px' };
    values[`${key}_first_r90`] = { value: round(first.r90, 1), unit: 'px' };
    values[`${key}_last_r50`] = { value: round(last.r50, 1), unit: 'px' };
    values[`${key}_last_r90`] = { value: round(last.r90, 1), unit: 'px' };
    values[`${key}_blocks`] = { value: radii.filter((r) => r.series === s && r.layer !== 'stem').length };
    const acc = meanCi95(rs.filter((r) => series(r) === s).map((r) => r.training.testAccuracy));
    values[`${key}_acc`] = { value: round(100 * acc.mean, 1), unit: '%' };
  }
  values.first_diff = { value: round(diff.mean, 2), unit: 'px' };
  values.first_diff_lo = { value: round(diff.ci95[0], 2), unit: 'px' };
  values.first_diff_hi = { value: round(diff.ci95[1], 2), unit: 'px' };
  values.cnn_growing_seeds = { value: cnn.filter(grows).length };
  values.seeds = { value: Math.min(cnn.length, vit.length) };
  values.images = { value: cfg.images };

  const stat = (us: UnitResult[], f: (r: UnitResult) => number) => meanCi95(us.map(f));
  const m = {
    cnnFirst: stat(cnn, (r) => firstBlock(r).r90), vitFirst: stat(vit, (r) => firstBlock(r).r90),
    cnnLast: stat(cnn, (r) => r.layers.at(-1)!.r90), vitLast: stat(vit, (r) => r.layers.at(-1)!.r90),
    cnnFirst50: stat(cnn, (r) => firstBlock(r).r50), vitFirst50: stat(vit, (r) => firstBlock(r).r50),
  };
  const measured = (key: string, s: ReturnType<typeof meanCi95>, unit = 'px') => ({
    key, label: text(`atlas.exp.receptive-field.measured.${key}`), mean: round(s.mean), ci95: [round(s.ci95[0]), round(s.ci95[1])] as [number, number], seeds: s.n, unit,
  });
  const f1 = (x: number) => num(x, 1);
  const seeds = Math.min(cnn.length, vit.length);
  const summary = text('atlas.exp.receptive-field.summary', {
    vitFirst: f1(m.vitFirst.mean), cnnFirst: f1(m.cnnFirst.mean), vitLast: f1(m.vitLast.mean), cnnLast: f1(m.cnnLast.mean),
    growing: num(cnn.filter(grows).length), seeds: num(cnn.length), verdict: phrase(`atlas.exp.verdictWord.${verdict}`),
  });
  void growing;
  const verdictJson = {
    experiment: id, claims, profile, criterion: CRITERION, verdict, summary,
    measured: [
      measured('vit_first_r90', m.vitFirst),
      measured('cnn_first_r90', m.cnnFirst),
      measured('first_diff', diff),
      measured('vit_last_r90', m.vitLast),
      measured('cnn_last_r90', m.cnnLast),
      measured('vit_first_r50', m.vitFirst50),
      measured('cnn_first_r50', m.cnnFirst50),
    ],
    chart: 'radius',
    budget: budgetText(trainCfg(cfg), text('atlas.exp.receptive-field.models'), seeds),
    wallSeconds: wallSeconds(records),
  };
  return {
    data: { id, size: [H, W], fractions: [...FRACTIONS], cnn: cnnS, vit: vitS, radii, maps } as unknown as Json,
    values: valuesFile(id, values) as unknown as Json,
    // The verdict needs every unit: a partial run (the build summarizes what is fresh) has none yet.
    ...(records.length === units(profile, cfg).length ? { verdict: verdictJson as unknown as Json } : {}),
  };
}
