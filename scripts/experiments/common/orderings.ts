/**
 * Verdict helpers shared by the C6 experiments: each part of a claim is a predicted ordering
 * a > b between two per-seed quantities, judged from their means and 95% intervals over seeds.
 */
import type { meanCi95 } from '../../lib/metrics/hessian';

export type Stat = ReturnType<typeof meanCi95>;
export type Part = 'clear' | 'weak' | 'contrary';

/** a > b: clear when the 95% intervals do not overlap, weak when only the means are ordered, else contrary. */
export function ordering(a: Stat, b: Stat): Part {
  if (!(a.mean > b.mean)) return 'contrary';
  return a.ci95[0] > b.ci95[1] ? 'clear' : 'weak';
}

/** reproduced: every part clear; not-reproduced: every part contrary; otherwise partly. */
export function combine(parts: readonly Part[]): 'reproduced' | 'partly' | 'not-reproduced' {
  if (parts.every((p) => p === 'clear')) return 'reproduced';
  if (parts.every((p) => p === 'contrary')) return 'not-reproduced';
  return 'partly';
}

export const PART_TEXT: Record<Part, { en: string; ja: string }> = {
  clear: { en: 'holds (95% intervals apart)', ja: '成り立つ（95% 区間が重ならない）' },
  weak: { en: 'holds in the means only (intervals overlap)', ja: '平均では成り立つが区間が重なる' },
  contrary: { en: 'does not hold', ja: '成り立たない' },
};

export const round = (x: number, sig = 6): number => (Number.isFinite(x) ? Number(x.toPrecision(sig)) : x);

/** A verdict `measured` entry from a per-seed statistic. */
export function measured(key: string, label: { en: string; ja: string }, s: Stat, unit?: string, scale = 1) {
  return {
    key, label, mean: round(s.mean * scale), ci95: [round(s.ci95[0] * scale), round(s.ci95[1] * scale)] as [number, number], seeds: s.n,
    ...(unit ? { unit } : {}),
  };
}
