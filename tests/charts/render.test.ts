import { describe, expect, it } from 'vitest';
import { estimateTextWidth, isWide } from '../../src/components/charts/text-width';
import { renderSvg } from '../../src/components/charts/render-svg';
import { attentionCost } from '../../src/components/charts/attention-cost';
import { toCsv } from '../../src/components/charts/csv';
import { makeT } from '../../src/lib/i18n/t';
import { frontier } from '../../src/components/charts/frontier';

describe('CJK text width', () => {
  it('counts kana and kanji as one em and Latin as 0.6 em', () => {
    expect(isWide('注')).toBe(true);
    expect(isWide('ア')).toBe(true);
    expect(isWide('a')).toBe(false);
    expect(estimateTextWidth('自己注意', 10)).toBe(40);
    expect(estimateTextWidth('attn', 10)).toBe(24);
  });

  it('is wider than vega’s 0.8 em estimate for Japanese', () => {
    const label = '入力解像度（px）';
    expect(estimateTextWidth(label, 12)).toBeGreaterThan(0.8 * label.length * 12);
  });
});

describe('chart rendering', () => {
  it('renders the attention-cost chart to SVG in both languages with localized text', async () => {
    const data = await attentionCost.load();
    const rows = attentionCost.rows(data);
    for (const [lang, title] of [['en', 'Input resolution'], ['ja', '入力解像度']] as const) {
      const svg = await renderSvg(attentionCost.spec(rows, makeT(lang), lang));
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg).toContain(title);
      expect(svg).toContain(lang === 'ja' ? 'ウィンドウ注意' : 'window attention');
    }
  });

  it('gives Japanese legend labels room: the ja SVG is not narrower than the en one', async () => {
    const data = await attentionCost.load();
    const rows = attentionCost.rows(data);
    const width = (svg: string) => Number(/width="(\d+)"/.exec(svg)![1]);
    const en = await renderSvg(attentionCost.spec(rows, makeT('en'), 'en'));
    const ja = await renderSvg(attentionCost.spec(rows, makeT('ja'), 'ja'));
    expect(width(ja)).toBeGreaterThan(0);
    expect(width(ja)).toBeGreaterThanOrEqual(width(en) - 40);
  });

  it('reports a malformed spec with its title', async () => {
    await expect(renderSvg({ title: 'broken', mark: 'nope' } as never)).rejects.toThrow(/broken/);
  });

  it('describes the chart in prose with the numbers it shows', async () => {
    const data = await attentionCost.load();
    const text = attentionCost.describe(data, makeT('en'), 'en');
    const global1024 = data.rows.find((r) => r.resolution === 1024 && r.mechanism === 'global')!.macs / 1e9;
    expect(text).toContain(global1024.toFixed(2));
  });
});

describe('CSV download', () => {
  it('quotes cells with commas and quotes', () => {
    expect(toCsv([{ a: 1, b: 'x, "y"' }])).toBe('a,b\n1,"x, ""y"""\n');
  });
});

describe('accuracy/compute frontier', () => {
  it('keeps points no other point dominates', () => {
    const pts = [
      { gmacs: 1, top1: 70 }, // cheapest
      { gmacs: 2, top1: 75 }, // better for more compute
      { gmacs: 3, top1: 74 }, // dominated by the second
      { gmacs: 4, top1: 80 }, // best
      { gmacs: 4, top1: 80 }, // tie: neither dominates the other
    ];
    expect(frontier(pts)).toEqual([true, true, false, true, true]);
  });
});
