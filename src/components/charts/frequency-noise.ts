/**
 * Charts of the frequency-noise experiment (claim C2), from generated/frequency-noise/data.json
 * (written by the experiment's summarize(), scripts/experiments/frequency-noise.ts):
 *   band-drop          accuracy drop against the centre of the noise band, one line per model;
 *   heatmap            Fourier heat maps (Yin et al. 2019): test error per basis frequency;
 *   feature-amplitude  Δ log amplitude at the highest frequency per block against depth (Park & Kim 2022).
 */
import type { ChartDef, Row } from './types';
import { loadGenerated } from '~/lib/generated';
import { chartConfig } from './theme';
import { formatNumber, type Lang, type Translate } from '~/lib/i18n/t';
import { modelColour, modelLabel, MODEL_ORDER } from './minis';

export type { Ci } from './minis';
import type { Ci } from './minis';
export interface FrequencyData {
  models: string[];
  seeds: number;
  noiseNorm: number;
  heatmapNorm: number;
  heatmapStep: number;
  clean: Array<{ model: string } & Ci>;
  bands: Array<{ model: string; band: number; centrePi: number; lowPi: number; highPi: number; drop: Ci }>;
  heatmap: Array<{ model: string; u: number; v: number; radius: number; error: number; cleanError: number }>;
  features: Array<{ model: string; tap: string; depth: number; side: number; high: Ci }>;
  /** The same taps of the untrained networks of the same architectures and seeds (the control). */
  controlFeatures?: Array<{ model: string; tap: string; depth: number; side: number; high: Ci }>;
}

const pct = (x: number, lang: Lang, d = 1) => formatNumber(100 * x, lang, d);
const sep = (lang: Lang) => (lang === 'ja' ? '。' : '; ');

const load = () => loadGenerated<FrequencyData>('frequency-noise', 'data.json');

export const frequencyBandDrop: ChartDef<FrequencyData> = {
  id: 'frequency-noise/band-drop',
  titleKey: 'atlas.chart.freqBand.title',
  captionKey: 'atlas.chart.freqBand.caption',
  source: 'scripts/experiments/frequency-noise.ts',
  async load() { return load(); },
  rows(d) {
    return d.bands.map((b) => ({ model: b.model, band: b.band, centrePi: b.centrePi, lowPi: b.lowPi, highPi: b.highPi, dropPt: 100 * b.drop.mean, loPt: 100 * b.drop.lo, hiPt: 100 * b.drop.hi, seeds: b.drop.n }));
  },
  spec(rows, t) {
    const models = [...new Set(rows.map((r) => String(r.model)))];
    const values = rows.map((r: Row) => ({ ...r, label: modelLabel(t, String(r.model)) }));
    const colour = { field: 'label', type: 'nominal' as const, title: t('atlas.chart.freqBand.model'), scale: modelColour(t, models) };
    const x = { field: 'centrePi', type: 'quantitative' as const, title: t('atlas.chart.freqBand.x'), scale: { domain: [0, 1] }, axis: { values: [0, 0.2, 0.4, 0.6, 0.8, 1], format: '.1f' } };
    return {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: t('atlas.chart.freqBand.title'),
      description: t('atlas.chart.freqBand.caption'),
      width: 520, height: 300, config: chartConfig,
      data: { values },
      layer: [
        { mark: { type: 'line', point: true, tooltip: true }, encoding: { x, y: { field: 'dropPt', type: 'quantitative', title: t('atlas.chart.freqBand.y') }, color: { ...colour, legend: { symbolOpacity: 1 } } } },
        { mark: { type: 'errorbar', opacity: 0.6 }, encoding: { x, y: { field: 'loPt', type: 'quantitative', title: t('atlas.chart.freqBand.y') }, y2: { field: 'hiPt' }, color: colour } },
      ],
    };
  },
  describe(d, t, lang) {
    const parts = d.models.map((m) => {
      const bs = d.bands.filter((b) => b.model === m);
      const low = bs.filter((b) => b.band <= 2), high = bs.filter((b) => b.band >= bs.length - 3);
      const avg = (xs: typeof bs) => xs.reduce((s, b) => s + b.drop.mean, 0) / xs.length;
      const peak = bs.reduce((a, b) => (b.drop.mean > a.drop.mean ? b : a));
      return lang === 'ja'
        ? `${modelLabel(t, m)} は低周波帯（0〜0.3π）で平均 ${pct(avg(low), lang)} ポイント、高周波帯（0.7π〜1.0π）で ${pct(avg(high), lang)} ポイント低下し、最大は ${formatNumber(peak.centrePi, lang, 2)}π の帯で ${pct(peak.drop.mean, lang)} ポイント`
        : `${modelLabel(t, m)} loses ${pct(avg(low), lang)} points on average under low-band noise (0–0.3π) and ${pct(avg(high), lang)} under high-band noise (0.7π–1.0π), most (${pct(peak.drop.mean, lang)}) at ${formatNumber(peak.centrePi, lang, 2)}π`;
    });
    return lang === 'ja'
      ? `ノイズの L2 ノルムは ${formatNumber(d.noiseNorm, lang)}、${d.seeds} シードの平均。${parts.join(sep(lang))}。`
      : `Noise L2 norm ${formatNumber(d.noiseNorm, lang)}, mean of ${d.seeds} seeds. ${parts.join(sep(lang))}.`;
  },
};

