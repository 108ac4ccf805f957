/**
 * Where the site shows a chart: a verdict names its experiment's chart, and the pages that place
 * `<Chart experiment=… chart=… />` are found here, so no experiment writes a page URL (and a chart
 * named by a verdict but not placed on any page yet is reported as such).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Every page (its path, e.g. 'articles/shape-vs-texture') in `lang` that places `<Chart experiment=… chart=…>`;
 * pages that also quote the experiment's `<Verdict>` come first.
 */
export function chartPages(experiment: string, chart: string, lang: 'en' | 'ja' = 'en'): string[] {
  const root = join(process.cwd(), 'src/content/docs', lang === 'ja' ? 'ja' : '');
  const tag = new RegExp(`<Chart\\s+experiment="${experiment}"\\s+chart="${chart}"`);
  const verdict = new RegExp(`<Verdict\\s+experiment="${experiment}"`);
  const quoted = new Set<string>();
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      if (e.isDirectory()) return lang === 'en' && dir === root && e.name === 'ja' ? [] : walk(join(dir, e.name));
      if (!e.name.endsWith('.mdx')) return [];
      const source = readFileSync(join(dir, e.name), 'utf8');
      if (!tag.test(source)) return [];
      const page = relative(root, join(dir, e.name)).replace(/\.mdx$/, '');
      if (verdict.test(source)) quoted.add(page);
      return [page];
    });
  return walk(root).sort((a, b) => Number(quoted.has(b)) - Number(quoted.has(a)) || a.localeCompare(b));
}

/** Where a verdict's chart is shown in `lang`: the page path plus the figure's anchor, or undefined while no page places it. */
export function chartHref(experiment: string, chart: string, lang: 'en' | 'ja'): string | undefined {
  const [page] = chartPages(experiment, chart, lang);
  return page === undefined ? undefined : `${lang === 'ja' ? '/ja' : ''}/${page}/#chart-${experiment}-${chart}`;
}
