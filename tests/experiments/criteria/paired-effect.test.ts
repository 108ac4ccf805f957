import { describe, expect, it } from 'vitest';
import { pairedEffect } from '../../../scripts/experiments/criteria/paired-effect';

describe('criteria/paired-effect', () => {
  it('mean and t interval over seeds, known values', () => {
    // [1, 2, 3]: mean 2, sd 1, half-width t₀.₉₇₅(2)/√3 = 4.303/√3.
    const e = pairedEffect([1, 2, 3], 0);
    expect(e.mean).toBe(2);
    expect(e.ci95[0]).toBeCloseTo(2 - 4.303 / Math.sqrt(3), 10);
    expect(e.direction).toBe('none'); // the interval reaches below 0
  });
  it('found, opposite and none depend on the interval and on the margin', () => {
    expect(pairedEffect([2, 2.1, 1.9], 1).direction).toBe('found');
    expect(pairedEffect([2, 2.1, 1.9], 3).direction).toBe('none');
    expect(pairedEffect([-2, -2.1, -1.9], 1).direction).toBe('opposite');
    expect(pairedEffect([2], 1).direction).toBe('none'); // one seed has no interval
    expect(() => pairedEffect([1, 2], -1)).toThrow();
  });
});
