/**
 * Per-model complexity against input resolution (one chart per analysed model), compared with
 * ViT-B/16 and ResNet-50: multiply-adds and peak activation memory from the zoo's counting walk.
 */
import type { ChartDef, Row } from './types';
import { chartConfig, PALETTE } from './theme';
import { allAnalyses, analysisForModel, type ModelAnalysis } from '~/lib/models/analysis';
import { formatNumber } from '~/lib/i18n/t';

const REFERENCES = ['vit_base_patch16_224', 'resnet50'];
const METRICS = {
  macs: { key: 'atlas.chart.modelScaling', value: (p: { macs: number }) => p.macs / 1e9 },
  memory: { key: 'atlas.chart.modelMemory', value: (p: { peakActivationBytes: number }) => p.peakActivationBytes / 2 ** 20 },
} as const;
type Metric = keyof typeof METRICS;

function makeChart(model: string, metric: Metric): ChartDef<ModelAnalysis[]> {
  const m = METRICS[metric];
  return {
    id: `model-${metric === 'macs' ? 'scaling' : 'memory'}/${model}`,
    titleKey: `${m.key}.title`,
    captionKey: `${m.key}.caption`,
    source: 'scripts/run-analyses.ts',
    async load() {
      const own = analysisForModel(model)!;
      return [own, ...REFERENCES.filter((r) => r !== model).flatMap((r) => analysisForModel(r) ?? [])];
    },
    rows(list) {
      return list.flatMap((a) => a.scaling.points.map((p) => ({ model: a.model, resolution: p.resolution, value: m.value(p) })));
    },
    spec(rows, t) {
      const models = [...new Set(rows.map((r: Row) => String(r.model)))];
      return {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        title: t(`${m.key}.title`),
        description: t(`${m.key}.caption`),
        width: 520,
        height: 280,
        config: chartConfig,
        data: { values: rows },
        mark: { type: 'line', point: true, tooltip: true },
        encoding: {
          x: { field: 'resolution', type: 'quantitative', title: t('atlas.chart.attentionCost.x'), scale: { type: 'log', nice: false }, axis: { values: [112, 224, 448, 1024] } },
          y: { field: 'value', type: 'quantitative', title: t(`${m.key}.y`), scale: { type: 'log' } },
          color: { field: 'model', type: 'nominal', title: t('atlas.list.model'), scale: { domain: models, range: PALETTE.slice(0, models.length) } },
          strokeDash: { condition: { test: `datum.model === '${model}'`, value: [1, 0] }, value: [4, 3] },
        },
      };
    },
    describe(list, t, lang) {
      const unit = metric === 'macs' ? 'GMACs' : 'MiB';
      return list
        .map((a) => {
          const pts = a.scaling.points;
          const lo = pts[0]!;
          const hi = pts[pts.length - 1]!;
          const growth = m.value(hi) / m.value(lo);
          return lang === 'ja'
            ? `${a.model}: ${lo.resolution} px で ${formatNumber(m.value(lo), lang, 2)} ${unit}、${hi.resolution} px で ${formatNumber(m.value(hi), lang, 1)} ${unit}（${formatNumber(growth, lang, 0)} 倍）`
            : `${a.model}: ${formatNumber(m.value(lo), lang, 2)} ${unit} at ${lo.resolution} px, ${formatNumber(m.value(hi), lang, 1)} ${unit} at ${hi.resolution} px (${formatNumber(growth, lang, 0)}×)`;
        })
        .join(lang === 'ja' ? '。' : '; ');
    },
  };
}

/** One macs chart and one memory chart per analysed model. */
export function modelScalingCharts(): ChartDef<ModelAnalysis[]>[] {
  return allAnalyses().flatMap((a) => [makeChart(a.model, 'macs'), makeChart(a.model, 'memory')]);
}
