/**
 * Charts of the shape-bias experiment (claim C1), from generated/shape-bias/summary.json
 * (written by `summarize` in scripts/experiments/shape-bias.ts), one pair per part:
 *   bias-by-model / bias-synthetic   shape bias per model (mean over seeds, 95% interval), the untrained
 *                                    control beside it, and the published marks;
 *   probes / probes-synthetic        accuracy on single-cue probes: silhouettes (shape only) and textures.
 * The first of each pair is the Fashion-MNIST cue conflict on the model pool, the second the synthetic
 * shapes × textures.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ChartDef, Row } from './types';
import { loadGenerated } from '~/lib/generated';
import { chartConfig, INK, FAINT, MIN_FONT } from './theme';
import { formatNumber, type Lang, type Translate } from '~/lib/i18n/t';
import { modelColour, modelLabel, MODEL_ORDER, type Ci } from './minis';

type Part = 'fmnist' | 'synthetic';
interface PartData {
  /** 1 / number of classes. */
  chance: number;
  models: Array<{
    model: string; short: string; kind: string; params: number; seeds: number;
    shapeBias: Ci; initShapeBias: Ci; shapeProbe: Ci; textureProbe: Ci; shapeFraction: Ci; textureFraction: Ci; consistentAccuracy: Ci; steps: Ci;
  }>;
}
export interface ShapeBiasData {
  complete: boolean;
  references: Array<{ key: string; who: 'human' | 'resnet50' | 'vit_b16'; value: number; source: string }>;
  parts: Record<Part, PartData>;
}

const load = () => loadGenerated<ShapeBiasData>('shape-bias', 'summary.json');
const f2 = (x: number, lang: Lang) => formatNumber(x, lang, 2);
const pct = (x: number, lang: Lang) => formatNumber(100 * x, lang, 0);
const order = (d: PartData) => MODEL_ORDER.filter((m) => d.models.some((x) => x.model === m));
const refLabel = (t: Translate, who: string) => t(`atlas.chart.shapeBias.ref.${who}`);

