/**
 * Verdict helpers shared by the C6 experiments: each part of a claim is a predicted ordering
 * a > b between two per-seed quantities, judged from their means and 95% intervals over seeds.
 */
import { phrase, type TextParam, type TextRef } from '../../../contracts/text';
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

/** How a part came out, worded by the site (atlas.exp.part.<clear|weak|contrary>). */
export const partPhrase = (p: Part): TextParam => phrase(`atlas.exp.part.${p}`);

export const round = (x: number, sig = 6): number => (Number.isFinite(x) ? Number(x.toPrecision(sig)) : x);

/** A verdict `measured` entry from a per-seed statistic. */
export function measured(key: string, label: TextRef, s: Stat, unit?: string, scale = 1) {
  return {
    key, label, mean: round(s.mean * scale), ci95: [round(s.ci95[0] * scale), round(s.ci95[1] * scale)] as [number, number], seeds: s.n,
    ...(unit ? { unit } : {}),
  };
}
