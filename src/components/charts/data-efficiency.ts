/**
 * Charts of the data-efficiency experiment (claims C4, C7), from generated/data-efficiency/summary.json
 * (written by `summarize` in scripts/experiments/data-efficiency.ts):
 *   accuracy-vs-n  test accuracy against training-set size, one line per model;
 *   gap-vs-n       each model's accuracy minus the ResNet's at the same seed (paired), against n.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ChartDef, Row } from './types';
import { loadGenerated } from '~/lib/generated';
import { chartConfig, INK } from './theme';
import { formatNumber, type Lang } from '~/lib/i18n/t';
import { modelColour, modelLabel, MODEL_ORDER, type Ci } from './minis';

export interface DataEfficiencyData {
  complete: boolean;
  sizes: number[];
  models: string[];
  /** The step budget of each n (criteria/data-schedule.ts); `pool` names the pool regime whose units give that n. */
  schedules: Array<{ n: number; epochs: number; steps: number; pool: 'small' | 'full' | null }>;
  rows: Array<{ model: string; n: number; epochs: number; pool: 'small' | 'full' | null; test: Ci; stepsDone: Ci }>;
  gaps: Array<{ n: number; model: string; versus: string; diff: Ci }>;
}

const load = () => loadGenerated<DataEfficiencyData>('data-efficiency', 'summary.json');
const p1 = (x: number, lang: Lang) => formatNumber(100 * x, lang, 1);
const nFmt = (n: number, lang: Lang) => n.toLocaleString(lang === 'ja' ? 'ja-JP' : 'en-US');
const sep = (lang: Lang) => (lang === 'ja' ? '、' : '; ');

function nAxis(sizes: number[], title: string) {
  return { field: 'n', type: 'quantitative' as const, title, scale: { type: 'log' as const, domain: [Math.min(...sizes) * 0.8, Math.max(...sizes) * 1.25] }, axis: { values: sizes, format: '~s' } };
}

export const dataEfficiencyAccuracy: ChartDef<DataEfficiencyData> = {
  id: 'data-efficiency/accuracy-vs-n',
  titleKey: 'atlas.chart.dataEff.title',
  captionKey: 'atlas.chart.dataEff.caption',
  source: 'scripts/experiments/data-efficiency.ts',
  async load() { return load(); },
  rows(d) {
    return d.rows.map((r) => ({ model: r.model, n: r.n, epochs: r.epochs, pool: r.pool ?? '', accPct: 100 * r.test.mean, loPct: 100 * r.test.lo, hiPct: 100 * r.test.hi, seeds: r.test.n }));
  },
  spec(rows, t) {
    const models = [...new Set(rows.map((r) => String(r.model)))];
    const sizes = [...new Set(rows.map((r) => Number(r.n)))].sort((a, b) => a - b);
    const values = rows.map((r: Row) => ({ ...r, label: modelLabel(t, String(r.model)), loShown: Math.max(0, Number(r.loPct)), hiShown: Math.min(100, Number(r.hiPct)) }));
    const colour = { field: 'label', type: 'nominal' as const, title: t('atlas.chart.freqBand.model'), scale: modelColour(t, models) };
    const x = nAxis(sizes, t('atlas.chart.dataEff.x'));
    const lo = Math.max(0, Math.floor(Math.min(...values.map((r) => r.loShown)) / 10) * 10);
    const y = { type: 'quantitative' as const, title: t('atlas.chart.dataEff.y'), scale: { domain: [lo, 100] } };
    return ({
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: t('atlas.chart.dataEff.title'),
      description: t('atlas.chart.dataEff.caption'),
      config: chartConfig,
      width: 480,
      height: 280,
      data: { values },
      layer: [
        { mark: { type: 'errorbar', ticks: true }, encoding: { x, y: { field: 'loShown', ...y }, y2: { field: 'hiShown' }, color: colour } },
        { mark: { type: 'line', point: true, tooltip: true }, encoding: { x, y: { field: 'accPct', ...y }, color: colour } },
      ],
    }) as unknown as TopLevelSpec;
  },
  describe(d, t, lang) {
    const models = MODEL_ORDER.filter((m) => d.models.includes(m));
    const parts = models.map((m) => {
      const pts = d.rows.filter((r) => r.model === m).sort((a, b) => a.n - b.n).map((r) => `${nFmt(r.n, lang)} ${p1(r.test.mean, lang)}%`);
      return `${modelLabel(t, m)}: ${pts.join(lang === 'ja' ? '、' : ', ')}`;
    });
    const seeds = d.rows[0]?.test.n ?? 0;
    const ep = d.schedules.map((s) => `${nFmt(s.n, lang)} ${lang === 'ja' ? `${s.epochs} エポック` : `${s.epochs} epochs`}`).join(lang === 'ja' ? '、' : ', ');
    return lang === 'ja'
      ? `学習画像数 n ごとのテスト精度（${seeds} シードの平均）。学習量は n に合わせて決めています（${ep}、検証精度が頭打ちになれば早期終了）。${parts.join('。')}。`
      : `Test accuracy by training-set size n (mean of ${seeds} seeds). Training is scaled to n (${ep}, stopped early once validation accuracy plateaus). ${parts.join(sep(lang))}.`;
  },
};