export const frequencyHeatmap: ChartDef<FrequencyData> = {
  id: 'frequency-noise/heatmap',
  titleKey: 'atlas.chart.freqHeat.title',
  captionKey: 'atlas.chart.freqHeat.caption',
  source: 'scripts/experiments/frequency-noise.ts',
  async load() { return load(); },
  rows(d) {
    return d.heatmap.map((c) => ({ model: c.model, u: c.u, v: c.v, radius: c.radius, errorPct: 100 * c.error, cleanErrorPct: 100 * c.cleanError }));
  },
  spec(rows, t) {
    const models = MODEL_ORDER.filter((m) => rows.some((r) => r.model === m));
    const values = rows.map((r: Row) => ({ ...r, label: modelLabel(t, String(r.model)) }));
    const axisVals = [...new Set(rows.map((r) => Number(r.u)))].sort((a, b) => a - b);
    return {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: t('atlas.chart.freqHeat.title'),
      description: t('atlas.chart.freqHeat.caption'),
      config: { ...chartConfig, legend: { ...chartConfig.legend, columns: 1 } },
      data: { values },
      facet: { column: { field: 'label', type: 'nominal', title: null, sort: models.map((m) => modelLabel(t, m)) } },
      spec: {
        width: 164, height: 164,
        mark: { type: 'rect', tooltip: true },
        encoding: {
          x: { field: 'u', type: 'ordinal', title: t('atlas.chart.freqHeat.x'), sort: axisVals, axis: { values: axisVals.filter((k) => k % 4 === 0), labelAngle: 0 } },
          y: { field: 'v', type: 'ordinal', title: t('atlas.chart.freqHeat.y'), sort: [...axisVals].reverse(), axis: { values: axisVals.filter((k) => k % 4 === 0) } },
          color: { field: 'errorPct', type: 'quantitative', title: t('atlas.chart.freqHeat.color'), scale: { scheme: 'viridis', domain: [0, 100] } },
        },
      },
    };
  },
  describe(d, t, lang) {
    const parts = [...new Set(d.heatmap.map((c) => c.model))].map((m) => {
      const cs = d.heatmap.filter((c) => c.model === m);
      const avg = (xs: typeof cs) => (xs.length ? xs.reduce((s, c) => s + c.error, 0) / xs.length : NaN);
      const low = avg(cs.filter((c) => c.radius > 0 && c.radius < 0.15)), high = avg(cs.filter((c) => c.radius >= 0.35));
      const worst = cs.reduce((a, b) => (b.error > a.error ? b : a));
      return lang === 'ja'
        ? `${modelLabel(t, m)}：ノイズなしの誤り率 ${pct(cs[0]!.cleanError, lang)}%、低周波（半径 0.3π 未満）で平均 ${pct(low, lang)}%、高周波（半径 0.7π 以上）で平均 ${pct(high, lang)}%、最大は (${worst.u}, ${worst.v}) の ${pct(worst.error, lang)}%`
        : `${modelLabel(t, m)}: clean error ${pct(cs[0]!.cleanError, lang)}%, mean error ${pct(low, lang)}% at low frequencies (radius below 0.3π) and ${pct(high, lang)}% at high ones (radius 0.7π and above), worst ${pct(worst.error, lang)}% at (${worst.u}, ${worst.v})`;
    });
    return lang === 'ja'
      ? `基底画像の L2 ノルムは ${formatNumber(d.heatmapNorm, lang)}、${d.heatmapStep} ビンおきの周波数、${d.seeds} シードの平均。${parts.join(sep(lang))}。`
      : `Basis image L2 norm ${formatNumber(d.heatmapNorm, lang)}, every ${d.heatmapStep}nd frequency bin, mean of ${d.seeds} seeds. ${parts.join(sep(lang))}.`;
  },
};

