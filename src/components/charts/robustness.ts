/**
 * Charts of the robustness experiment (claim C3), from generated/robustness/data.json
 * (written by the experiment's summarize(), scripts/experiments/robustness.ts):
 *   corruptions   accuracy against severity, one panel per corruption, one line per model;
 *   adversarial   accuracy against the L∞ radius ε under FGSM and PGD.
 */
import type { ChartDef, Row } from './types';
import { loadGenerated } from '~/lib/generated';
import { chartConfig } from './theme';
import { formatNumber, type Lang } from '~/lib/i18n/t';
import { modelColour, modelLabel, type Ci } from './minis';

export interface RobustnessData {
  models: string[];
  seeds: number;
  corruptions: string[];
  pgdSteps: number;
  clean: Array<{ model: string } & Ci>;
  cleanCorruption: Array<{ model: string } & Ci>;
  corruption: Array<{ model: string; kind: string; severity: number; param: number; accuracy: Ci; retention: Ci }>;
  adversarial: Array<{ model: string; attack: 'fgsm' | 'pgd'; eps: number; accuracy: Ci }>;
  retention: Array<{ model: string; corruption: Ci; pgd: Ci; fgsm: Ci }>;
}

const load = () => loadGenerated<RobustnessData>('robustness', 'data.json');
const pct = (x: number, lang: Lang, d = 1) => formatNumber(100 * x, lang, d);
const sep = (lang: Lang) => (lang === 'ja' ? '。' : '; ');

export const robustnessCorruptions: ChartDef<RobustnessData> = {
  id: 'robustness/corruptions',
  titleKey: 'atlas.chart.robCorr.title',
  captionKey: 'atlas.chart.robCorr.caption',
  source: 'scripts/experiments/robustness.ts',
  async load() { return load(); },
  rows(d) {
    const clean = d.corruptions.flatMap((kind) => d.cleanCorruption.map((c) => ({ model: c.model, kind, severity: 0, accPct: 100 * c.mean, loPct: 100 * c.lo, hiPct: 100 * c.hi, seeds: c.n })));
    return [...clean, ...d.corruption.map((c) => ({ model: c.model, kind: c.kind, severity: c.severity, accPct: 100 * c.accuracy.mean, loPct: 100 * c.accuracy.lo, hiPct: 100 * c.accuracy.hi, seeds: c.accuracy.n }))];
  },
  spec(rows, t) {
    const models = [...new Set(rows.map((r) => String(r.model)))];
    const kinds = [...new Set(rows.map((r) => String(r.kind)))];
    const values = rows.map((r: Row) => ({ ...r, label: modelLabel(t, String(r.model)), kindLabel: t(`atlas.corruption.${r.kind}`) }));
    const colour = { field: 'label', type: 'nominal' as const, title: t('atlas.chart.freqBand.model'), scale: modelColour(t, models) };
    const x = { field: 'severity', type: 'quantitative' as const, title: t('atlas.chart.robCorr.x'), axis: { values: [0, 1, 2, 3, 4, 5], format: 'd' }, scale: { domain: [0, 5] } };
    return {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: t('atlas.chart.robCorr.title'),
      description: t('atlas.chart.robCorr.caption'),
      config: chartConfig,
      data: { values },
      // Three panels to a row: five in one row would not fit the content column.
      facet: { field: 'kindLabel', type: 'nominal', title: null, sort: kinds.map((k) => t(`atlas.corruption.${k}`)) },
      columns: 3,
      spec: {
        width: 150, height: 170,
        layer: [
          { mark: { type: 'errorbar' }, encoding: { x, y: { field: 'loPct', type: 'quantitative', title: t('atlas.chart.robCorr.y'), scale: { domain: [0, 100] } }, y2: { field: 'hiPct' }, color: colour } },
          { mark: { type: 'line', point: true, tooltip: true }, encoding: { x, y: { field: 'accPct', type: 'quantitative', title: t('atlas.chart.robCorr.y'), scale: { domain: [0, 100] } }, color: { ...colour, legend: { symbolOpacity: 1 } } } },
        ],
      },
    };
  },
  describe(d, t, lang) {
    const parts = d.models.map((m) => {
      const clean = d.cleanCorruption.find((c) => c.model === m)!;
      const s5 = d.corruptions.map((k) => `${t(`atlas.corruption.${k}`)} ${pct(d.corruption.find((c) => c.model === m && c.kind === k && c.severity === 5)!.accuracy.mean, lang)}%`).join(lang === 'ja' ? '、' : ', ');
      const ret = d.retention.find((r) => r.model === m)!;
      return lang === 'ja'
        ? `${modelLabel(t, m)}：劣化なし ${pct(clean.mean, lang)}%、強度 5 で ${s5}、全 25 条件の平均で劣化なしの正解率の ${pct(ret.corruption.mean, lang)}% を保つ`
        : `${modelLabel(t, m)}: clean ${pct(clean.mean, lang)}%; at severity 5 ${s5}; over all 25 conditions it keeps ${pct(ret.corruption.mean, lang)}% of its clean accuracy`;
    });
    return lang === 'ja' ? `${d.seeds} シードの平均。${parts.join(sep(lang))}。` : `Mean of ${d.seeds} seeds. ${parts.join(sep(lang))}.`;
  },
};

