/**
 * Text width for vega's SVG renderer without canvas. vega's fallback estimates 0.8 em per
 * character, which is too narrow for Japanese (a kana or kanji is a full em) and truncates or
 * overlaps CJK axis titles and legends. We count wide characters as 1 em, others as 0.6 em.
 */
const WIDE = /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/u;

export function isWide(ch: string): boolean {
  return WIDE.test(ch);
}

export function estimateTextWidth(text: string, fontSize: number): number {
  let em = 0;
  for (const ch of text) em += isWide(ch) ? 1 : 0.6;
  return Math.ceil(em * fontSize);
}
