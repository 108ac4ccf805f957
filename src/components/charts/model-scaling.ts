/**
 * Per-model complexity against input resolution (one chart per analysed model), compared with
 * ViT-B/16 and ResNet-50: multiply-adds and peak activation memory from the zoo's counting walk.
 */
import type { ChartDef, Row } from './types';
import { chartConfig, PALETTE } from './theme';
import { allAnalyses, analysisForModel, type ModelAnalysis } from '~/lib/models/analysis';
import { formatNumber } from '~/lib/i18n/t';
import { displayNameForSlugs } from '~/lib/models/load';

const REFERENCES = ['vit_base_patch16_224', 'resnet50'];
const METRICS = {
  macs: { key: 'atlas.chart.modelScaling', value: (p: { macs: number }) => p.macs / 1e9 },
  memory: { key: 'atlas.chart.modelMemory', value: (p: { peakActivationBytes: number }) => p.peakActivationBytes / 2 ** 20 },
} as const;
type Metric = keyof typeof METRICS;

type Named = ModelAnalysis & { name: string };

function makeChart(model: string, metric: Metric): ChartDef<Named[]> {
  const m = METRICS[metric];
  return {
    id: `model-${metric === 'macs' ? 'scaling' : 'memory'}/${model}`,
    titleKey: `${m.key}.title`,
    captionKey: `${m.key}.caption`,
    source: 'scripts/run-analyses.ts',
    async load() {
      const own = analysisForModel(model)!;
      const list = [own, ...REFERENCES.filter((r) => r !== model).flatMap((r) => analysisForModel(r) ?? [])];
      // Legends and descriptions show the facts' display names (Swin-T), not registry ids (swin_tiny_patch4_window7_224).
      return Promise.all(list.map(async (a) => ({ ...a, name: await displayNameForSlugs(a.slugs, a.model) })));
    },
    rows(list) {
      return list.flatMap((a) => a.scaling.points.map((p) => ({ model: a.model, name: a.name, resolution: p.resolution, value: m.value(p) })));
    },
    spec(rows, t) {
      const names = [...new Set(rows.map((r: Row) => String(r.name)))];
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
          color: { field: 'name', type: 'nominal', title: t('atlas.list.model'), scale: { domain: names, range: PALETTE.slice(0, names.length) } },
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
            ? `${a.name}：${lo.resolution} px で ${formatNumber(m.value(lo), lang, 2)} ${unit}、${hi.resolution} px で ${formatNumber(m.value(hi), lang, 1)} ${unit}（${formatNumber(growth, lang, 0)} 倍）`
            : `${a.name}: ${formatNumber(m.value(lo), lang, 2)} ${unit} at ${lo.resolution} px, ${formatNumber(m.value(hi), lang, 1)} ${unit} at ${hi.resolution} px (${formatNumber(growth, lang, 0)}×)`;
        })
        .join(lang === 'ja' ? '。' : '; ');
    },
  };
}

/** One macs chart and one memory chart per analysed model. */
export function modelScalingCharts(): ChartDef<Named[]>[] {
  return allAnalyses().flatMap((a) => [makeChart(a.model, 'macs'), makeChart(a.model, 'memory')]);
}
