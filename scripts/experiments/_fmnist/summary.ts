/**
 * Shared pieces of the frequency-noise and robustness summaries: grouping unit records by model,
 * short keys for values.json, the training-budget sentence, and the file writer.
 */
import { join, resolve } from 'node:path';
import { writeJsonAtomic } from '../../lib/io/json-file';
import type { ProfileName, UnitRecord } from '../../lib/experiments/types';
import type { MeanCi } from '../../lib/metrics/seed-stats';

/** Short names used in values.json keys. */
export const SHORT: Readonly<Record<string, string>> = {
  resnet_mini_28: 'resnet', vit_mini_patch4_28: 'vit', hybrid_mini_28: 'hybrid', swin_mini_28: 'swin', convnext_mini_28: 'convnext', pvt_mini_28: 'pvt', cvt_mini_28: 'cvt',
};
export const short = (model: string) => SHORT[model] ?? model.replace(/[^a-z0-9]+/gi, '_');

/** Display names (the i18n keys atlas.miniModel.<name> say the same; these go into verdict text). */
export const DISPLAY: Readonly<Record<string, { en: string; ja: string }>> = {
  resnet_mini_28: { en: 'ResNet-mini (CNN)', ja: 'ResNet-mini（CNN）' },
  vit_mini_patch4_28: { en: 'ViT-mini', ja: 'ViT-mini' },
  hybrid_mini_28: { en: 'Hybrid-mini (conv stem + ViT)', ja: 'Hybrid-mini（畳み込みステム＋ViT）' },
  swin_mini_28: { en: 'Swin-mini', ja: 'Swin-mini' },
};
export const display = (model: string, lang: 'en' | 'ja') => DISPLAY[model]?.[lang] ?? model;

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

/** Where summaries go: generated/<id>/ for full, the quick scratch folder for quick. */
export function summaryDir(id: string, profile: ProfileName): string {
  const base = process.env.ATLAS_RESULTS_DIR;
  if (base) return resolve(base, profile === 'full' ? 'generated' : '.cache/quick', id);
  return resolve(profile === 'full' ? 'generated' : '.cache/experiments-quick', id);
}

/** Writes every file a summarize() returns (generated/<id>/<name>.json), as the build's data step does. */
export function writeSummary(id: string, profile: ProfileName, files: Record<string, unknown>): string[] {
  const dir = summaryDir(id, profile);
  return Object.entries(files).map(([name, data]) => { const f = join(dir, `${name}.json`); writeJsonAtomic(f, data); return f; });
}
