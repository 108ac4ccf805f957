/**
 * Light pages: no built HTML page over 300 KB. Heavy charts are served as lazily loaded files
 * (src/components/charts/svg-file.ts), and their pages keep the text description search needs.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DIST, ensureBuiltSite } from '../helpers/built-site';

const MAX_HTML_BYTES = 300 * 1024;

function htmlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'pagefind' || name === '_astro' ? [] : htmlFiles(p);
    return name.endsWith('.html') ? [p] : [];
  });
}

describe('page weight', () => {
  beforeAll(() => ensureBuiltSite());

  it(`every built page is at most ${MAX_HTML_BYTES / 1024} KB of HTML`, () => {
    const files = htmlFiles(DIST);
    expect(files.length).toBeGreaterThan(20);
    const heavy = files
      .map((f) => ({ f, kb: statSync(f).size / 1024 }))
      .filter(({ kb }) => kb * 1024 > MAX_HTML_BYTES)
      .map(({ f, kb }) => `${f}: ${kb.toFixed(0)} KB (move its largest charts out: INLINE_SVG_BUDGET in src/components/charts/svg-file.ts)`);
    expect(heavy).toEqual([]);
  });

  it('a chart shown as a file keeps its text description in the page, and both theme files exist', () => {
    // Every article (in both languages): which charts are files depends on which experiments have results.
    const pages = htmlFiles(DIST).filter((f) => f.includes('/articles/'));
    const figures = pages.flatMap((page) => [...readFileSync(page, 'utf8').matchAll(/<figure class="atlas-chart[\s\S]*?<\/figure>/g)].map((m) => m[0]));
    const asFiles = figures.filter((f) => f.includes('atlas-chart__file'));
    expect(asFiles.length).toBeGreaterThan(0);
    for (const figure of asFiles) {
      const description = /<details class="atlas-chart__describe"[\s\S]*?<p>([^<]+)<\/p>/.exec(figure)?.[1] ?? '';
      expect(description.length, figure.slice(0, 200)).toBeGreaterThan(40);
      const srcs = [...figure.matchAll(/<img class="atlas-chart__file"[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]!);
      expect(srcs.map((s) => s.replace(/^.*\.(light|dark)\.svg$/, '$1')).sort()).toEqual(['dark', 'light']);
      for (const src of srcs) {
        const svg = readFileSync(join(DIST, src), 'utf8');
        expect(svg.startsWith('<svg color="'), src).toBe(true);
      }
      expect(figure).toMatch(/loading="lazy"/);
    }
  });
});
