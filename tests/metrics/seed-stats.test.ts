// Student-t means and Welch intervals against hand-computed values.
import { describe, expect, it } from 'vitest';
import { diffCi95, meanCi95, sign95, t975 } from '../../scripts/lib/metrics/seed-stats';

describe('seed statistics', () => {
  it('t quantiles from the table, interpolated for fractional df', () => {
    expect(t975(2)).toBeCloseTo(4.303, 3);
    expect(t975(2.5)).toBeCloseTo((4.303 + 3.182) / 2, 3);
    expect(t975(1e6)).toBeCloseTo(1.96, 3);
  });

  it('mean and 95% interval of three seeds: 2 ± 4.303/√3', () => {
    const m = meanCi95([1, 2, 3]);
    expect(m.mean).toBe(2);
    expect(m.sd).toBeCloseTo(1, 12);
    expect(m.ci95[0]).toBeCloseTo(2 - 4.303 / Math.sqrt(3), 3);
    expect(m.ci95[1]).toBeCloseTo(2 + 4.303 / Math.sqrt(3), 3);
    expect(meanCi95([5]).ci95).toEqual([5, 5]);
  });

  it('Welch: equal sizes and variances give df = 2n − 2', () => {
    const d = diffCi95([4, 5, 6], [1, 2, 3]);
    expect(d.diff).toBe(3);
    expect(d.df).toBeCloseTo(4, 10);
    const se = Math.sqrt(1 / 3 + 1 / 3);
    expect(d.ci95[0]).toBeCloseTo(3 - 2.776 * se, 3);
    expect(sign95(d)).toBe('above');
    expect(sign95(diffCi95([1, 2, 3], [1.5, 2.5, 3.5]))).toBe('overlaps');
    expect(sign95(diffCi95([1, 1.1, 0.9], [5, 5.1, 4.9]))).toBe('below');
  });
});
