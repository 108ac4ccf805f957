/**
 * Charts of the loss-landscape experiment (claim C6), from generated/loss-landscape/data.json:
 *   surface  filter-normalised 2D loss surfaces around the pool's weights and around the untrained
 *            control, one panel per model (columns) and regime (rows), coloured in log-loss bands so
 *            equal colours read as contour lines (Li et al. 2018)
 *   slices   the two 1D slices through the centre, every seed, log loss; dashed lines untrained
 */
import type { ChartDef, Row } from './types';
import { loadGenerated } from '~/lib/generated';
import { chartConfig } from './theme';
import { modelColour } from './minis';
import { formatNumber, type Lang } from '~/lib/i18n/t';

type Stat = { mean: number; ci95: [number, number]; n: number };
type Regime = 'full' | 'init';
export interface LandscapeData {
  config: { grid: number; range: number; evalImages: number; radius: number; seeds: number; surfaceSeeds: number };
  surfaces: Array<{ model: string; regime: Regime; seed: number; coords: number[]; loss: number[][]; trainedLoss: number }>;
  slices: Array<{ model: string; regime: Regime; seed: number; dir: 'x' | 'y'; t: number; loss: number }>;
  groups: Array<{ model: string; regime: Regime; seeds: number; rise: Stat; negativeCurvature: Stat; centreCurvature: Stat; trainedLoss: Stat }>;
}

const ORDER = ['resnet_mini_28', 'vit_mini_patch4_28'];
const REGIMES: Regime[] = ['full', 'init'];
/** 14 colour bands of log10 loss shared by the panels: each band edge is a contour level. */
const BANDS = { type: 'quantize', scheme: { name: 'viridis', count: 14 }, nice: false, reverse: true } as const;
const load = () => loadGenerated<LandscapeData>('loss-landscape', 'data.json');
const f = (x: number, lang: Lang, d = 2) => formatNumber(x, lang, d);

export const lossLandscapeSurface: ChartDef<LandscapeData> = {
  id: 'loss-landscape/surface',
  titleKey: 'atlas.chart.landscape.surface.title',
  captionKey: 'atlas.chart.landscape.surface.caption',
  source: 'scripts/experiments/loss-landscape.ts',
  async load() { return load(); },
  rows(d) {
    return d.surfaces.flatMap((s) => {
      const h = (s.coords[1]! - s.coords[0]!) / 2;
      return s.loss.flatMap((row, j) => row.map((loss, i) => ({
        model: s.model, regime: s.regime, seed: s.seed, alpha: s.coords[i]!, beta: s.coords[j]!,
        a0: s.coords[i]! - h, a1: s.coords[i]! + h, b0: s.coords[j]! - h, b1: s.coords[j]! + h, loss, log10Loss: Math.log10(Math.max(loss, 1e-6)),
      })));
    });
  },
  spec(rows, t) {
    const models = ORDER.filter((m) => rows.some((r) => r.model === m));
    const label = (m: string) => t(`atlas.miniModel.${m}`);
    const regime = (r: string) => t(`atlas.chart.landscape.regime.${r}`);
    const values = rows.map((r: Row) => ({ ...r, modelLabel: label(String(r.model)), regimeLabel: regime(String(r.regime)) }));
    return {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: t('atlas.chart.landscape.surface.title'),
      description: t('atlas.chart.landscape.surface.caption'),
      config: { ...chartConfig, view: { stroke: null } },
      data: { values },
      facet: {
        column: { field: 'modelLabel', type: 'nominal', sort: models.map(label), title: null, header: { labelFontSize: 12 } },
        row: { field: 'regimeLabel', type: 'nominal', sort: REGIMES.map(regime), title: null, header: { labelFontSize: 12 } },
      },
      // Two panels a row and the band legend below them fit the content column beside the page's table of contents.
      spec: {
        width: 160,
        height: 160,
        layer: [
          {
            mark: { type: 'rect', tooltip: true, strokeWidth: 0.4 },
            encoding: {
              x: { field: 'a0', type: 'quantitative', title: t('atlas.chart.landscape.surface.x'), scale: { nice: false }, axis: { values: [-1, -0.5, 0, 0.5, 1] } },
              x2: { field: 'a1' },
              y: { field: 'b0', type: 'quantitative', title: t('atlas.chart.landscape.surface.y'), scale: { nice: false }, axis: { values: [-1, -0.5, 0, 0.5, 1] } },
              y2: { field: 'b1' },
              // Quantised colour: each band is the region between two contour levels of log10(loss).
              color: { field: 'log10Loss', type: 'quantitative', title: t('atlas.chart.landscape.surface.color'), scale: BANDS, legend: { orient: 'bottom', direction: 'horizontal', columns: 5, format: '.2f' } },
              stroke: { field: 'log10Loss', type: 'quantitative', scale: BANDS, legend: null }, // fills the hairline gaps between cells
              tooltip: [{ field: 'alpha', title: 'α' }, { field: 'beta', title: 'β' }, { field: 'loss', title: t('atlas.chart.landscape.loss'), format: '.3f' }],
            },
          },
          { mark: { type: 'point', shape: 'cross', size: 60, color: 'white', filled: true }, transform: [{ filter: 'datum.alpha === 0 && datum.beta === 0' }], encoding: { x: { field: 'alpha', type: 'quantitative' }, y: { field: 'beta', type: 'quantitative' } } },
        ],
      },
      resolve: { scale: { color: 'shared', stroke: 'shared' } },
    } as never;
  },
  describe(d, t, lang) {
    const parts = ORDER.flatMap((m) => REGIMES.flatMap((r) => {
      const s = d.surfaces.find((x) => x.model === m && x.regime === r);
      const g = d.groups.find((x) => x.model === m && x.regime === r);
      if (!s || !g) return [];
      const max = Math.max(...s.loss.flat());
      const name = `${t(`atlas.miniModel.${m}`)} · ${t(`atlas.chart.landscape.regime.${r}`)}`;
      return lang === 'ja'
        ? [`${name}: 中心で ${f(s.trainedLoss, lang, 3)}、格子内の最大 ${f(max, lang, 2)}、距離 ${d.config.radius} 以内の平均上昇量 ${f(g.rise.mean, lang, 3)}（${g.seeds} シード平均）`]
        : [`${name}: ${f(s.trainedLoss, lang, 3)} at the centre, at most ${f(max, lang, 2)} on the grid, mean rise ${f(g.rise.mean, lang, 3)} within ${d.config.radius} (mean of ${g.seeds} seeds)`];
    }));
    return lang === 'ja'
      ? `${d.config.grid}×${d.config.grid} 格子、学習画像 ${d.config.evalImages} 枚での交差エントロピー損失。${parts.join('。')}。`
      : `Cross-entropy on ${d.config.evalImages} training images over a ${d.config.grid}×${d.config.grid} grid. ${parts.join('. ')}.`;
  },
};

