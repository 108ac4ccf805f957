/**
 * Whether a page already shows a chart of an experiment: verdicts point at the page and chart
 * where the figure belongs, but the figure may not be placed in the article yet.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** `chart` is a verdict's English page path with '#chart-<experiment>-<name>'; `lang` picks that page's translation. */
export function chartIsPlaced(chart: string, experiment: string, lang: 'en' | 'ja' = 'en'): boolean {
  const [path, hash] = chart.split('#') as [string, string | undefined];
  const file = join(process.cwd(), 'src/content/docs', lang === 'ja' ? 'ja' : '', `${path.replace(/^\/|\/$/g, '')}.mdx`);
  if (!hash || !existsSync(file)) return false;
  const name = hash.slice(`chart-${experiment}-`.length);
  const source = readFileSync(file, 'utf8');
  return new RegExp(`<Chart\\s+experiment="${experiment}"\\s+chart="${name}"`).test(source);
}
