/** Vega-Lite spec → static SVG string, in Node at build time (vega's 'none' renderer, no canvas). */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { estimateTextWidth } from './text-width';

// Replace vega's width estimate (see text-width.ts); done once per process. vega exports
// textMetrics at runtime (from vega-scenegraph) but its typings omit it.
type TextMetrics = { width: (item: { fontSize?: number }, text: unknown) => number };
(vega as unknown as { textMetrics: TextMetrics }).textMetrics.width = (item, text) => {
  const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
  return estimateTextWidth(text == null ? '' : String(text).trim(), size);
};

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  let vgSpec;
  try {
    vgSpec = compile(spec).spec;
  } catch (err) {
    throw new Error(`Vega-Lite could not compile the chart spec "${spec.title ?? spec.description ?? '?'}": ${(err as Error).message}`);
  }
  const view = new vega.View(vega.parse(vgSpec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