export const lossLandscapeSlices: ChartDef<LandscapeData> = {
  id: 'loss-landscape/slices',
  titleKey: 'atlas.chart.landscape.slices.title',
  captionKey: 'atlas.chart.landscape.slices.caption',
  source: 'scripts/experiments/loss-landscape.ts',
  async load() { return load(); },
  rows(d) {
    return d.slices.map((s) => ({ model: s.model, regime: s.regime, seed: s.seed, dir: s.dir, t: s.t, loss: s.loss }));
  },
  spec(rows, t) {
    const models = ORDER.filter((m) => rows.some((r) => r.model === m));
    const label = (m: string) => t(`atlas.miniModel.${m}`);
    const dir = (x: string) => t(`atlas.chart.landscape.slices.dir.${x}`);
    const regime = (r: string) => t(`atlas.chart.landscape.regime.${r}`);
    const values = rows.map((r: Row) => ({ ...r, modelLabel: label(String(r.model)), regimeLabel: regime(String(r.regime)), dirLabel: dir(String(r.dir)), line: `${r.model}-${r.regime}-${r.seed}-${r.dir}` }));
    return {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: t('atlas.chart.landscape.slices.title'),
      description: t('atlas.chart.landscape.slices.caption'),
      config: chartConfig,
      data: { values },
      facet: { column: { field: 'dirLabel', type: 'nominal', sort: ['x', 'y'].map(dir), title: null, header: { labelFontSize: 12 } } },
      spec: {
        width: 260,
        height: 220,
        mark: { type: 'line', strokeWidth: 1.5, opacity: 0.85, tooltip: true },
        encoding: {
          x: { field: 't', type: 'quantitative', title: t('atlas.chart.landscape.slices.x') },
          y: { field: 'loss', type: 'quantitative', title: t('atlas.chart.landscape.slices.y'), scale: { type: 'log' } },
          color: { field: 'modelLabel', type: 'nominal', title: t('atlas.chart.landscape.model'), sort: models.map(label), scale: modelColour(t, models) },
          strokeDash: { field: 'regimeLabel', type: 'nominal', title: t('atlas.chart.landscape.regime.title'), sort: REGIMES.map(regime), scale: { domain: REGIMES.map(regime), range: [[1, 0], [4, 3]] } },
          detail: { field: 'line' },
        },
      },
    } as never;
  },
  describe(d, t, lang) {
    const parts = ORDER.flatMap((m) => REGIMES.flatMap((r) => {
      const g = d.groups.find((x) => x.model === m && x.regime === r);
      if (!g) return [];
      const name = `${t(`atlas.miniModel.${m}`)} · ${t(`atlas.chart.landscape.regime.${r}`)}`;
      return lang === 'ja'
        ? [`${name}: 平均上昇量 ${f(g.rise.mean, lang, 3)}（95% 区間 ${f(g.rise.ci95[0], lang, 3)}〜${f(g.rise.ci95[1], lang, 3)}）、凹になる点の割合 ${f(g.negativeCurvature.mean * 100, lang, 0)}%、中心での曲率 ${f(g.centreCurvature.mean, lang, 2)}`]
        : [`${name}: mean rise ${f(g.rise.mean, lang, 3)} (95% interval ${f(g.rise.ci95[0], lang, 3)} to ${f(g.rise.ci95[1], lang, 3)}), ${f(g.negativeCurvature.mean * 100, lang, 0)}% of points concave, curvature ${f(g.centreCurvature.mean, lang, 2)} at the centre`];
    }));
    return lang === 'ja'
      ? `距離 ${d.config.radius} 以内、${d.config.seeds} シードの平均。${parts.join('。')}。`
      : `Within distance ${d.config.radius}, mean of ${d.config.seeds} seeds. ${parts.join('. ')}.`;
  },
};
