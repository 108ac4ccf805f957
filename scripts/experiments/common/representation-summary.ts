/**
 * Summary helpers of the representation experiments (attention-distance, receptive-field, cka):
 * seed statistics, the values file, and rounding.
 */

/** Mean and 95% t-interval over seeds, over the finite values (one value: a zero-width interval). */
export { meanCi95Finite as meanCi95 } from '../../lib/metrics/seed-stats';

/** values.json content: only finite numbers (a partial run leaves some undefined). */
export function valuesFile(id: string, values: Record<string, { value: number; unit?: string }>): { id: string; values: Record<string, { value: number; unit?: string }> } {
  return { id, values: Object.fromEntries(Object.entries(values).filter(([, v]) => Number.isFinite(v.value))) };
}

export const round = (x: number, d = 4): number => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : x);
