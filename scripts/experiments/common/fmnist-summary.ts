/**
 * Shared pieces of the frequency-noise and robustness summaries: grouping unit records by model,
 * short keys for values.json and the training-budget sentence.
 */
import type { UnitRecord } from '../../lib/experiments/types';
import type { MeanCi } from '../../lib/metrics/seed-stats';
import { shortName } from '../../../models/minis';
import { list as tlist, mini, num as tnum, text, type TextRef } from '../../../contracts/text';

/** Short names used in values.json keys (contracts/minis.ts). */
export const short = shortName;

export function byModel<R>(records: UnitRecord[], models: readonly string[]): Map<string, R[]> {
  const m = new Map<string, R[]>(models.map((k) => [k, []]));
  for (const r of records) m.get(String(r.unit.model))?.push(r.result as unknown as R);
  return m;
}

export interface BudgetCfg { models: string[]; seeds: number; trainLimit: number; steps: number; batchSize: number; lr: number; warmupSteps: number; weightDecay: number }

export function budgetText(c: BudgetCfg): TextRef {
  const n = c.trainLimit > 0 ? c.trainLimit : 60000;
  return text('atlas.exp.fmnist.budget', {
    n: tnum(n), steps: tnum(c.steps), batch: tnum(c.batchSize), epochs: tnum((c.steps * c.batchSize) / n, 2), lr: tnum(c.lr), warmup: tnum(c.warmupSteps),
    wd: tnum(c.weightDecay), seeds: tnum(c.seeds), models: tlist(c.models.map((m) => mini(m))),
  });
}

export { wallSeconds } from '../../lib/experiments/wall-time';

export type Values = Record<string, { value: number; unit?: string }>;
export const pct = (x: number, digits = 1) => ({ value: Number((100 * x).toFixed(digits)), unit: '%' });
export const pts = (x: number, digits = 1) => ({ value: Number((100 * x).toFixed(digits)), unit: 'pt' });
export const num = (x: number, digits = 2, unit?: string) => ({ value: Number(x.toFixed(digits)), ...(unit ? { unit } : {}) });
export const ciRow = (m: MeanCi) => ({ mean: m.mean, lo: m.ci95[0], hi: m.ci95[1], n: m.n });
