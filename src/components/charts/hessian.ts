/**
 * Charts of the hessian experiment (claim C6), from generated/hessian/data.json:
 *   spectrum  the dominant Hessian eigenvalue of every mini-batch (all seeds), one row per model
 *             and data regime, on a symmetric-log axis — Park & Kim's "max eigenvalue spectrum"
 *   nep       NEP (share of negative dominant eigenvalues) per model and regime, mean over seeds
 *             with 95% intervals
 *   negative-curvature  −λmin/λmax from Lanczos per model and regime: how strong the most
 *             negative curvature is next to the largest positive one (Li et al. 2018's ratio)
 */
import type { ChartDef, Row } from './types';
import { loadGenerated } from '~/lib/generated';
import { chartConfig, PALETTE, INK, FAINT } from './theme';
import { formatNumber, type Lang, type Translate } from '~/lib/i18n/t';

type Stat = { mean: number; ci95: [number, number]; n: number };
export interface HessianData {
  config: { batches: number; batchSize: number; maxIter: number; tol: number; eps: number; topK: number; seeds: number };
  points: Array<{ model: string; regime: string; seed: number; batch: number; rank: number; eigenvalue: number; converged: boolean }>;
  extremes?: Array<{ model: string; regime: string; seed: number; batch: number; min: number; max: number }>;
  groups: Array<{ model: string; regime: string; seeds: number; nep: Stat; ape: Stat; testAccuracy: Stat; minOverMax?: Stat }>;
}

const MODELS = ['resnet_mini_28', 'vit_mini_patch4_28'];
const REGIMES = ['small', 'full'];
const load = () => loadGenerated<HessianData>('hessian', 'data.json');
const f = (x: number, lang: Lang, d = 2) => formatNumber(x, lang, d);
const groupLabel = (t: Translate, m: string, r: string) => `${t(`atlas.miniModel.${m}`)} · ${t(`atlas.chart.hessian.regime.${r}`)}`;
const groupOrder = (t: Translate) => MODELS.flatMap((m) => REGIMES.map((r) => groupLabel(t, m, r)));

/** A fixed vertical offset per (seed, batch), so points of one row do not sit on top of each other. */
const jitter = (r: Row) => ((Number(r.seed) * 7 + Number(r.batch) * 3) % 11) / 10 - 0.5;

/**
 * A dot per mini-batch, one row per model × regime, on a symmetric-log x axis with a rule at 0.
 * `key` names the chart's i18n strings (title, caption, x); `encoding` adds colour, shape, tooltip.
 */
function stripSpec(t: Translate, key: 'spectrum' | 'ratio', xField: string, height: number, values: Row[], encoding: Record<string, unknown>) {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: t(`atlas.chart.hessian.${key}.title`),
    description: t(`atlas.chart.hessian.${key}.caption`),
    width: 400,
    height,
    config: chartConfig,
    layer: [
      { data: { values: [{ zero: 0 }] }, mark: { type: 'rule', color: INK, opacity: FAINT, strokeDash: [4, 3] }, encoding: { x: { field: 'zero', type: 'quantitative' } } },
      {
        data: { values },
        mark: { type: 'point', filled: true, size: 45, opacity: 0.8, tooltip: true },
        encoding: {
          x: { field: xField, type: 'quantitative', title: t(`atlas.chart.hessian.${key}.x`), scale: { type: 'symlog', constant: 1 } },
          y: { field: 'group', type: 'nominal', title: null, sort: groupOrder(t), axis: { labelLimit: 280 } },
          yOffset: { field: 'jitter', type: 'quantitative', scale: { domain: [-0.6, 0.6] } },
          ...encoding,
        },
      },
    ],
  } as never;
}