function biasChart(part: Part, id: string, titleKey: string, captionKey: string): ChartDef<ShapeBiasData> {
  return {
  id, titleKey, captionKey,
  source: 'scripts/experiments/shape-bias.ts',
  async load() { return load(); },
  rows(d) {
    // Our models (trained, and the untrained control), then the published marks (series 'paper'), so the CSV carries all, labelled.
    return [
      ...d.parts[part].models.map((m) => ({ series: 'ours', model: m.model, shapeBias: m.shapeBias.mean, lo: m.shapeBias.lo, hi: m.shapeBias.hi, untrained: m.initShapeBias.mean, seeds: m.seeds, source: 'scripts/experiments/shape-bias.ts' })),
      ...d.references.map((r) => ({ series: 'paper', model: r.who, shapeBias: r.value, lo: null, hi: null, untrained: null, seeds: null, source: r.source })),
    ];
  },
  spec(rows, t, lang) {
    const ours = rows.filter((r) => r.series === 'ours');
    const models = ours.map((r) => String(r.model));
    const sorted = MODEL_ORDER.filter((m) => models.includes(m)).map((m) => modelLabel(t, m));
    // Intervals are drawn clipped to the axis (a t-interval over 3 seeds can cross 0 or 1); rows() keeps them as computed.
    const values = ours.map((r: Row) => ({ ...r, label: modelLabel(t, String(r.model)), loShown: Math.max(0, Number(r.lo)), hiShown: Math.min(1, Number(r.hi)) }));
    const refs = rows.filter((r) => r.series === 'paper').map((r) => ({ x: Number(r.shapeBias), label: `${refLabel(t, String(r.model))} ${f2(Number(r.shapeBias), lang)}` }));
    const y = { field: 'label', type: 'nominal' as const, title: null, sort: sorted, axis: { labelLimit: 240 } };
    const x = { type: 'quantitative' as const, title: t('atlas.chart.shapeBias.x'), scale: { domain: [0, 1] } };
    const colour = { field: 'label', type: 'nominal' as const, scale: modelColour(t, models), legend: null };
    return ({
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: t(titleKey),
      description: t(captionKey),
      config: chartConfig,
      width: 340,
      height: { step: 34 },
      layer: [
        { data: { values: [{ x: 0.5 }] }, mark: { type: 'rule', strokeDash: [2, 2], color: INK, opacity: FAINT }, encoding: { x: { field: 'x', ...x } } },
        ...(refs.length ? [
          { data: { values: refs }, mark: { type: 'rule', color: INK, opacity: FAINT }, encoding: { x: { field: 'x', ...x } } },
          // One line per published mark, stacked above the plot, so close values do not print over each other.
          ...refs.map((ref, i) => ({ data: { values: [ref] }, mark: { type: 'text', align: 'left', dx: 3, dy: -3 - 14 * (refs.length - 1 - i), baseline: 'bottom', fontSize: MIN_FONT, color: INK }, encoding: { x: { field: 'x', ...x }, y: { value: 0 }, text: { field: 'label' } } })),
        ] : []),
        { data: { values }, mark: { type: 'errorbar', ticks: true }, encoding: { y, x: { field: 'loShown', ...x }, x2: { field: 'hiShown' }, color: colour } },
        // The untrained control of the same architecture and seeds: a hollow mark.
        { data: { values: values.filter((v) => Number.isFinite(Number((v as Row).untrained))) }, mark: { type: 'point', filled: false, size: 70, strokeWidth: 1.5, tooltip: true }, encoding: { y, x: { field: 'untrained', ...x }, color: colour } },
        { data: { values }, mark: { type: 'point', filled: true, size: 80, tooltip: true }, encoding: { y, x: { field: 'shapeBias', ...x }, color: colour } },
      ],
    }) as unknown as TopLevelSpec;
  },
  describe(data, t, lang) {
    const d = data.parts[part];
    const parts = order(d).map((m) => {
      const r = d.models.find((x) => x.model === m)!;
      return lang === 'ja'
        ? `${modelLabel(t, m)} ${f2(r.shapeBias.mean, lang)}（95% 区間 ${f2(r.shapeBias.lo, lang)}〜${f2(r.shapeBias.hi, lang)}、学習前 ${f2(r.initShapeBias.mean, lang)}、${r.seeds} シード）`
        : `${modelLabel(t, m)} ${f2(r.shapeBias.mean, lang)} (95% interval ${f2(r.shapeBias.lo, lang)} to ${f2(r.shapeBias.hi, lang)}; untrained ${f2(r.initShapeBias.mean, lang)}; ${r.seeds} seeds)`;
    });
    const refs0 = data.references;
    const refs = refs0.map((r) => `${refLabel(t, r.who)} ${f2(r.value, lang)}`).join(lang === 'ja' ? '、' : ', ');
    const tail = refs ? (lang === 'ja' ? `論文の値：${refs}（ImageNet 規模のモデルと人間、16 クラスの画像）。` : ` Published marks: ${refs} (ImageNet-scale models and people, 16-class images).`) : '';
    return lang === 'ja'
      ? `形状バイアス（0 = 常にテクスチャ、1 = 常に形状）：${parts.join('、')}。${tail}`
      : `Shape bias (0 = always texture, 1 = always shape): ${parts.join('; ')}.${tail}`;
  },
  };
}
export const shapeBiasByModel = biasChart('fmnist', 'shape-bias/bias-by-model', 'atlas.chart.shapeBias.title', 'atlas.chart.shapeBias.caption');
export const shapeBiasSynthetic = biasChart('synthetic', 'shape-bias/bias-synthetic', 'atlas.chart.shapeBiasSynth.title', 'atlas.chart.shapeBiasSynth.caption');

