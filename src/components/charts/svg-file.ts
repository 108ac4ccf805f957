/**
 * Heavy charts as files. A chart whose SVG is larger than INLINE_SVG_BUDGET is not inlined in the
 * page: it is served as /charts/<experiment>/<chart>.<lang>.<theme>.svg and shown with a lazily
 * loaded <img>, so no page carries hundreds of KB of markup (the page keeps the chart's text
 * description, which search indexes). An <img> cannot inherit the page's `color`, which the inline
 * charts draw their ink with (theme.ts), so each theme gets its own file with the ink set.
 */
import { makeT, type Lang } from '~/lib/i18n/t';
import type { ChartDef } from './types';
import { renderSvg } from './render-svg';

/** Bytes of SVG above which a chart becomes a lazily loaded file (keeps every page under 300 KB of HTML). */
export const INLINE_SVG_BUDGET = 36_000;

/** Starlight's --sl-color-white in each theme: the ink the inline charts inherit (src/styles/atlas.css). */
export const THEME_INK = { light: 'hsl(224, 10%, 10%)', dark: 'hsl(0, 0%, 100%)' } as const;
export type Theme = keyof typeof THEME_INK;
export const THEMES = Object.keys(THEME_INK) as Theme[];

const rendered = new Map<string, Promise<string>>();

/** The chart's SVG in `lang`, rendered once per build (the page and the file share it). */
export function chartSvg<D>(def: ChartDef<D>, data: D, lang: Lang): Promise<string> {
  const key = `${def.id}|${lang}`;
  let svg = rendered.get(key);
  if (!svg) {
    svg = renderSvg(def.spec(def.rows(data), makeT(lang), lang));
    rendered.set(key, svg);
  }
  return svg;
}

export function isHeavy(svg: string): boolean {
  return Buffer.byteLength(svg, 'utf8') > INLINE_SVG_BUDGET;
}

/** Natural size of a rendered chart, for the <img> width/height (no layout shift while it loads). */
export function svgBox(svg: string): { width: number; height: number } {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? '';
  const width = Number(/\swidth="([\d.]+)"/.exec(root)?.[1]);
  const height = Number(/\sheight="([\d.]+)"/.exec(root)?.[1]);
  if (!(width > 0 && height > 0)) throw new Error(`chart SVG has no width/height on its root element: ${root.slice(0, 200)}`);
  return { width: Math.round(width), height: Math.round(height) };
}

/** The standalone file for one theme: the root element carries the ink that `currentColor` resolves to. */
export function themedSvg(svg: string, theme: Theme): string {
  if (!/^<svg\b/.test(svg)) throw new Error('chart SVG does not start with its <svg> element');
  return svg.replace(/^<svg\b/, `<svg color="${THEME_INK[theme]}"`);
}

/** File name (after /charts/<experiment>/) of a chart's SVG for one language and theme. */
export const svgFileName = (chart: string, lang: Lang, theme: Theme) => `${chart}.${lang}.${theme}.svg`;
