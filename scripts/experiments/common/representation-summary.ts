/**
 * Summary helpers of the representation experiments (attention-distance, receptive-field, cka):
 * seed statistics, the values file, rounding and the training budget as the verdict states it.
 */
import { nested, num, phrase, text, type TextRef } from '../../../contracts/text';
import type { TrainBudget } from './trained-minis';

/** Mean and 95% t-interval over seeds, over the finite values (one value: a zero-width interval). */
export { meanCi95Finite as meanCi95 } from '../../lib/metrics/seed-stats';

/** values.json content: only finite numbers (a partial run leaves some undefined). */
export function valuesFile(id: string, values: Record<string, { value: number; unit?: string }>): { id: string; values: Record<string, { value: number; unit?: string }> } {
  return { id, values: Object.fromEntries(Object.entries(values).filter(([, v]) => Number.isFinite(v.value))) };
}

export const round = (x: number, d = 4): number => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : x);

/** The training budget as the verdict states it: `models` says which networks were trained (worded by the site). */
export function budgetText(b: TrainBudget, models: TextRef, seeds: number): TextRef {
  return text('atlas.exp.trained-minis.budget', {
    models: nested(models), steps: num(b.steps), batch: num(b.batchSize), lr: num(b.lr), warmup: num(b.warmupSteps),
    wd: num(b.weightDecay), shift: num(b.augShift), flip: phrase(b.augFlip ? 'atlas.exp.trained-minis.flip' : 'atlas.exp.none'),
    smallN: num(b.smallN), seeds: num(seeds),
  });
}