function probesChart(part: Part, id: string, titleKey: string, captionKey: string): ChartDef<ShapeBiasData> {
  return {
  id, titleKey, captionKey,
  source: 'scripts/experiments/shape-bias.ts',
  async load() { return load(); },
  rows(d) {
    return d.parts[part].models.flatMap((m) => [
      { model: m.model, probe: 'shape', accPct: 100 * m.shapeProbe.mean, loPct: 100 * m.shapeProbe.lo, hiPct: 100 * m.shapeProbe.hi, seeds: m.seeds },
      { model: m.model, probe: 'texture', accPct: 100 * m.textureProbe.mean, loPct: 100 * m.textureProbe.lo, hiPct: 100 * m.textureProbe.hi, seeds: m.seeds, chancePct: 100 * d.parts[part].chance },
    ]).map((r) => ({ chancePct: 100 * d.parts[part].chance, ...r }));
  },
  spec(rows, t) {
    const models = [...new Set(rows.map((r) => String(r.model)))];
    const sorted = MODEL_ORDER.filter((m) => models.includes(m)).map((m) => modelLabel(t, m));
    const values = rows.map((r: Row) => ({ ...r, label: modelLabel(t, String(r.model)), probeLabel: t(`atlas.chart.shapeProbe.${r.probe}`), loShown: Math.max(0, Number(r.loPct)), hiShown: Math.min(100, Number(r.hiPct)) }));
    const y = { field: 'accPct', type: 'quantitative' as const, title: t('atlas.chart.shapeProbe.y'), scale: { domain: [0, 100] } };
    const x = { field: 'label', type: 'nominal' as const, title: null, sort: sorted, axis: { labelAngle: -30, labelLimit: 260 } };
    const xOffset = { field: 'probeLabel', type: 'nominal' as const, sort: ['shape', 'texture'].map((p) => t(`atlas.chart.shapeProbe.${p}`)) };
    const colour = { field: 'probeLabel', type: 'nominal' as const, title: t('atlas.chart.shapeProbe.legend'), scale: { domain: ['shape', 'texture'].map((p) => t(`atlas.chart.shapeProbe.${p}`)), range: ['#4c78a8', '#f58518'] } };
    return ({
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: t(titleKey),
      description: t(captionKey),
      config: chartConfig,
      width: { step: 42 },
      height: 220,
      data: { values },
      layer: [
        { data: { values: [{ y: Number(rows[0]?.chancePct ?? 0) }] }, mark: { type: 'rule', strokeDash: [2, 2], color: INK, opacity: FAINT }, encoding: { y: { field: 'y', type: 'quantitative' } } },
        { mark: { type: 'bar', tooltip: true }, encoding: { x, xOffset, y, color: colour } },
        { mark: { type: 'errorbar', ticks: true }, encoding: { x, xOffset, y: { field: 'loShown', type: 'quantitative', title: t('atlas.chart.shapeProbe.y') }, y2: { field: 'hiShown' }, color: { value: INK } } },
      ],
    }) as unknown as TopLevelSpec;
  },
  describe(data, t, lang) {
    const d = data.parts[part], chance = formatNumber(100 * d.chance, lang, 1);
    const parts = order(d).map((m) => {
      const r = d.models.find((x) => x.model === m)!;
      return lang === 'ja'
        ? `${modelLabel(t, m)}：シルエット ${pct(r.shapeProbe.mean, lang)}%、テクスチャ ${pct(r.textureProbe.mean, lang)}%`
        : `${modelLabel(t, m)}: silhouettes ${pct(r.shapeProbe.mean, lang)}%, textures ${pct(r.textureProbe.mean, lang)}%`;
    });
    return lang === 'ja'
      ? `手がかりを 1 つだけ含む画像での正解率（偶然の水準は ${chance}%）。${parts.join('、')}。`
      : `Accuracy on images that carry one cue only (chance is ${chance}%). ${parts.join('; ')}.`;
  },
  };
}
export const shapeBiasProbes = probesChart('fmnist', 'shape-bias/probes', 'atlas.chart.shapeProbe.title', 'atlas.chart.shapeProbe.caption');
export const shapeBiasProbesSynthetic = probesChart('synthetic', 'shape-bias/probes-synthetic', 'atlas.chart.shapeProbeSynth.title', 'atlas.chart.shapeProbeSynth.caption');
