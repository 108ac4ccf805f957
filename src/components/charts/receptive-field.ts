/**
 * Charts of the receptive-field experiment (claim C5), from generated/receptive-field/data.json:
 *   radius   radius holding 50% and 90% of the input-gradient mass against block, per model;
 *   maps     effective receptive fields as heat maps (Luo et al. 2016; Raghu et al. 2021, Fig. 6):
 *            after the first, a middle and the last block, one row per model, mean over seeds.
 */
import type { ChartDef, Row } from './types';
import { loadGenerated } from '~/lib/generated';
import { chartConfig, INK } from './theme';
import { formatNumber, type Lang } from '~/lib/i18n/t';
import { SERIES_ORDER, seriesColour, seriesLabel } from './attention-distance';

export interface ReceptiveFieldData {
  size: [number, number];
  fractions: number[];
  radii: Array<{ series: string; layer: string; depth: number; relDepth: number; r50: number; r50lo: number; r50hi: number; r90: number; r90lo: number; r90hi: number; seeds: number }>;
  maps: Array<{ series: string; layer: string; depth: number; map: number[] }>;
}

const load = () => loadGenerated<ReceptiveFieldData>('receptive-field', 'data.json');
const fmt = (x: number, lang: Lang, d = 1) => formatNumber(x, lang, d);
/** The heat maps: the two judged families trained and untrained, and the trained hybrid (the rest is in the radius chart), so five rows stay readable. */
const MAP_SERIES = ['resnet-full', 'resnet-init', 'vit-full', 'vit-init', 'hybrid-full'];

export const receptiveFieldRadius: ChartDef<ReceptiveFieldData> = {
  id: 'receptive-field/radius',
  titleKey: 'atlas.chart.erfRadius.title',
  captionKey: 'atlas.chart.erfRadius.caption',
  source: 'scripts/experiments/receptive-field.ts',
  async load() { return load(); },
  rows(d) {
    return d.radii.flatMap((r) => [
      // A radius is never negative: the t-interval of 3 seeds is clipped at 0 px.
      { series: r.series, layer: r.layer, block: r.depth, share: '50%', radius: r.r50, lo: Math.max(0, r.r50lo), hi: r.r50hi, seeds: r.seeds },
      { series: r.series, layer: r.layer, block: r.depth, share: '90%', radius: r.r90, lo: Math.max(0, r.r90lo), hi: r.r90hi, seeds: r.seeds },
    ]);
  },
  spec(rows, t) {
    const present = [...new Set(rows.map((r) => String(r.series)))];
    const colour = seriesColour(t, present);
    const values = rows.map((r: Row) => ({ ...r, label: seriesLabel(t, String(r.series)), shareLabel: t(`atlas.chart.erfRadius.share${String(r.share).replace('%', '')}`) }));
    const base = {
      x: { field: 'block', type: 'quantitative', title: t('atlas.chart.erfRadius.x'), axis: { tickMinStep: 1, format: 'd' } },
      color: { field: 'label', type: 'nominal', title: t('atlas.repr.series.title'), scale: colour, sort: colour.domain },
    };
    const dash = { field: 'shareLabel', type: 'nominal', title: t('atlas.chart.erfRadius.share'), sort: [t('atlas.chart.erfRadius.share90'), t('atlas.chart.erfRadius.share50')], legend: { symbolStrokeColor: INK } };
    return {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: t('atlas.chart.erfRadius.title'),
      description: t('atlas.chart.erfRadius.caption'),
      width: 500,
      height: 300,
      config: chartConfig,
      data: { values },
      layer: [
        // 95% interval over seeds: a plain rule from lo to hi (no aggregation).
        { mark: { type: 'rule', opacity: 0.35, strokeWidth: 2 }, encoding: { ...base, detail: { field: 'shareLabel' }, y: { field: 'lo', type: 'quantitative', title: t('atlas.chart.erfRadius.y') }, y2: { field: 'hi' } } },
        { mark: { type: 'line' }, encoding: { ...base, strokeDash: dash, y: { field: 'radius', type: 'quantitative', title: t('atlas.chart.erfRadius.y'), scale: { zero: true } } } },
        { mark: { type: 'point', filled: true, size: 30, tooltip: true }, encoding: { ...base, detail: { field: 'shareLabel' }, y: { field: 'radius', type: 'quantitative' } } },
      ],
    } as never;
  },
  describe(d, t, lang) {
    const sep = lang === 'ja' ? '、' : '; ';
    const parts = SERIES_ORDER.filter((s) => d.radii.some((r) => r.series === s)).map((s) => {
      const rs = d.radii.filter((r) => r.series === s && r.layer !== 'stem');
      const a = rs[0]!, b = rs.at(-1)!;
      return lang === 'ja'
        ? `${seriesLabel(t, s)}: 90% 半径は最初のブロックで ${fmt(a.r90, lang)} px、最後のブロックで ${fmt(b.r90, lang)} px（50% 半径は ${fmt(a.r50, lang)} px → ${fmt(b.r50, lang)} px）`
        : `${seriesLabel(t, s)}: 90% radius ${fmt(a.r90, lang)} px after the first block, ${fmt(b.r90, lang)} px after the last (50% radius ${fmt(a.r50, lang)} → ${fmt(b.r50, lang)} px)`;
    });
    return `${parts.join(sep)}${lang === 'ja' ? '。' : '.'}`;
  },
};

