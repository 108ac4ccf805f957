import type { ChartDef, Row } from './types';
import { loadGenerated } from '~/lib/generated';
import { chartConfig, PALETTE } from './theme';
import { formatNumber } from '~/lib/i18n/t';

interface CostData {
  config: { patch: number; channels: number; window: number; reduction: number };
  rows: { resolution: number; tokens: number; mechanism: string; macs: number; mapElements: number }[];
}

const ORDER = ['global', 'kv-downsampling', 'window', 'conv3x3'];

export const attentionCost: ChartDef<CostData> = {
  id: 'attention-cost/cost-vs-resolution',
  titleKey: 'atlas.chart.attentionCost.title',
  captionKey: 'atlas.chart.attentionCost.caption',
  source: 'scripts/analytic/attention-cost.ts',
  async load() {
    return loadGenerated<CostData>('attention-cost', 'data.json');
  },
  rows(data) {
    return data.rows.map((r) => ({ resolution: r.resolution, tokens: r.tokens, mechanism: r.mechanism, gmacs: r.macs / 1e9 }));
  },
  spec(rows, t) {
    const label = (m: string) => t(`atlas.mechanism.${m}`);
    return {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: t('atlas.chart.attentionCost.title'),
      description: t('atlas.chart.attentionCost.caption'),
      width: 520,
      height: 300,
      config: chartConfig,
      data: { values: rows.map((r: Row) => ({ ...r, label: label(String(r.mechanism)) })) },
      mark: { type: 'line', point: true, tooltip: true },
      encoding: {
        x: { field: 'resolution', type: 'quantitative', title: t('atlas.chart.attentionCost.x'), scale: { type: 'log', nice: false }, axis: { values: [112, 224, 448, 1024] } },
        y: { field: 'gmacs', type: 'quantitative', title: t('atlas.chart.attentionCost.y'), scale: { type: 'log' } },
        color: {
          field: 'label',
          type: 'nominal',
          title: t('atlas.chart.attentionCost.mechanism'),
          sort: ORDER.map(label),
          scale: { domain: ORDER.map(label), range: PALETTE.slice(0, ORDER.length) },
        },
      },
    };
  },
  describe(data, t, lang) {
    const at = (res: number) =>
      ORDER.map((m) => {
        const row = data.rows.find((r) => r.resolution === res && r.mechanism === m)!;
        return `${t(`atlas.mechanism.${m}`)} ${formatNumber(row.macs / 1e9, lang, 2)} GMAC`;
      }).join(lang === 'ja' ? '、' : '; ');
    const lo = Math.min(...data.rows.map((r) => r.resolution));
    const hi = Math.max(...data.rows.map((r) => r.resolution));
    return lang === 'ja' ? `${lo} px では ${at(lo)}。${hi} px では ${at(hi)}。` : `At ${lo} px: ${at(lo)}. At ${hi} px: ${at(hi)}.`;
  },
};
