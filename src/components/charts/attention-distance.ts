/**
 * Charts of the attention-distance experiment (claim C5), from generated/attention-distance/data.json
 * (written by the experiment's summarize()):
 *   by-depth      mean attention distance of every head against its layer, one dot per head and seed
 *                 (Dosovitskiy et al. 2021, Fig. 7 right; Raghu et al. 2021, Figs. 3–4);
 *   class-token   the same for the class token's query: distance of what it reads from the image centre.
 */
import type { ChartDef, Row } from './types';
import { loadGenerated } from '~/lib/generated';
import { chartConfig, PALETTE, INK, FAINT, MIN_FONT } from './theme';
import { formatNumber, type Lang, type Translate } from '~/lib/i18n/t';

export interface AttentionDistanceData {
  uniformDistance: number;
  localFraction: number;
  shallowLayers: number;
  rows: Array<{ series: string; model: string; regime: string; seed: number; layer: number; head: number; distance: number; clsQuery: number; clsKeyMass: number }>;
}

/** Series in a fixed order and colour (shared with the receptive-field and cka charts); the untrained controls come last so the others keep their colours. */
export const SERIES_ORDER = ['resnet-full', 'vit-small', 'vit-full', 'hybrid-full', 'swin-full', 'vit-init', 'resnet-init', 'hybrid-init'];
export const seriesLabel = (t: Translate, s: string) => t(`atlas.repr.series.${s}`);
export function seriesColour(t: Translate, present: string[]) {
  const ss = SERIES_ORDER.filter((s) => present.includes(s));
  return { domain: ss.map((s) => seriesLabel(t, s)), range: ss.map((s) => PALETTE[SERIES_ORDER.indexOf(s) % PALETTE.length]!) };
}

