import { describe, expect, it } from 'vitest';
import { formatNumber } from '../../src/lib/i18n/t';

describe('formatNumber', () => {
  it('groups digits per language and rounds to the requested places', () => {
    expect(formatNumber(60000, 'en', 0)).toBe('60,000');
    expect(formatNumber(60000, 'ja', 0)).toBe('60,000');
    expect(formatNumber(-12.34, 'en', 1)).toBe('-12.3');
  });
  it('prints a negative value that rounds to zero as 0, not -0', () => {
    expect(formatNumber(-0.03, 'en', 1)).toBe('0');
    expect(formatNumber(-0.0004, 'ja', 2)).toBe('0');
  });
});
