/**
 * Charts of the hessian experiment (claim C6), from generated/hessian/data.json:
 *   top            the top Hessian eigenvalues (Lanczos) of every pool network and of its untrained
 *                  control, one row per model and regime, on a log axis
 *   density        the spectral density (stochastic Lanczos quadrature) against λ/λ1, mean over seeds,
 *                  one panel per regime: the mass left of zero is the negative curvature
 *   negative-mass  the share of the spectrum below −1% of λ1 per model and regime, mean over seeds with
 *                  95% intervals
 */
import type { ChartDef, Row } from './types';
import { loadGenerated } from '~/lib/generated';
import { chartConfig, PALETTE, INK, FAINT } from './theme';
import { formatNumber, type Lang, type Translate } from '~/lib/i18n/t';

type Stat = { mean: number; ci95: [number, number]; n: number };
type Regime = 'full' | 'small' | 'init';
export interface HessianData {
  config: { hvpBatches: number; batchSize: number; topK: number; lanczosSteps: number; slqSteps: number; slqProbes: number; seeds: number; negTol: number };
  units: Array<{ model: string; regime: Regime; seed: number; top: number[]; lanczosMin: number; negMass: number; trainLoss: number }>;
  groups: Array<{ model: string; regime: Regime; seeds: number; top5: Stat; negMass: Stat; trainLoss: Stat }>;
  grid: number[];
  density: Array<{ model: string; regime: Regime; density: number[] }>;
}

const MODELS = ['resnet_mini_28', 'vit_mini_patch4_28'];
const REGIMES: Regime[] = ['full', 'small', 'init'];
/** Densities below this are drawn at it: the log axis needs a floor, and smaller masses are not resolved by a few SLQ probes. */
const DENSITY_FLOOR = 1e-3;
const load = () => loadGenerated<HessianData>('hessian', 'data.json');
const f = (x: number, lang: Lang, d = 2) => formatNumber(x, lang, d);
const regimeLabel = (t: Translate, r: string) => t(`atlas.chart.hessian.regime.${r}`);
const groupLabel = (t: Translate, m: string, r: string) => `${t(`atlas.miniModel.${m}`)} · ${regimeLabel(t, r)}`;
const groupOrder = (t: Translate) => MODELS.flatMap((m) => REGIMES.map((r) => groupLabel(t, m, r)));
const regimeScale = (t: Translate) => ({ domain: REGIMES.map((r) => regimeLabel(t, r)), range: [PALETTE[0]!, PALETTE[1]!, PALETTE[7] ?? INK] });

export const hessianTop: ChartDef<HessianData> = {
  id: 'hessian/top',
  titleKey: 'atlas.chart.hessian.top.title',
  captionKey: 'atlas.chart.hessian.top.caption',
  source: 'scripts/experiments/hessian.ts',
  async load() { return load(); },
  rows(d) {
    return d.units.flatMap((u) => u.top.map((e, k) => ({ model: u.model, regime: u.regime, seed: u.seed, rank: k + 1, eigenvalue: e })));
  },
  spec(rows, t) {
    const values = rows.filter((r: Row) => Number(r.eigenvalue) > 0).map((r: Row) => ({
      ...r, group: groupLabel(t, String(r.model), String(r.regime)), regimeLabel: regimeLabel(t, String(r.regime)), jitter: (Number(r.seed) - 1) * 0.3,
    }));
    return {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: t('atlas.chart.hessian.top.title'),
      description: t('atlas.chart.hessian.top.caption'),
      width: 400,
      height: 240,
      config: chartConfig,
      data: { values },
      mark: { type: 'point', filled: true, size: 40, opacity: 0.8, tooltip: true },
      encoding: {
        x: { field: 'eigenvalue', type: 'quantitative', title: t('atlas.chart.hessian.top.x'), scale: { type: 'log' } },
        y: { field: 'group', type: 'nominal', title: null, sort: groupOrder(t), axis: { labelLimit: 280 } },
        yOffset: { field: 'jitter', type: 'quantitative', scale: { domain: [-0.6, 0.6] } },
        color: { field: 'regimeLabel', type: 'nominal', title: t('atlas.chart.hessian.regime.title'), sort: REGIMES.map((r) => regimeLabel(t, r)), scale: regimeScale(t) },
        tooltip: [{ field: 'group' }, { field: 'seed' }, { field: 'rank' }, { field: 'eigenvalue', format: '.4g' }],
      },
    } as never;
  },
  describe(d, t, lang) {
    const parts = d.groups.map((g) => {
      const name = groupLabel(t, g.model, g.regime);
      return lang === 'ja'
        ? `${name}: 上位 ${d.config.topK} 個の平均 ${f(g.top5.mean, lang, 3)}（${g.seeds} シード）、学習損失 ${f(g.trainLoss.mean, lang, 3)}`
        : `${name}: top-${d.config.topK} mean ${f(g.top5.mean, lang, 3)} (${g.seeds} seeds), training loss ${f(g.trainLoss.mean, lang, 3)}`;
    });
    return lang === 'ja'
      ? `学習バッチ ${d.config.hvpBatches} 個の平均損失のヘッセ行列について、ランチョス法で求めた最大の固有値。${parts.join('。')}。`
      : `The largest eigenvalues, by Lanczos, of the Hessian of the mean loss over ${d.config.hvpBatches} training batches. ${parts.join('. ')}.`;
  },
};