export const robustnessAdversarial: ChartDef<RobustnessData> = {
  id: 'robustness/adversarial',
  titleKey: 'atlas.chart.robAdv.title',
  captionKey: 'atlas.chart.robAdv.caption',
  source: 'scripts/experiments/robustness.ts',
  async load() { return load(); },
  rows(d) {
    return d.adversarial.map((a) => ({ model: a.model, attack: a.attack, eps: a.eps, accPct: 100 * a.accuracy.mean, loPct: 100 * a.accuracy.lo, hiPct: 100 * a.accuracy.hi, seeds: a.accuracy.n }));
  },
  spec(rows, t) {
    const models = [...new Set(rows.map((r) => String(r.model)))];
    const values = rows.map((r: Row) => ({ ...r, label: modelLabel(t, String(r.model)), attackLabel: t(`atlas.chart.robAdv.${r.attack}`) }));
    const colour = { field: 'label', type: 'nominal' as const, title: t('atlas.chart.freqBand.model'), scale: modelColour(t, models) };
    const x = { field: 'eps', type: 'quantitative' as const, title: t('atlas.chart.robAdv.x'), scale: { type: 'symlog' as const, constant: 0.005 }, axis: { values: [0, 0.005, 0.01, 0.02, 0.05, 0.1], format: '~g' } };
    return {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: t('atlas.chart.robAdv.title'),
      description: t('atlas.chart.robAdv.caption'),
      config: chartConfig,
      data: { values },
      facet: { column: { field: 'attackLabel', type: 'nominal', title: null, sort: ['fgsm', 'pgd'].map((a) => t(`atlas.chart.robAdv.${a}`)) } },
      spec: {
        width: 250, height: 230,
        layer: [
          { mark: { type: 'errorbar' }, encoding: { x, y: { field: 'loPct', type: 'quantitative', title: t('atlas.chart.robAdv.y'), scale: { domain: [0, 100] } }, y2: { field: 'hiPct' }, color: colour } },
          { mark: { type: 'line', point: true, tooltip: true }, encoding: { x, y: { field: 'accPct', type: 'quantitative', title: t('atlas.chart.robAdv.y'), scale: { domain: [0, 100] } }, color: { ...colour, legend: { symbolOpacity: 1 } } } },
        ],
      },
    };
  },
  describe(d, t, lang) {
    const parts = d.models.map((m) => {
      const at = (attack: 'fgsm' | 'pgd') => d.adversarial.filter((a) => a.model === m && a.attack === attack && a.eps > 0).map((a) => `ε ${a.eps} ${pct(a.accuracy.mean, lang)}%`).join(lang === 'ja' ? '、' : ', ');
      return lang === 'ja' ? `${modelLabel(t, m)}：FGSM ${at('fgsm')}。PGD ${at('pgd')}` : `${modelLabel(t, m)}: FGSM ${at('fgsm')}; PGD ${at('pgd')}`;
    });
    return lang === 'ja'
      ? `L∞ 半径 ε の攻撃下の正解率、${d.seeds} シードの平均（PGD は ${d.pgdSteps} ステップ）。${parts.join('。')}。`
      : `Accuracy under L∞ attacks of radius ε, mean of ${d.seeds} seeds (PGD: ${d.pgdSteps} steps). ${parts.join('. ')}.`;
  },
};
