/**
 * Summary helpers of the representation experiments (attention-distance, receptive-field, cka):
 * seed statistics, the values file, rounding and the training budget as the verdict states it.
 */
import type { TrainBudget } from './trained-minis';

/** Mean and 95% t-interval over seeds, over the finite values (one value: a zero-width interval). */
export { meanCi95Finite as meanCi95 } from '../../lib/metrics/seed-stats';

/** values.json content: only finite numbers (a partial run leaves some undefined). */
export function valuesFile(id: string, values: Record<string, { value: number; unit?: string }>): { id: string; values: Record<string, { value: number; unit?: string }> } {
  return { id, values: Object.fromEntries(Object.entries(values).filter(([, v]) => Number.isFinite(v.value))) };
}

export const round = (x: number, d = 4): number => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : x);

/** The training budget in words, for verdict.budget (both languages). */
export function budgetText(b: TrainBudget, models: { en: string; ja: string }, seeds: number): { en: string; ja: string } {
  const aug = `random shifts of up to ±${b.augShift} px${b.augFlip ? ' and horizontal flips' : ''}`;
  const augJa = `最大 ±${b.augShift} px の平行移動${b.augFlip ? 'と左右反転' : ''}`;
  return {
    en: `${models.en}; each trained from scratch on Fashion-MNIST for ${b.steps} steps of batch ${b.batchSize} (AdamW, peak lr ${b.lr}, ${b.warmupSteps} warmup steps then cosine decay, weight decay ${b.weightDecay}), with ${aug}, on either ${b.smallN} images (small) or all 60,000 (full); ${seeds} seeds each.`,
    ja: `${models.ja}。いずれも Fashion-MNIST でゼロから ${b.steps} ステップ（バッチ ${b.batchSize}、AdamW、最大学習率 ${b.lr}、${b.warmupSteps} ステップのウォームアップ後にコサイン減衰、weight decay ${b.weightDecay}）学習し、データ拡張は${augJa}。学習画像は ${b.smallN} 枚（小データ）または 60,000 枚すべて（全データ）。各 ${seeds} シード。`,
  };
}