export const hessianSpectrum: ChartDef<HessianData> = {
  id: 'hessian/spectrum',
  titleKey: 'atlas.chart.hessian.spectrum.title',
  captionKey: 'atlas.chart.hessian.spectrum.caption',
  source: 'scripts/experiments/hessian.ts',
  async load() { return load(); },
  rows(d) {
    return d.points.map((p) => ({ model: p.model, regime: p.regime, seed: p.seed, batch: p.batch, rank: p.rank, eigenvalue: p.eigenvalue, converged: p.converged }));
  },
  spec(rows, t) {
    const sign = (e: number) => t(e < 0 ? 'atlas.chart.hessian.negative' : 'atlas.chart.hessian.positive');
    const yes = t('atlas.chart.hessian.convergedYes'), no = t('atlas.chart.hessian.convergedNo');
    const values = rows.map((r: Row) => ({ ...r, group: groupLabel(t, String(r.model), String(r.regime)), sign: sign(Number(r.eigenvalue)), conv: r.converged ? yes : no, jitter: jitter(r) }));
    const signs = [t('atlas.chart.hessian.negative'), t('atlas.chart.hessian.positive')];
    return stripSpec(t, 'spectrum', 'eigenvalue', 220, values, {
      color: { field: 'sign', type: 'nominal', title: t('atlas.chart.hessian.sign'), scale: { domain: signs, range: [PALETTE[3]!, PALETTE[0]!] } },
      shape: { field: 'conv', type: 'nominal', title: t('atlas.chart.hessian.converged'), scale: { domain: [yes, no], range: ['circle', 'triangle-up'] } },
      tooltip: [{ field: 'group' }, { field: 'seed' }, { field: 'batch' }, { field: 'eigenvalue', format: '.3f' }, { field: 'conv', title: t('atlas.chart.hessian.converged') }],
    });
  },
  describe(d, t, lang) {
    const parts = MODELS.flatMap((m) => REGIMES.flatMap((r) => {
      const ps = d.points.filter((p) => p.model === m && p.regime === r).map((p) => p.eigenvalue);
      if (!ps.length) return [];
      const neg = ps.filter((e) => e < 0).length;
      const name = groupLabel(t, m, r);
      return lang === 'ja'
        ? [`${name}: ${ps.length} 個のうち負が ${neg} 個、範囲 ${f(Math.min(...ps), lang, 2)}〜${f(Math.max(...ps), lang, 2)}`]
        : [`${name}: ${neg} of ${ps.length} negative, from ${f(Math.min(...ps), lang, 2)} to ${f(Math.max(...ps), lang, 2)}`];
    }));
    return lang === 'ja'
      ? `ミニバッチ（${d.config.batchSize} 枚）ごとの、絶対値が最大のヘッセ行列固有値（符号付き）。${parts.join('。')}。`
      : `The dominant (largest-magnitude, signed) Hessian eigenvalue of each mini-batch of ${d.config.batchSize}. ${parts.join('. ')}.`;
  },
};

