/**
 * One part of a criterion: per-seed effects (trained − untrained of the same seed, or one regime
 * minus another), their mean and 95% interval over seeds, and which way the interval points once a
 * minimum size is asked for.
 *
 *   pairedEffect([0.4, 0.5, 0.45], 0.1)   // { mean, ci95, n, sd, direction: 'found' }
 */
import { meanCi95, type MeanCi } from '../../lib/metrics/seed-stats';

/** found: interval above 0 and mean ≥ margin; opposite: interval below 0 and mean ≤ −margin; else none. */
export type Direction = 'found' | 'opposite' | 'none';

export interface Effect extends MeanCi { direction: Direction; margin: number }

export function pairedEffect(perSeed: readonly number[], margin: number): Effect {
  if (!(margin >= 0)) throw new Error(`pairedEffect: margin must be ≥ 0, got ${margin}`);
  const s = meanCi95(perSeed);
  const direction: Direction = s.n < 2 || !Number.isFinite(s.mean) ? 'none'
    : s.ci95[0] > 0 && s.mean >= margin ? 'found'
    : s.ci95[1] < 0 && s.mean <= -margin ? 'opposite'
    : 'none';
  return { ...s, direction, margin };
}
