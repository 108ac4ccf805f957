/**
 * Shared pieces of the frequency-noise and robustness summaries: grouping unit records by model,
 * short keys for values.json and the training-budget sentence.
 */
import type { UnitRecord } from '../../lib/experiments/types';
import type { MeanCi } from '../../lib/metrics/seed-stats';
import { familyName, shortName } from '../../models/minis';

/** Short names used in values.json keys (contracts/minis.ts). */
export const short = shortName;

/** A mini's name in verdict text: '<family>-mini'. */
export const display = (model: string, _lang: 'en' | 'ja') => `${familyName(model)}-mini`;

export function byModel<R>(records: UnitRecord[], models: readonly string[]): Map<string, R[]> {
  const m = new Map<string, R[]>(models.map((k) => [k, []]));
  for (const r of records) m.get(String(r.unit.model))?.push(r.result as unknown as R);
  return m;
}

export interface BudgetCfg { models: string[]; seeds: number; trainLimit: number; steps: number; batchSize: number; lr: number; warmupSteps: number; weightDecay: number }

export function budgetText(c: BudgetCfg): { en: string; ja: string } {
  const n = c.trainLimit > 0 ? c.trainLimit : 60000;
  const epochs = (c.steps * c.batchSize) / n;
  const en = `Every model is trained from scratch on ${n.toLocaleString('en-US')} Fashion-MNIST training images with the same budget: ${c.steps} AdamW steps of batch ${c.batchSize} (${epochs.toFixed(2)} epochs), peak learning rate ${c.lr} after ${c.warmupSteps} warmup steps with cosine decay, weight decay ${c.weightDecay}, no augmentation; ${c.seeds} seeds per model; models: ${c.models.map((m) => display(m, 'en')).join(', ')}.`;
  const ja = `どのモデルも Fashion-MNIST の学習画像 ${n.toLocaleString('ja-JP')} 枚でゼロから同じ予算で学習する。AdamW ${c.steps} ステップ、バッチ ${c.batchSize}（${epochs.toFixed(2)} エポック）、学習率は ${c.warmupSteps} ステップのウォームアップ後に最大 ${c.lr} からコサイン減衰、weight decay ${c.weightDecay}、データ拡張なし。各モデル ${c.seeds} シード。モデル：${c.models.map((m) => display(m, 'ja')).join('、')}。`;
  return { en, ja };
}

export { wallSeconds } from '../../lib/experiments/wall-time';

export type Values = Record<string, { value: number; unit?: string }>;
export const pct = (x: number, digits = 1) => ({ value: Number((100 * x).toFixed(digits)), unit: '%' });
export const pts = (x: number, digits = 1) => ({ value: Number((100 * x).toFixed(digits)), unit: 'pt' });
export const num = (x: number, digits = 2, unit?: string) => ({ value: Number(x.toFixed(digits)), ...(unit ? { unit } : {}) });
export const ciRow = (m: MeanCi) => ({ mean: m.mean, lo: m.ci95[0], hi: m.ci95[1], n: m.n });