export const hessianNep: ChartDef<HessianData> = {
  id: 'hessian/nep',
  titleKey: 'atlas.chart.hessian.nep.title',
  captionKey: 'atlas.chart.hessian.nep.caption',
  source: 'scripts/experiments/hessian.ts',
  async load() { return load(); },
  rows(d) {
    return d.groups.map((g) => ({ model: g.model, regime: g.regime, seeds: g.seeds, nep: g.nep.mean * 100, nepLo: g.nep.ci95[0] * 100, nepHi: g.nep.ci95[1] * 100, ape: g.ape.mean, apeLo: g.ape.ci95[0], apeHi: g.ape.ci95[1] }));
  },
  spec(rows, t) {
    const regime = (r: string) => t(`atlas.chart.hessian.regime.${r}`);
    const values = rows.map((r: Row) => ({ ...r, modelLabel: t(`atlas.miniModel.${String(r.model)}`), regimeLabel: regime(String(r.regime)), lo: Math.max(0, Number(r.nepLo)), hi: Math.min(100, Number(r.nepHi)) }));
    const models = MODELS.map((m) => t(`atlas.miniModel.${m}`));
    return {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: t('atlas.chart.hessian.nep.title'),
      description: t('atlas.chart.hessian.nep.caption'),
      width: 360,
      height: 200,
      config: chartConfig,
      data: { values },
      encoding: {
        x: { field: 'modelLabel', type: 'nominal', title: null, sort: models, axis: { labelAngle: 0 } },
        xOffset: { field: 'regimeLabel', sort: REGIMES.map(regime) },
      },
      layer: [
        {
          mark: { type: 'bar', tooltip: true },
          encoding: {
            y: { field: 'nep', type: 'quantitative', title: t('atlas.chart.hessian.nep.y'), scale: { domain: [0, 100] } },
            color: { field: 'regimeLabel', type: 'nominal', title: t('atlas.chart.hessian.regime.title'), sort: REGIMES.map(regime), scale: { domain: REGIMES.map(regime), range: [PALETTE[1]!, PALETTE[0]!] } },
          },
        },
        { mark: { type: 'rule', color: INK }, encoding: { y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } } },
      ],
    } as never;
  },
  describe(d, t, lang) {
    const parts = d.groups.map((g) => {
      const name = groupLabel(t, g.model, g.regime);
      return lang === 'ja'
        ? `${name}: NEP ${f(g.nep.mean * 100, lang, 0)}%（95% 区間 ${f(Math.max(0, g.nep.ci95[0]) * 100, lang, 0)}〜${f(Math.min(1, g.nep.ci95[1]) * 100, lang, 0)}%）、APE ${Number.isFinite(g.ape.mean) ? f(g.ape.mean, lang, 2) : '—'}、テスト精度 ${f(g.testAccuracy.mean * 100, lang, 1)}%`
        : `${name}: NEP ${f(g.nep.mean * 100, lang, 0)}% (95% interval ${f(Math.max(0, g.nep.ci95[0]) * 100, lang, 0)} to ${f(Math.min(1, g.nep.ci95[1]) * 100, lang, 0)}%), APE ${Number.isFinite(g.ape.mean) ? f(g.ape.mean, lang, 2) : '—'}, test accuracy ${f(g.testAccuracy.mean * 100, lang, 1)}%`;
    });
    return lang === 'ja' ? `シード間の平均。${parts.join('。')}。` : `Mean over seeds. ${parts.join('. ')}.`;
  },
};

export const hessianNegativeCurvature: ChartDef<HessianData> = {
  id: 'hessian/negative-curvature',
  titleKey: 'atlas.chart.hessian.ratio.title',
  captionKey: 'atlas.chart.hessian.ratio.caption',
  source: 'scripts/experiments/hessian.ts',
  async load() { return load(); },
  rows(d) {
    return (d.extremes ?? []).map((e) => ({ model: e.model, regime: e.regime, seed: e.seed, batch: e.batch, min: e.min, max: e.max, ratio: (-100 * e.min) / e.max }));
  },
  spec(rows, t) {
    const regime = (r: string) => t(`atlas.chart.hessian.regime.${r}`);
    const values = rows.map((r: Row) => ({ ...r, group: groupLabel(t, String(r.model), String(r.regime)), regimeLabel: regime(String(r.regime)), jitter: jitter(r) }));
    return stripSpec(t, 'ratio', 'ratio', 200, values, {
      color: { field: 'regimeLabel', type: 'nominal', title: t('atlas.chart.hessian.regime.title'), sort: REGIMES.map(regime), scale: { domain: REGIMES.map(regime), range: [PALETTE[1]!, PALETTE[0]!] } },
      tooltip: [{ field: 'group' }, { field: 'seed' }, { field: 'batch' }, { field: 'min', format: '.3f' }, { field: 'max', format: '.3f' }, { field: 'ratio', format: '.2f' }],
    });
  },
  describe(d, t, lang) {
    const parts = d.groups.filter((g) => g.minOverMax).map((g) => {
      const name = groupLabel(t, g.model, g.regime);
      const m = g.minOverMax!; // per-seed means; the batches below are every seed's
      const n = (d.extremes ?? []).filter((e) => e.model === g.model && e.regime === g.regime);
      const neg = n.filter((e) => e.min < 0).length;
      return lang === 'ja'
        ? `${name}: −λmin/λmax ${f(-m.mean * 100, lang, 1)}%（${n.length} 個中 ${neg} 個のミニバッチで負の固有値を検出）`
        : `${name}: −λmin/λmax ${f(-m.mean * 100, lang, 1)}% (negative curvature found on ${neg} of ${n.length} mini-batches)`;
    });
    return lang === 'ja' ? `シード間の平均。${parts.join('。')}。` : `Mean over seeds. ${parts.join('. ')}.`;
  },
};
