/**
 * Shared Vega-Lite config: fonts that carry Japanese glyphs, and ink that follows the page theme.
 * Text, axes, grid and reference rules are drawn in `currentColor` on a transparent background;
 * the page sets `color` on the chart (src/styles/atlas.css), so one static SVG reads in light
 * and dark themes. Data colours (PALETTE) are fixed: a group has the same colour everywhere.
 */
import type { Config } from 'vega-lite';

export const FONT = "'Noto Sans CJK JP', 'Noto Sans JP', 'Hiragino Sans', 'Yu Gothic', system-ui, sans-serif";

/** The page's text colour, inherited through CSS `color`. */
export const INK = 'currentColor';
/** Secondary ink (reference rules, frames): the text colour, faded. */
export const FAINT = 0.55;
/** The smallest text a chart draws, in px at natural size (charts are never scaled down on the page). */
export const MIN_FONT = 11;

/** One colour per group/mechanism, fixed so a group has the same colour on every chart. */
export const PALETTE = ['#4c78a8', '#f58518', '#54a24b', '#e45756', '#72b7b2', '#b279a2', '#eeca3b', '#9d755d'];

export const chartConfig: Config = {
  font: FONT,
  background: 'transparent',
  padding: 8,
  view: { stroke: INK, strokeOpacity: 0.25 },
  axis: {
    labelFontSize: MIN_FONT,
    titleFontSize: 12,
    labelColor: INK,
    titleColor: INK,
    domainColor: INK,
    tickColor: INK,
    gridColor: INK,
    gridOpacity: 0.12,
  },
  legend: { labelFontSize: MIN_FONT, titleFontSize: 12, labelColor: INK, titleColor: INK, orient: 'bottom', columns: 2, labelLimit: 320 },
  header: { labelFontSize: MIN_FONT, titleFontSize: 12, labelColor: INK, titleColor: INK },
  title: { fontSize: 14, anchor: 'start', color: INK, subtitleColor: INK },
  text: { color: INK, fontSize: MIN_FONT },
  rule: { color: INK },
};