export const hessianDensity: ChartDef<HessianData> = {
  id: 'hessian/density',
  titleKey: 'atlas.chart.hessian.density.title',
  captionKey: 'atlas.chart.hessian.density.caption',
  source: 'scripts/experiments/hessian.ts',
  async load() { return load(); },
  rows(d) {
    return d.density.flatMap((g) => d.grid.map((x, i) => ({ model: g.model, regime: g.regime, x, density: g.density[i]! })));
  },
  spec(rows, t) {
    const values = rows.map((r: Row) => ({ ...r, modelLabel: t(`atlas.miniModel.${String(r.model)}`), regimeLabel: regimeLabel(t, String(r.regime)), shown: Math.max(DENSITY_FLOOR, Number(r.density)) }));
    const models = MODELS.map((m) => t(`atlas.miniModel.${m}`));
    return {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: t('atlas.chart.hessian.density.title'),
      description: t('atlas.chart.hessian.density.caption'),
      config: chartConfig,
      data: { values },
      columns: 3,
      facet: { field: 'regimeLabel', type: 'nominal', title: null, sort: REGIMES.map((r) => regimeLabel(t, r)) },
      spec: {
        width: 180,
        height: 150,
        layer: [
          { mark: { type: 'rule', color: INK, opacity: FAINT, strokeDash: [4, 3] }, encoding: { x: { datum: 0, type: 'quantitative' } } },
          {
            mark: { type: 'line', strokeWidth: 1.5, tooltip: true },
            encoding: {
              x: { field: 'x', type: 'quantitative', title: t('atlas.chart.hessian.density.x') },
              y: { field: 'shown', type: 'quantitative', title: t('atlas.chart.hessian.density.y'), scale: { type: 'log', domainMin: DENSITY_FLOOR } },
              color: { field: 'modelLabel', type: 'nominal', title: null, sort: models, scale: { domain: models, range: [PALETTE[0]!, PALETTE[3]!] } },
              tooltip: [{ field: 'modelLabel' }, { field: 'regimeLabel' }, { field: 'x', format: '.2f' }, { field: 'density', format: '.3g' }],
            },
          },
        ],
      },
    } as never;
  },
  describe(d, t, lang) {
    const parts = d.groups.map((g) => {
      const name = groupLabel(t, g.model, g.regime);
      return lang === 'ja'
        ? `${name}: −${f(d.config.negTol * 100, lang, 0)}% λ1 より下の質量 ${f(g.negMass.mean * 100, lang, 2)}%`
        : `${name}: mass below −${f(d.config.negTol * 100, lang, 0)}% of λ1 ${f(g.negMass.mean * 100, lang, 2)}%`;
    });
    return lang === 'ja'
      ? `確率的ランチョス求積（プローブ ${d.config.slqProbes} 本、各 ${d.config.slqSteps} ステップ）によるスペクトル密度を λ/λ1 に対して描き、シード間で平均したもの。${parts.join('。')}。`
      : `Spectral density by stochastic Lanczos quadrature (${d.config.slqProbes} probes of ${d.config.slqSteps} steps) against λ/λ1, mean over seeds. ${parts.join('. ')}.`;
  },
};

export const hessianNegativeMass: ChartDef<HessianData> = {
  id: 'hessian/negative-mass',
  titleKey: 'atlas.chart.hessian.negmass.title',
  captionKey: 'atlas.chart.hessian.negmass.caption',
  source: 'scripts/experiments/hessian.ts',
  async load() { return load(); },
  rows(d) {
    return d.groups.map((g) => ({ model: g.model, regime: g.regime, seeds: g.seeds, negMass: g.negMass.mean * 100, lo: g.negMass.ci95[0] * 100, hi: g.negMass.ci95[1] * 100 }));
  },
  spec(rows, t) {
    const values = rows.map((r: Row) => ({ ...r, modelLabel: t(`atlas.miniModel.${String(r.model)}`), regimeLabel: regimeLabel(t, String(r.regime)), lo: Math.max(0, Number(r.lo)), hi: Number(r.hi) }));
    const models = MODELS.map((m) => t(`atlas.miniModel.${m}`));
    return {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: t('atlas.chart.hessian.negmass.title'),
      description: t('atlas.chart.hessian.negmass.caption'),
      width: 360,
      height: 200,
      config: chartConfig,
      data: { values },
      encoding: {
        x: { field: 'modelLabel', type: 'nominal', title: null, sort: models, axis: { labelAngle: 0 } },
        xOffset: { field: 'regimeLabel', sort: REGIMES.map((r) => regimeLabel(t, r)) },
      },
      layer: [
        {
          mark: { type: 'bar', tooltip: true },
          encoding: {
            y: { field: 'negMass', type: 'quantitative', title: t('atlas.chart.hessian.negmass.y') },
            color: { field: 'regimeLabel', type: 'nominal', title: t('atlas.chart.hessian.regime.title'), sort: REGIMES.map((r) => regimeLabel(t, r)), scale: regimeScale(t) },
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
        ? `${name}: ${f(g.negMass.mean * 100, lang, 2)}%（95% 区間 ${f(g.negMass.ci95[0] * 100, lang, 2)}〜${f(g.negMass.ci95[1] * 100, lang, 2)}%）`
        : `${name}: ${f(g.negMass.mean * 100, lang, 2)}% (95% interval ${f(g.negMass.ci95[0] * 100, lang, 2)} to ${f(g.negMass.ci95[1] * 100, lang, 2)}%)`;
    });
    return lang === 'ja' ? `シード間の平均。${parts.join('。')}。` : `Mean over seeds. ${parts.join('. ')}.`;
  },
};
