/** Shared Vega-Lite config: fonts that carry Japanese glyphs, colours that survive light and dark themes. */
import type { Config } from 'vega-lite';

export const FONT = "'Noto Sans CJK JP', 'Noto Sans JP', 'Hiragino Sans', 'Yu Gothic', system-ui, sans-serif";

/** One colour per group/mechanism, fixed so a group has the same colour on every chart. */
export const PALETTE = ['#4c78a8', '#f58518', '#54a24b', '#e45756', '#72b7b2', '#b279a2', '#eeca3b', '#9d755d'];

export const chartConfig: Config = {
  font: FONT,
  background: 'white',
  padding: 8,
  view: { stroke: '#ccc' },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#e6e6e6' },
  legend: { labelFontSize: 11, titleFontSize: 12, orient: 'bottom', columns: 2, labelLimit: 320 },
  title: { fontSize: 14, anchor: 'start' },
};