/** The three columns of the heat-map chart: first block, middle block, last block. */
function pickLayers(layers: string[]): string[] {
  const blocks = layers.filter((l) => l !== 'stem');
  return [...new Set([blocks[0]!, blocks[Math.floor((blocks.length - 1) / 2)]!, blocks.at(-1)!])];
}

export const receptiveFieldMaps: ChartDef<ReceptiveFieldData> = {
  id: 'receptive-field/maps',
  titleKey: 'atlas.chart.erfMaps.title',
  captionKey: 'atlas.chart.erfMaps.caption',
  source: 'scripts/experiments/receptive-field.ts',
  async load() { return load(); },
  // Drawn at half resolution (2×2 px cells, the mean of the four): 12 maps of 28×28 rects would
  // make a megabyte of SVG. The data file keeps the full 28×28 maps.
  rows(d) {
    const [H, W] = d.size;
    return MAP_SERIES.filter((s) => d.maps.some((m) => m.series === s)).flatMap((s) => {
      const ms = d.maps.filter((m) => m.series === s);
      const keep = pickLayers(ms.map((m) => m.layer));
      return ms.filter((m) => keep.includes(m.layer)).flatMap((m) => {
        const col = keep.indexOf(m.layer) === 0 ? 'first' : keep.indexOf(m.layer) === keep.length - 1 ? 'last' : 'middle';
        const cells: Array<{ series: string; layer: string; column: string; y: number; x: number; value: number }> = [];
        for (let y = 0; y < H; y += 2) {
          for (let x = 0; x < W; x += 2) {
            const v = (m.map[y * W + x]! + m.map[y * W + x + 1]! + m.map[(y + 1) * W + x]! + m.map[(y + 1) * W + x + 1]!) / 4;
            cells.push({ series: s, layer: m.layer, column: col, y, x, value: Math.round(v * 1000) / 1000 });
          }
        }
        return cells;
      });
    });
  },
  spec(rows, t) {
    const seriesOrder = MAP_SERIES.map((s) => seriesLabel(t, s));
    const cols = ['first', 'middle', 'last'].map((c) => t(`atlas.chart.erfMaps.${c}`));
    const values = rows.map((r: Row) => ({ ...r, label: seriesLabel(t, String(r.series)), col: t(`atlas.chart.erfMaps.${String(r.column)}`) }));
    return {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: t('atlas.chart.erfMaps.title'),
      description: t('atlas.chart.erfMaps.caption'),
      config: { ...chartConfig, view: { stroke: null }, axis: { ...chartConfig.axis, domain: false, ticks: false, labels: false, title: null, grid: false } },
      data: { values },
      facet: {
        row: { field: 'label', type: 'nominal', sort: seriesOrder, title: null, header: { labelAngle: 0, labelAlign: 'left', labelLimit: 240 } },
        column: { field: 'col', type: 'nominal', sort: cols, title: null },
      },
      spec: {
        width: 104,
        height: 104,
        mark: { type: 'rect', tooltip: false },
        encoding: {
          x: { field: 'x', type: 'ordinal', axis: null },
          y: { field: 'y', type: 'ordinal', axis: null },
          color: { field: 'value', type: 'quantitative', title: t('atlas.chart.erfMaps.color'), scale: { scheme: 'viridis', type: 'sqrt', domain: [0, 1], clamp: true } },
        },
      },
      resolve: { scale: { color: 'shared' } },
    } as never;
  },
  describe(d, t, lang) {
    const sep = lang === 'ja' ? '、' : '; ';
    const parts = MAP_SERIES.filter((s) => d.radii.some((r) => r.series === s)).map((s) => {
      const rs = d.radii.filter((r) => r.series === s && r.layer !== 'stem');
      const keep = pickLayers(rs.map((r) => r.layer));
      const at = keep.map((l) => rs.find((r) => r.layer === l)!).map((r) => `${r.layer} ${fmt(r.r90, lang)} px`).join(lang === 'ja' ? '、' : ', ');
      return `${seriesLabel(t, s)}${lang === 'ja' ? '（90% 半径）: ' : ' (90% radius): '}${at}`;
    });
    return `${parts.join(sep)}${lang === 'ja' ? '。' : '.'}`;
  },
};