export const frequencyFeatureAmplitude: ChartDef<FrequencyData> = {
  id: 'frequency-noise/feature-amplitude',
  titleKey: 'atlas.chart.freqFeat.title',
  captionKey: 'atlas.chart.freqFeat.caption',
  source: 'scripts/experiments/frequency-noise.ts',
  async load() { return load(); },
  rows(d) {
    const row = (state: 'trained' | 'untrained') => (f: NonNullable<FrequencyData['controlFeatures']>[number]) =>
      ({ model: f.model, state, tap: f.tap, depth: f.depth, side: f.side, dlog: f.high.mean, lo: f.high.lo, hi: f.high.hi, seeds: f.high.n });
    return [...d.features.map(row('trained')), ...(d.controlFeatures ?? []).map(row('untrained'))];
  },
  spec(rows, t) {
    const models = [...new Set(rows.map((r) => String(r.model)))];
    const states = ['trained', 'untrained'].filter((s) => rows.some((r) => (r.state ?? 'trained') === s));
    const values = rows.map((r: Row) => ({ ...r, label: modelLabel(t, String(r.model)), stateLabel: t(`atlas.chart.freqFeat.${r.state ?? 'trained'}`) }));
    // Solid: trained; dashed: the same networks untrained (the control the criterion subtracts).
    const dash = { field: 'stateLabel', type: 'nominal' as const, title: t('atlas.chart.freqFeat.state'), sort: states.map((s) => t(`atlas.chart.freqFeat.${s}`)), scale: { domain: states.map((s) => t(`atlas.chart.freqFeat.${s}`)), range: states.map((s) => (s === 'trained' ? [1, 0] : [4, 3])) } };
    const colour = { field: 'label', type: 'nominal' as const, title: t('atlas.chart.freqBand.model'), scale: modelColour(t, models) };
    const x = { field: 'depth', type: 'quantitative' as const, title: t('atlas.chart.freqFeat.x'), scale: { domain: [0, 1] } };
    return {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: t('atlas.chart.freqFeat.title'),
      description: t('atlas.chart.freqFeat.caption'),
      width: 520, height: 300, config: chartConfig,
      data: { values },
      layer: [
        { mark: { type: 'errorbar' }, encoding: { x, y: { field: 'lo', type: 'quantitative', title: t('atlas.chart.freqFeat.y'), scale: { zero: false } }, y2: { field: 'hi' }, color: colour } },
        { mark: { type: 'line', point: true, tooltip: true }, encoding: { x, y: { field: 'dlog', type: 'quantitative', title: t('atlas.chart.freqFeat.y'), scale: { zero: false } }, color: { ...colour, legend: { symbolOpacity: 1 } }, strokeDash: dash } },
      ],
    };
  },
  describe(d, t, lang) {
    const list = (fs: FrequencyData['features']) => fs.map((f) => `${f.tap} ${formatNumber(f.high.mean, lang, 2)}`).join(lang === 'ja' ? '、' : ', ');
    const parts = d.models.map((m) => {
      const fs = d.features.filter((f) => f.model === m), cs = (d.controlFeatures ?? []).filter((f) => f.model === m);
      const control = cs.length ? (lang === 'ja' ? `（学習前：${list(cs)}）` : ` (untrained: ${list(cs)})`) : '';
      return `${modelLabel(t, m)}${lang === 'ja' ? '：' : ': '}${list(fs)}${control}`;
    });
    return lang === 'ja'
      ? `各ブロック出力の特徴マップの、最高周波数での Δ 対数振幅（${d.seeds} シードの平均）。${parts.join(sep(lang))}。`
      : `Δ log amplitude at the highest frequency of each block's output feature maps (mean of ${d.seeds} seeds). ${parts.join(sep(lang))}.`;
  },
};