export const dataEfficiencyGap: ChartDef<DataEfficiencyData> = {
  id: 'data-efficiency/gap-vs-n',
  titleKey: 'atlas.chart.dataGap.title',
  captionKey: 'atlas.chart.dataGap.caption',
  source: 'scripts/experiments/data-efficiency.ts',
  async load() { return load(); },
  rows(d) {
    return d.gaps.filter((g) => g.versus === 'resnet_mini_28').map((g) => ({ model: g.model, versus: g.versus, n: g.n, diffPts: 100 * g.diff.mean, loPts: 100 * g.diff.lo, hiPts: 100 * g.diff.hi, seeds: g.diff.n }));
  },
  spec(rows, t) {
    const models = [...new Set(rows.map((r) => String(r.model)))];
    const sizes = [...new Set(rows.map((r) => Number(r.n)))].sort((a, b) => a - b);
    const values = rows.map((r: Row) => ({ ...r, label: modelLabel(t, String(r.model)) }));
    const colour = { field: 'label', type: 'nominal' as const, title: t('atlas.chart.freqBand.model'), scale: modelColour(t, models) };
    const x = nAxis(sizes, t('atlas.chart.dataEff.x'));
    const y = { type: 'quantitative' as const, title: t('atlas.chart.dataGap.y') };
    return ({
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: t('atlas.chart.dataGap.title'),
      description: t('atlas.chart.dataGap.caption'),
      config: chartConfig,
      width: 480,
      height: 260,
      layer: [
        { data: { values: [{ y: 0 }] }, mark: { type: 'rule', color: INK }, encoding: { y: { field: 'y', ...y } } },
        { data: { values }, mark: { type: 'errorbar', ticks: true }, encoding: { x, y: { field: 'loPts', ...y }, y2: { field: 'hiPts' }, color: colour } },
        { data: { values }, mark: { type: 'line', point: true, tooltip: true }, encoding: { x, y: { field: 'diffPts', ...y }, color: colour } },
      ],
    }) as unknown as TopLevelSpec;
  },
  describe(d, t, lang) {
    const models = MODEL_ORDER.filter((m) => m !== 'resnet_mini_28' && d.models.includes(m));
    const pt = (x: number) => `${x >= 0 ? '+' : '−'}${formatNumber(Math.abs(100 * x), lang, 1)}`;
    const parts = models.map((m) => {
      const gs = d.gaps.filter((g) => g.model === m && g.versus === 'resnet_mini_28').sort((a, b) => a.n - b.n).map((g) => `${nFmt(g.n, lang)} ${pt(g.diff.mean)}`);
      return `${modelLabel(t, m)}: ${gs.join(lang === 'ja' ? '、' : ', ')}`;
    });
    return lang === 'ja'
      ? `同じシード（同じ部分集合）の ResNet との精度差（ポイント、負なら ResNet より低い）。${parts.join('。')}。`
      : `Accuracy minus the ResNet's at the same seed and subset, in points (negative = below the ResNet). ${parts.join(sep(lang))}.`;
  },
};
