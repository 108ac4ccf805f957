/** Every internal link and asset in the built site resolves to a file in dist/. */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DIST, ensureBuiltSite } from '../helpers/built-site';

function htmlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'pagefind' ? [] : htmlFiles(p);
    return name.endsWith('.html') ? [p] : [];
  });
}

const ids = new Map<string, Set<string>>();
function idsOf(htmlFile: string): Set<string> {
  if (!ids.has(htmlFile)) ids.set(htmlFile, new Set([...readFileSync(htmlFile, 'utf8').matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!)));
  return ids.get(htmlFile)!;
}

function targetFile(pathname: string): string {
  const p = join(DIST, decodeURIComponent(pathname));
  return pathname.endsWith('/') || !existsSync(p) || !statSync(p).isFile() ? join(p, 'index.html') : p;
}

function resolves(pathname: string): boolean {
  const p = join(DIST, decodeURIComponent(pathname));
  if (pathname.endsWith('/')) return existsSync(join(p, 'index.html'));
  return existsSync(p) && statSync(p).isFile() ? true : existsSync(join(p, 'index.html'));
}

describe('internal links', () => {
  beforeAll(() => ensureBuiltSite());

  it('resolve to built files', () => {
    const broken: string[] = [];
    const files = htmlFiles(DIST);
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      const html = readFileSync(file, 'utf8');
      for (const m of html.matchAll(/\s(?:href|src)="([^"]+)"/g)) {
        const raw = m[1]!.replace(/&amp;/g, '&');
        if (/^(https?:|mailto:|data:|#|\/\/)/.test(raw)) continue;
        const url = new URL(raw, `http://site/${file.slice(DIST.length + 1)}`);
        if (!resolves(url.pathname)) broken.push(`${file}: ${raw}`);
        else if (url.hash && targetFile(url.pathname).endsWith('.html') && !idsOf(targetFile(url.pathname)).has(decodeURIComponent(url.hash.slice(1)))) {
          broken.push(`${file}: ${raw} (no element with that id)`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it('Japanese pages link to Japanese pages (no accidental jumps to English content)', () => {
    const crossings: string[] = [];
    for (const file of htmlFiles(join(DIST, 'ja'))) {
      const main = /<main[\s\S]*<\/main>/.exec(readFileSync(file, 'utf8'))?.[0] ?? '';
      for (const m of main.matchAll(/\shref="(\/(?:articles|models|experiments)\/[^"]*)"/g)) crossings.push(`${file}: ${m[1]}`);
    }
    expect(crossings).toEqual([]);
  });
});
