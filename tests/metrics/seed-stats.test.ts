// Student-t means and Welch intervals against hand-computed values.
import { describe, expect, it } from 'vitest';
import { diffCi95, meanCi95, pairedDiffCi95, sign95, t95, t975, tostPaired } from '../../scripts/lib/metrics/seed-stats';

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

describe('paired differences and equivalence (TOST)', () => {
  it('one-sided 95% quantiles from the table', () => {
    expect(t95(2)).toBeCloseTo(2.92, 3);
    expect(t95(4)).toBeCloseTo(2.132, 3);
    expect(t95(2.5)).toBeCloseTo((2.92 + 2.353) / 2, 3);
    expect(t95(1e6)).toBeCloseTo(1.645, 3);
    expect(t95(0)).toBeNaN();
  });

  it('paired interval of differences [1, 2, 3]: 2 ± 4.303/√3; the Welch interval of the same data is wider', () => {
    const a = [11, 22, 33], b = [10, 20, 30];
    const p = pairedDiffCi95(a, b);
    expect(p.diff).toBe(2);
    expect(p.df).toBe(2);
    expect(p.ci95[0]).toBeCloseTo(2 - 4.303 / Math.sqrt(3), 3);
    expect(p.ci95[1]).toBeCloseTo(2 + 4.303 / Math.sqrt(3), 3);
    // Seeds that move both models together: pairing removes that spread, Welch does not.
    const w = diffCi95(a, b);
    expect(w.ci95[0]).toBeLessThan(p.ci95[0]);
    expect(() => pairedDiffCi95([1, 2], [1])).toThrow(/2 vs 1/);
  });

  it('TOST on differences [1, 2, 3]: 90% interval 2 ± 2.920/√3 = [0.314, 3.686]; equivalent within 4, not within 3.5', () => {
    const a = [1, 2, 3], b = [0, 0, 0];
    const e4 = tostPaired(a, b, 4);
    expect(e4.ci90[0]).toBeCloseTo(2 - 2.92 / Math.sqrt(3), 3);
    expect(e4.ci90[1]).toBeCloseTo(2 + 2.92 / Math.sqrt(3), 3);
    expect(e4.tLower).toBeCloseTo(6 * Math.sqrt(3), 10);
    expect(e4.tUpper).toBeCloseTo(-2 * Math.sqrt(3), 10); // −3.46 < −2.920
    expect(e4.equivalent).toBe(true);
    expect(tostPaired(a, b, 3.5).equivalent).toBe(false); // (2 − 3.5)·√3 = −2.60 > −2.920
    // Symmetric: swapping a and b flips the sign, not the decision.
    expect(tostPaired(b, a, 4).equivalent).toBe(true);
    expect(tostPaired(b, a, 4).diff).toBe(-2);
  });

  it('a mean difference of 0 is not a draw when the seeds disagree: [−3, 0, 3] within 2 is not equivalent', () => {
    const t = tostPaired([-3, 0, 3], [0, 0, 0], 2);
    expect(t.diff).toBe(0);
    expect(t.equivalent).toBe(false);
    expect(tostPaired([-0.1, 0, 0.1], [0, 0, 0], 2).equivalent).toBe(true);
  });

  it('degenerate cases: identical differences reduce to |diff| < margin; one seed is never equivalent', () => {
    expect(tostPaired([1, 1, 1], [0, 0, 0], 1.5).equivalent).toBe(true);
    expect(tostPaired([1, 1, 1], [0, 0, 0], 0.5).equivalent).toBe(false);
    expect(tostPaired([0], [0], 1).equivalent).toBe(false);
    expect(() => tostPaired([0, 1], [0, 1], 0)).toThrow(/margin/);
  });
});
