/**
 * Summary helpers shared by the C6 experiments (hessian, loss-landscape): rounding for the written JSON and a
 * verdict `measured` entry from a per-seed statistic.
 */
import type { TextRef } from '../../../contracts/text';
import type { meanCi95 } from '../../lib/metrics/hessian';

export type Stat = ReturnType<typeof meanCi95>;

export const round = (x: number, sig = 6): number => (Number.isFinite(x) ? Number(x.toPrecision(sig)) : x);

/** A verdict `measured` entry from a per-seed statistic. */
export function measured(key: string, label: TextRef, s: Stat, unit?: string, scale = 1) {
  return {
    key, label, mean: round(s.mean * scale), ci95: [round(s.ci95[0] * scale), round(s.ci95[1] * scale)] as [number, number], seeds: s.n,
    ...(unit ? { unit } : {}),
  };
}
