/**
 * Shared pieces of the frequency-noise and robustness summaries: grouping unit records by model,
 * short keys for values.json.
 */
import type { UnitRecord } from '../../lib/experiments/types';
import type { MeanCi } from '../../lib/metrics/seed-stats';
import { shortName } from '../../../models/minis';

/** Short names used in values.json keys (contracts/minis.ts). */
export const short = shortName;

export function byModel<R>(records: UnitRecord[], models: readonly string[]): Map<string, R[]> {
  const m = new Map<string, R[]>(models.map((k) => [k, []]));
  for (const r of records) m.get(String(r.unit.model))?.push(r.result as unknown as R);
  return m;
}

export { wallSeconds } from '../../lib/experiments/wall-time';

export type Values = Record<string, { value: number; unit?: string }>;
export const pct = (x: number, digits = 1) => ({ value: Number((100 * x).toFixed(digits)), unit: '%' });
export const pts = (x: number, digits = 1) => ({ value: Number((100 * x).toFixed(digits)), unit: 'pt' });
export const num = (x: number, digits = 2, unit?: string) => ({ value: Number(x.toFixed(digits)), ...(unit ? { unit } : {}) });
export const ciRow = (m: MeanCi) => ({ mean: m.mean, lo: m.ci95[0], hi: m.ci95[1], n: m.n });
