/**
 * C5, fixed before the run: "a ViT learns local attention in its shallow layers and global attention
 * in its deep ones, and needs data for it", judged on per-head mean attention distance against the
 * same seed's untrained ViT and against uniform attention. Distances are read in units of the
 * uniform-attention distance U (uniformDistance of the token grid), so the rule holds at any grid.
 *
 * Wiring: per seed s (≥ MIN_SEEDS), meanAttentionDistance(…).patch for every layer × head of
 * vit_mini_patch4_28 at poolMini(…, 'full', s), poolMini(…, 'small', s) and poolMini(…, 'init', s)
 * on the same test images, plus uniformDistance(tokenGrid(7, 7, 4, 1)) as `uniformPx`.
 *
 *   attentionVerdict({ uniformPx: 14.44, seeds: [{ seed, full, small, init }, …] })   // [layer][head] px
 */
import type { RuleVerdict } from '../../../contracts/verdict';
import { meanCi95, type MeanCi } from '../../lib/metrics/seed-stats';
import { pairedEffect, type Effect } from './paired-effect';

export const MIN_SEEDS = 3;
/** A head is local when it reads within half the uniform distance (Dosovitskiy et al. 2021, Fig. 7: local heads sit far below the rest). */
export const LOCAL_FRACTION = 0.5;
/** Untrained heads lie within ±4% of U (14.1–14.7 of 14.44 px on the 7×7 grid); a tenth of U is well outside that spread. */
export const MIN_SHIFT = 0.1;
/** Shallow layers: the first third of the encoder; deep layers: the last third. */
export const thirdOf = (layers: number): number => Math.ceil(layers / 3);

/** One seed: mean attention distance (px) per layer and head, for each regime and the untrained control. */
export interface AttentionSeed { seed: number; full: number[][]; small: number[][]; init: number[][] }
export interface AttentionInputs { uniformPx: number; seeds: AttentionSeed[] }

export interface HeadSummary {
  /** The most local head of the shallow layers, in units of U. */
  shallowMin: number;
  /** Mean over heads of the shallow and of the deep layers, in units of U. */
  shallowMean: number;
  deepMean: number;
}

export function headSummary(d: readonly (readonly number[])[], uniformPx: number): HeadSummary {
  const L = d.length;
  if (L < 2 || !(uniformPx > 0) || d.some((l) => l.length === 0)) throw new Error(`headSummary: ${L} layers, U = ${uniformPx}`);
  const k = thirdOf(L);
  const shallow = d.slice(0, k).flat().map((x) => x / uniformPx), deep = d.slice(L - k).flat().map((x) => x / uniformPx);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return { shallowMin: Math.min(...shallow), shallowMean: mean(shallow), deepMean: mean(deep) };
}

export interface AttentionParts {
  /** init − full of the most local shallow head (units of U): training made a shallow head local. */
  local: Effect;
  /** (deep − shallow mean) of full minus the same of init: training made depth go from local to global. */
  depth: Effect;
  /** small − full of the most local shallow head: the local heads need the full data. */
  data: Effect;
  /** The full-data ViT's most local shallow head, units of U (local when ≤ LOCAL_FRACTION). */
  fullShallowMin: MeanCi;
  smallShallowMin: MeanCi;
  /** init − small of the most local shallow head: what the small regime learns (reported, not judged). */
  smallLocal: Effect;
}

/**
 * Reproduced: all three parts found, and the full-data ViT's most local shallow head is below
 * LOCAL_FRACTION · U (local, not only less global); contradicted: training made shallow heads more
 * global (local opposite), or the small-data ViT is the more local one while the full-data ViT is
 * not local; partly: some parts found; not detected: none (attention stays as uniform as untrained).
 * Inconclusive with too few seeds, or when the untrained control already has a local shallow head.
 */
export function attentionVerdict(inputs: AttentionInputs): { verdict: RuleVerdict; parts: AttentionParts; control: { initShallowMin: MeanCi; initLocalSeeds: number; uniformPx: number } } {
  const U = inputs.uniformPx;
  const f = inputs.seeds.map((s) => headSummary(s.full, U)), sm = inputs.seeds.map((s) => headSummary(s.small, U)), z = inputs.seeds.map((s) => headSummary(s.init, U));
  const localGain = pairedEffect(z.map((c, i) => c.shallowMin - f[i]!.shallowMin), MIN_SHIFT);
  const fullShallowMin = meanCi95(f.map((x) => x.shallowMin));
  const local: Effect = localGain.direction === 'found' && fullShallowMin.mean > LOCAL_FRACTION ? { ...localGain, direction: 'none' } : localGain;
  const parts: AttentionParts = {
    local,
    depth: pairedEffect(f.map((x, i) => (x.deepMean - x.shallowMean) - (z[i]!.deepMean - z[i]!.shallowMean)), MIN_SHIFT),
    data: pairedEffect(sm.map((x, i) => x.shallowMin - f[i]!.shallowMin), MIN_SHIFT),
    fullShallowMin,
    smallShallowMin: meanCi95(sm.map((x) => x.shallowMin)),
    smallLocal: pairedEffect(z.map((c, i) => c.shallowMin - sm[i]!.shallowMin), MIN_SHIFT),
  };
  const control = { initShallowMin: meanCi95(z.map((x) => x.shallowMin)), initLocalSeeds: z.filter((x) => x.shallowMin <= LOCAL_FRACTION).length, uniformPx: U };
  const found = [parts.local, parts.depth, parts.data].filter((p) => p.direction === 'found').length;
  const verdict: RuleVerdict = inputs.seeds.length < MIN_SEEDS || control.initLocalSeeds > 0 ? 'inconclusive'
    : found === 3 ? 'reproduced'
    : parts.local.direction === 'opposite' || (parts.local.direction !== 'found' && parts.data.direction === 'opposite') ? 'contradicted'
    : found > 0 ? 'partly'
    : 'not-detected';
  return { verdict, parts, control };
}
