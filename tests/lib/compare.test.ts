import { describe, expect, it } from 'vitest';
import { compareShown, intervalSide } from '../../src/lib/compare';

describe('compareShown', () => {
  it('orders values as they are shown', () => {
    expect(compareShown(0.872, 0.813, 2)).toBe(1);
    expect(compareShown(0.813, 0.872, 2)).toBe(-1);
    // 0.8712 and 0.8698 both show as 0.87: the page would print a tie, so the word must be the tie word.
    expect(compareShown(0.8712, 0.8698, 2)).toBe(0);
    expect(compareShown(0.8712, 0.8698, 3)).toBe(1);
  });
});

describe('intervalSide', () => {
  it('says where an interval lies against a reference value', () => {
    expect(intervalSide(0.05, 0.2, 0)).toBe('above');
    expect(intervalSide(-0.3, -0.1, 0)).toBe('below');
    expect(intervalSide(-0.04, 0.16, 0)).toBe('contains');
    // Exact, like the experiments' tests: a lower bound of 0.001 excludes 0 even where the page shows 0.0.
    expect(intervalSide(0.001, 0.2, 0)).toBe('above');
    expect(intervalSide(0, 0.2, 0)).toBe('contains');
    expect(intervalSide(0.4, 0.6, 0.5)).toBe('contains');
  });
  it('refuses bounds out of order', () => {
    expect(() => intervalSide(0.3, 0.1, 0)).toThrow(/out of order/);
  });
});
