/**
 * Charts of the shape-bias experiment (claim C1), from generated/shape-bias/summary.json
 * (written by `summarize` in scripts/experiments/shape-bias.ts):
 *   bias-by-model  shape bias per model (mean over seeds, 95% interval) with the published marks;
 *   probes         accuracy on single-cue probes: silhouettes (shape only) and texture patches.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ChartDef, Row } from './types';
import { loadGenerated } from '~/lib/generated';
import { chartConfig, INK, FAINT, MIN_FONT } from './theme';
import { formatNumber, type Lang, type Translate } from '~/lib/i18n/t';
import { modelColour, modelLabel, MODEL_ORDER, type Ci } from './minis';

export interface ShapeBiasData {
  complete: boolean;
  references: Array<{ key: string; who: 'human' | 'resnet50' | 'vit_b16'; value: number; source: string }>;
  models: Array<{
    model: string; short: string; kind: string; params: number; seeds: number; reached: number;
    shapeBias: Ci; shapeProbe: Ci; textureProbe: Ci; shapeFraction: Ci; textureFraction: Ci; consistentAccuracy: Ci; steps: Ci;
  }>;
}

const load = () => loadGenerated<ShapeBiasData>('shape-bias', 'summary.json');
const f2 = (x: number, lang: Lang) => formatNumber(x, lang, 2);
const pct = (x: number, lang: Lang) => formatNumber(100 * x, lang, 0);
const order = (d: ShapeBiasData) => MODEL_ORDER.filter((m) => d.models.some((x) => x.model === m));
const refLabel = (t: Translate, who: string) => t(`atlas.chart.shapeBias.ref.${who}`);

export const shapeBiasByModel: ChartDef<ShapeBiasData> = {
  id: 'shape-bias/bias-by-model',
  titleKey: 'atlas.chart.shapeBias.title',
  captionKey: 'atlas.chart.shapeBias.caption',
  source: 'scripts/experiments/shape-bias.ts',
  async load() { return load(); },
  rows(d) {
    // Our models, then the published marks (series 'paper'), so the CSV carries both, labelled.
    return [
      ...d.models.map((m) => ({ series: 'ours', model: m.model, shapeBias: m.shapeBias.mean, lo: m.shapeBias.lo, hi: m.shapeBias.hi, seeds: m.seeds, reachedCriterion: m.reached, steps: m.steps.mean, source: 'scripts/experiments/shape-bias.ts' })),
      ...d.references.map((r) => ({ series: 'paper', model: r.who, shapeBias: r.value, lo: null, hi: null, seeds: null, reachedCriterion: null, steps: null, source: r.source })),
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
      title: t('atlas.chart.shapeBias.title'),
      description: t('atlas.chart.shapeBias.caption'),
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
        { data: { values }, mark: { type: 'point', filled: true, size: 80, tooltip: true }, encoding: { y, x: { field: 'shapeBias', ...x }, color: colour } },
      ],
    }) as unknown as TopLevelSpec;
  },
  describe(d, t, lang) {
    const parts = order(d).map((m) => {
      const r = d.models.find((x) => x.model === m)!;
      return lang === 'ja'
        ? `${modelLabel(t, m)} ${f2(r.shapeBias.mean, lang)}（95% 区間 ${f2(r.shapeBias.lo, lang)}〜${f2(r.shapeBias.hi, lang)}、${r.seeds} シード中 ${r.reached} シードが基準に到達）`
        : `${modelLabel(t, m)} ${f2(r.shapeBias.mean, lang)} (95% interval ${f2(r.shapeBias.lo, lang)} to ${f2(r.shapeBias.hi, lang)}; ${r.reached} of ${r.seeds} seeds reached the criterion)`;
    });
    const refs = d.references.map((r) => `${refLabel(t, r.who)} ${f2(r.value, lang)}`).join(lang === 'ja' ? '、' : ', ');
    const tail = refs ? (lang === 'ja' ? `論文の値：${refs}（ImageNet 規模のモデルと人間、16 クラスの画像）。` : ` Published marks: ${refs} (ImageNet-scale models and people, 16-class images).`) : '';
    return lang === 'ja'
      ? `形状バイアス（0 = 常にテクスチャ、1 = 常に形状）：${parts.join('、')}。${tail}`
      : `Shape bias (0 = always texture, 1 = always shape): ${parts.join('; ')}.${tail}`;
  },
};

export const shapeBiasProbes: ChartDef<ShapeBiasData> = {
  id: 'shape-bias/probes',
  titleKey: 'atlas.chart.shapeProbe.title',
  captionKey: 'atlas.chart.shapeProbe.caption',
  source: 'scripts/experiments/shape-bias.ts',
  async load() { return load(); },
  rows(d) {
    return d.models.flatMap((m) => [
      { model: m.model, probe: 'shape', accPct: 100 * m.shapeProbe.mean, loPct: 100 * m.shapeProbe.lo, hiPct: 100 * m.shapeProbe.hi, seeds: m.seeds },
      { model: m.model, probe: 'texture', accPct: 100 * m.textureProbe.mean, loPct: 100 * m.textureProbe.lo, hiPct: 100 * m.textureProbe.hi, seeds: m.seeds },
    ]);
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
      title: t('atlas.chart.shapeProbe.title'),
      description: t('atlas.chart.shapeProbe.caption'),
      config: chartConfig,
      width: { step: 42 },
      height: 220,
      data: { values },
      layer: [
        { data: { values: [{ y: 12.5 }] }, mark: { type: 'rule', strokeDash: [2, 2], color: INK, opacity: FAINT }, encoding: { y: { field: 'y', type: 'quantitative' } } },
        { mark: { type: 'bar', tooltip: true }, encoding: { x, xOffset, y, color: colour } },
        { mark: { type: 'errorbar', ticks: true }, encoding: { x, xOffset, y: { field: 'loShown', type: 'quantitative', title: t('atlas.chart.shapeProbe.y') }, y2: { field: 'hiShown' }, color: { value: INK } } },
      ],
    }) as unknown as TopLevelSpec;
  },
  describe(d, t, lang) {
    const parts = order(d).map((m) => {
      const r = d.models.find((x) => x.model === m)!;
      return lang === 'ja'
        ? `${modelLabel(t, m)}：シルエット ${pct(r.shapeProbe.mean, lang)}%、テクスチャ ${pct(r.textureProbe.mean, lang)}%`
        : `${modelLabel(t, m)}: silhouettes ${pct(r.shapeProbe.mean, lang)}%, textures ${pct(r.textureProbe.mean, lang)}%`;
    });
    return lang === 'ja'
      ? `手がかりを 1 つだけ含む画像での正解率（偶然の水準は 12.5%）。${parts.join('、')}。`
      : `Accuracy on images that carry one cue only (chance is 12.5%). ${parts.join('; ')}.`;
  },
};
