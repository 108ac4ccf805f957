/**
 * Criteria for accuracy against training-set size, fixed before the runs.
 *   C4 (data hunger; Dosovitskiy et al. 2021, ICLR, §4.3 and Fig. 3–4), two parts:
 *     behind: with little data (the smallest n) the ViT trails the CNN;
 *     closes: the ViT gains more per decade of data than the CNN (slope of accuracy on log10 n), so the gap closes with n.
 *   C7, small-data part: the hybrid (conv stem → transformer) beats the plain ViT at the smallest n.
 *
 * Wiring: test accuracy of resnet_mini_28, vit_mini_patch4_28 and hybrid_mini_28 at every n of SIZES
 * (data-schedule.ts: 2,000 and 55,000 are the pool's 'small' and 'full' units, the others trained with
 * scheduleForSize and plateaued), seeds 0–2, as { [model]: { [n]: number[] by seed } }. The control is chance
 * (1/10): an untrained network has no accuracy curve, so the precondition is that every point trained.
 */
import type { RuleVerdict } from '../../../contracts/verdict';
import { diffCi95, meanCi95, sign95, type DiffCi, type MeanCi } from '../../lib/metrics/seed-stats';
import { combineParts } from './combine-parts';

/** Three seeds per point: the pool's count. */
export const MIN_SEEDS = 3;
/** At least three sizes, so a slope on log n is not just two points. */
export const MIN_SIZES = 3;
/** Every point must reach chance + 0.3 (40% on ten classes): a point that did not train bends the curve by itself. */
export const TRAINED_MARGIN = 0.3;
/** A gap of at least 1 accuracy point counts as "trails" / "beats": below it, seeds of one model differ as much. */
export const MIN_GAP = 0.01;
/** The ViT must gain at least 1 point per decade of data more than the CNN. */
export const MIN_SLOPE_DIFF = 0.01;

/** Accuracy per model, per training-set size, per seed. */
export type Curves = Readonly<Record<string, Readonly<Record<number, readonly number[]>>>>;

export type Reason = 'ok' | 'too-few-seeds' | 'too-few-sizes' | 'untrained-point' | 'missing-model';
export interface Part { verdict: RuleVerdict; reason: Reason; effect: DiffCi | null }

/** Least-squares slope of y on log10 x. */
export function slopeOnLog10(xs: readonly number[], ys: readonly number[]): number {
  const lx = xs.map(Math.log10), n = xs.length;
  const mx = lx.reduce((a, b) => a + b, 0) / n, my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0, sxx = 0;
  for (let i = 0; i < n; i++) { sxy += (lx[i]! - mx) * (ys[i]! - my); sxx += (lx[i]! - mx) ** 2; }
  return sxx > 0 ? sxy / sxx : NaN;
}

/** Per seed: the slope of that seed's accuracies over the sizes (seed s at every n). */
export function seedSlopes(curve: Readonly<Record<number, readonly number[]>>, sizes: readonly number[]): number[] {
  const seeds = Math.min(...sizes.map((n) => curve[n]!.length));
  return Array.from({ length: seeds }, (_, s) => slopeOnLog10(sizes, sizes.map((n) => curve[n]![s]!)));
}

function check(curves: Curves, models: readonly string[], chance: number): { reason: Reason; sizes: number[] } {
  if (models.some((m) => !curves[m])) return { reason: 'missing-model', sizes: [] };
  const sizes = Object.keys(curves[models[0]!]!).map(Number).filter((n) => models.every((m) => curves[m]![n] !== undefined)).sort((a, b) => a - b);
  if (sizes.length < MIN_SIZES) return { reason: 'too-few-sizes', sizes };
  if (models.some((m) => sizes.some((n) => curves[m]![n]!.length < MIN_SEEDS))) return { reason: 'too-few-seeds', sizes };
  if (models.some((m) => sizes.some((n) => meanCi95(curves[m]![n]!).mean < chance + TRAINED_MARGIN))) return { reason: 'untrained-point', sizes };
  return { reason: 'ok', sizes };
}

/** `better` − `worse` at the smallest n: reproduced above MIN_GAP beyond its interval, contradicted below −MIN_GAP. */
function gapAtSmallest(curves: Curves, better: string, worse: string, chance: number): Part {
  const { reason, sizes } = check(curves, [better, worse], chance);
  if (reason !== 'ok') return { verdict: 'inconclusive', reason, effect: null };
  const n = sizes[0]!, d = diffCi95(curves[better]![n]!, curves[worse]![n]!);
  if (sign95(d) === 'above' && d.diff >= MIN_GAP) return { verdict: 'reproduced', reason, effect: d };
  if (sign95(d) === 'below' && d.diff <= -MIN_GAP) return { verdict: 'contradicted', reason, effect: d };
  return { verdict: 'not-detected', reason, effect: d };
}

/** C4 closes: ViT slope − CNN slope (accuracy per decade of n, per seed, Welch). */
export function closesPart(curves: Curves, cnn: string, vit: string, chance: number): Part {
  const { reason, sizes } = check(curves, [cnn, vit], chance);
  if (reason !== 'ok') return { verdict: 'inconclusive', reason, effect: null };
  const d = diffCi95(seedSlopes(curves[vit]!, sizes), seedSlopes(curves[cnn]!, sizes));
  if (sign95(d) === 'above' && d.diff >= MIN_SLOPE_DIFF) return { verdict: 'reproduced', reason, effect: d };
  if (sign95(d) === 'below' && d.diff <= -MIN_SLOPE_DIFF) return { verdict: 'contradicted', reason, effect: d };
  return { verdict: 'not-detected', reason, effect: d };
}

export interface Models { cnn: string; vit: string; hybrid: string }
export const MODELS: Models = { cnn: 'resnet_mini_28', vit: 'vit_mini_patch4_28', hybrid: 'hybrid_mini_28' };

/** Mean and interval of every model at every size, for the page and the verdict file. */
export function curveSummary(curves: Curves): Record<string, Record<number, MeanCi>> {
  return Object.fromEntries(Object.entries(curves).map(([m, c]) => [m, Object.fromEntries(Object.entries(c).map(([n, xs]) => [Number(n), meanCi95(xs)]))]));
}

/** C4: the ViT trails the CNN at the smallest n (behind), and gains more per decade of data (closes). */
export function dataHungerVerdict(curves: Curves, o: { models?: Models; chance?: number } = {}): {
  verdict: RuleVerdict; parts: { behind: Part; closes: Part }; control: { chance: number; trainedMargin: number };
} {
  const m = o.models ?? MODELS, chance = o.chance ?? 0.1;
  const behind = gapAtSmallest(curves, m.cnn, m.vit, chance);
  const closes = closesPart(curves, m.cnn, m.vit, chance);
  return { verdict: combineParts([behind.verdict, closes.verdict]), parts: { behind, closes }, control: { chance, trainedMargin: TRAINED_MARGIN } };
}

/** C7, small data: the hybrid beats the plain ViT at the smallest n. */
export function hybridSmallDataVerdict(curves: Curves, o: { models?: Models; chance?: number } = {}): {
  verdict: RuleVerdict; parts: { hybridAhead: Part }; control: { chance: number; trainedMargin: number };
} {
  const m = o.models ?? MODELS, chance = o.chance ?? 0.1;
  const hybridAhead = gapAtSmallest(curves, m.hybrid, m.vit, chance);
  return { verdict: hybridAhead.verdict, parts: { hybridAhead }, control: { chance, trainedMargin: TRAINED_MARGIN } };
}