const load = () => loadGenerated<AttentionDistanceData>('attention-distance', 'data.json');
const fmt = (x: number, lang: Lang, d = 1) => formatNumber(x, lang, d);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function dotSpec(rows: Row[], t: Translate, field: 'distance' | 'clsQuery', key: string, rules: Array<{ y: number; label: string; dash: number[] }>) {
  const present = [...new Set(rows.map((r) => String(r.series)))];
  const colour = seriesColour(t, present);
  const values = rows.map((r) => ({ ...r, label: seriesLabel(t, String(r.series)) }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: t(`${key}.title`),
    description: t(`${key}.caption`),
    width: 520,
    height: 300,
    config: chartConfig,
    layer: [
      {
        data: { values },
        mark: { type: 'point', filled: true, size: 36, opacity: 0.75, tooltip: true },
        encoding: {
          x: { field: 'layer', type: 'ordinal', title: t(`${key}.x`), axis: { labelAngle: 0 } },
          xOffset: { field: 'label', type: 'nominal', sort: colour.domain, scale: { domain: colour.domain } },
          y: { field, type: 'quantitative', title: t(`${key}.y`), scale: { zero: true } },
          color: { field: 'label', type: 'nominal', title: t('atlas.repr.series.title'), scale: colour, sort: colour.domain },
        },
      },
      ...rules.map((r) => ({
        data: { values: [{ y: r.y, text: r.label }] },
        layer: [
          { mark: { type: 'rule', color: INK, opacity: FAINT, strokeDash: r.dash }, encoding: { y: { field: 'y', type: 'quantitative' } } },
          { mark: { type: 'text', align: 'right', baseline: 'bottom', dx: -2, dy: -2, color: INK, fontSize: MIN_FONT }, encoding: { y: { field: 'y', type: 'quantitative' }, x: { value: 520 }, text: { field: 'text' } } },
        ],
      })),
    ],
  } as never;
}

export const attentionDistanceByDepth: ChartDef<AttentionDistanceData> = {
  id: 'attention-distance/by-depth',
  titleKey: 'atlas.chart.attnDist.title',
  captionKey: 'atlas.chart.attnDist.caption',
  source: 'scripts/experiments/attention-distance.ts',
  async load() { return load(); },
  // The reference distances ride along in every row (and so in the CSV) for the rules.
  rows(d) {
    const uniformPx = d.uniformDistance, localPx = d.localFraction * d.uniformDistance;
    return d.rows.map((r) => ({ series: r.series, seed: r.seed, layer: r.layer, head: r.head, distance: r.distance, uniformPx, localPx }));
  },
  spec(rows, t) {
    const r0 = rows[0];
    const rules = r0
      ? [
          { y: Number(r0.uniformPx), label: t('atlas.chart.attnDist.uniform'), dash: [4, 3] },
          { y: Number(r0.localPx), label: t('atlas.chart.attnDist.local'), dash: [1, 3] },
        ]
      : [];
    return dotSpec(rows, t, 'distance', 'atlas.chart.attnDist', rules);
  },
  describe(d, t, lang) {
    const sep = lang === 'ja' ? '、' : '; ';
    const series = SERIES_ORDER.filter((s) => d.rows.some((r) => r.series === s));
    const parts = series.map((s) => {
      const rs = d.rows.filter((r) => r.series === s);
      const layers = [...new Set(rs.map((r) => r.layer))].sort((a, b) => a - b);
      const first = rs.filter((r) => r.layer === layers[0]).map((r) => r.distance);
      const last = rs.filter((r) => r.layer === layers.at(-1)).map((r) => r.distance);
      return lang === 'ja'
        ? `${seriesLabel(t, s)}: 第 1 層のヘッドは ${fmt(Math.min(...first), lang)}〜${fmt(Math.max(...first), lang)} px、最終層は平均 ${fmt(mean(last), lang)} px`
        : `${seriesLabel(t, s)}: layer-1 heads span ${fmt(Math.min(...first), lang)}–${fmt(Math.max(...first), lang)} px, last layer mean ${fmt(mean(last), lang)} px`;
    });
    return lang === 'ja'
      ? `一様な注意なら ${fmt(d.uniformDistance, lang)} px、局所的とみなす閾値は ${fmt(d.localFraction * d.uniformDistance, lang)} px。${parts.join(sep)}。`
      : `Uniform attention gives ${fmt(d.uniformDistance, lang)} px; the local threshold is ${fmt(d.localFraction * d.uniformDistance, lang)} px. ${parts.join(sep)}.`;
  },
};

export const attentionDistanceClassToken: ChartDef<AttentionDistanceData> = {
  id: 'attention-distance/class-token',
  titleKey: 'atlas.chart.attnCls.title',
  captionKey: 'atlas.chart.attnCls.caption',
  source: 'scripts/experiments/attention-distance.ts',
  async load() { return load(); },
  rows(d) { return d.rows.map((r) => ({ series: r.series, seed: r.seed, layer: r.layer, head: r.head, clsQuery: r.clsQuery, clsKeyMassPct: Math.round(1000 * r.clsKeyMass) / 10 })); },
  spec(rows, t) { return dotSpec(rows, t, 'clsQuery', 'atlas.chart.attnCls', []); },
  describe(d, t, lang) {
    const sep = lang === 'ja' ? '、' : '; ';
    const parts = SERIES_ORDER.filter((s) => d.rows.some((r) => r.series === s)).map((s) => {
      const rs = d.rows.filter((r) => r.series === s);
      return lang === 'ja'
        ? `${seriesLabel(t, s)}: 平均 ${fmt(mean(rs.map((r) => r.clsQuery)), lang)} px、パッチのクエリがクラストークンに向ける注意は平均 ${fmt(100 * mean(rs.map((r) => r.clsKeyMass)), lang)}%`
        : `${seriesLabel(t, s)}: mean ${fmt(mean(rs.map((r) => r.clsQuery)), lang)} px; patch queries give the class token ${fmt(100 * mean(rs.map((r) => r.clsKeyMass)), lang)}% of their attention on average`;
    });
    return `${parts.join(sep)}${lang === 'ja' ? '。' : '.'}`;
  },
};
