import { describe, expect, it } from 'vitest';
import { joinCjkLines } from '../../src/lib/cjk-linebreak.mjs';

describe('CJK soft line breaks', () => {
  it('joins lines that end or start with Japanese', () => {
    expect(joinCjkLines('あります。\nたとえば')).toBe('あります。たとえば');
    expect(joinCjkLines('パッチの\nTransformer')).toBe('パッチのTransformer');
    expect(joinCjkLines('Swin\nは')).toBe('Swinは');
  });

  it('keeps line breaks between Latin words', () => {
    expect(joinCjkLines('window\nattention')).toBe('window\nattention');
  });
});
