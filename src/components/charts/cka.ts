/**
 * Charts of the cka experiment (claim C7), from generated/cka/data.json: minibatch linear CKA
 * (unbiased HSIC) between every pair of block outputs, mean over seeds, as heat maps (Raghu et al. 2021,
 * Figs. 1–2). One chart per pair of networks:
 *   resnet-vit      mini-ResNet layers (rows) × mini-ViT layers (columns)
 *   vit-vit         mini-ViT against itself
 *   resnet-hybrid   mini-ResNet × conv-stem hybrid
 *   resnet-vit-init the same pair before training (a control)
 */
import type { ChartDef, Row } from './types';
import { loadGenerated } from '~/lib/generated';
import { chartConfig, MIN_FONT } from './theme';
import { formatNumber, type Lang, type Translate } from '~/lib/i18n/t';

/** Layer ids stay in the data (and the CSV); the axis shows the stem in the page's language (b1, b2… are block numbers). */
const stemLabel = (t: Translate) => `datum.value === 'stem' ? ${JSON.stringify(t('atlas.chart.cka.stem'))} : datum.value`;

export interface CkaData {
  images: number;
  seeds: number;
  shallowViT: number;
  earlyCNN: number;
  nets: Record<string, { model: string; regime: string; labels: string[] }>;
  cells: Array<{ pair: string; rows: string; cols: string; row: string; col: string; i: number; j: number; cka: number; lo: number; hi: number }>;
}

const load = () => loadGenerated<CkaData>('cka', 'data.json');
const fmt = (x: number, lang: Lang, d = 2) => formatNumber(x, lang, d);
const netLabel = (t: Translate, net: string) => t(`atlas.chart.cka.net.${net}`);

function ckaChart(chart: string, pair: string): ChartDef<CkaData> {
  const key = `atlas.chart.cka.${chart}`;
  return {
    id: `cka/${chart}`,
    titleKey: `${key}.title`,
    captionKey: 'atlas.chart.cka.caption',
    source: 'scripts/experiments/cka.ts',
    async load() { return load(); },
    rows(d) {
      return d.cells.filter((c) => c.pair === pair).map((c) => ({ rows: c.rows, cols: c.cols, row: c.row, col: c.col, i: c.i, j: c.j, cka: c.cka, lo: c.lo, hi: c.hi }));
    },
    spec(rows, t) {
      const r0 = rows[0];
      const rowOrder = [...new Map(rows.map((r: Row) => [Number(r.i), String(r.row)])).entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
      const colOrder = [...new Map(rows.map((r: Row) => [Number(r.j), String(r.col)])).entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
      const values = rows.map((r: Row) => ({ ...r, text: Number(r.cka).toFixed(2) }));
      return {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        title: t(`${key}.title`),
        description: t('atlas.chart.cka.caption'),
        width: 34 * colOrder.length,
        height: 34 * rowOrder.length,
        config: { ...chartConfig, view: { stroke: null } },
        data: { values },
        encoding: {
          x: { field: 'col', type: 'ordinal', sort: colOrder, title: r0 ? t('atlas.chart.cka.layersOf', { net: netLabel(t, String(r0.cols)) }) : '', axis: { labelAngle: 0, labelExpr: stemLabel(t) } },
          // Depth grows upwards, as in Raghu et al.'s figures.
          y: { field: 'row', type: 'ordinal', sort: [...rowOrder].reverse(), title: r0 ? t('atlas.chart.cka.layersOf', { net: netLabel(t, String(r0.rows)) }) : '', axis: { labelExpr: stemLabel(t) } },
        },
        layer: [
          { mark: { type: 'rect', tooltip: true }, encoding: { color: { field: 'cka', type: 'quantitative', title: 'CKA', scale: { scheme: 'magma', domain: [0, 1] } } } },
          { mark: { type: 'text', fontSize: MIN_FONT }, encoding: { text: { field: 'text' }, color: { condition: { test: 'datum.cka > 0.6', value: 'black' }, value: 'white' } } },
        ],
      } as never;
    },
    describe(d, t, lang) {
      const cs = d.cells.filter((c) => c.pair === pair);
      if (!cs.length) return '';
      const c0 = cs[0]!;
      const cols = [...new Set(cs.map((c) => c.col))];
      const best = cols.map((col) => cs.filter((c) => c.col === col).reduce((a, b) => (b.cka > a.cka ? b : a)));
      const list = best.map((b) => (lang === 'ja' ? `${b.col} → ${b.row}（${fmt(b.cka, lang)}）` : `${b.col} → ${b.row} (${fmt(b.cka, lang)})`)).join(lang === 'ja' ? '、' : ', ');
      return lang === 'ja'
        ? `${netLabel(t, c0.cols)}の各層に最も似ている${netLabel(t, c0.rows)}の層と、その CKA: ${list}。${d.images} 枚のテスト画像、${d.seeds} シードの平均。`
        : `For each layer of the ${netLabel(t, c0.cols)}, the most similar layer of the ${netLabel(t, c0.rows)} and its CKA: ${list}. ${d.images} test images, mean of ${d.seeds} seeds.`;
    },
  };
}

export const ckaResnetVit = ckaChart('resnet-vit', 'cnn|vit');
export const ckaVitVit = ckaChart('vit-vit', 'vit|vit');
export const ckaResnetHybrid = ckaChart('resnet-hybrid', 'cnn|hybrid');
export const ckaResnetVitInit = ckaChart('resnet-vit-init', 'cnnInit|vitInit');
