/**
 * axe-core (WCAG 2 A/AA and best practice) on the main kinds of page, in both languages and both
 * themes, at laptop and phone widths. Serious or critical violations fail, named with their targets.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium } from '../helpers/system-deps';
import { builtPages, openBuiltSite, themedContext, type Theme } from '../helpers/browser';
import { DIST, ensureBuiltSite } from '../helpers/built-site';
import { seriousAxeViolations } from '../helpers/axe';

const run = hasChromium();
let site: Awaited<ReturnType<typeof openBuiltSite>>;
beforeAll(async () => {
  if (run) site = await openBuiltSite();
});
afterAll(async () => site?.close());

const PAGES = ['/', '/articles/vit-weaknesses/', '/models/', '/models/swin-t/', '/experiments/how-figures-are-made/', '/experiments/claims-ledger/', '/lab/'];

describe.skipIf(!run)('accessibility (axe-core)', () => {
  for (const theme of ['light', 'dark'] as Theme[]) {
    for (const width of [1280, 390]) {
      it(`no serious or critical violations, ${theme} theme, ${width} px`, async () => {
        const context = await themedContext(site.browser, { width, theme });
        const page = await context.newPage();
        const failures: string[] = [];
        for (const path of [...PAGES, ...PAGES.map((p) => `/ja${p}`)]) {
          await page.goto(site.url + path, { waitUntil: 'networkidle' });
          failures.push(...(await seriousAxeViolations(page)).map((v) => `${path} ${v}`));
        }
        await context.close();
        expect(failures, failures.join('\n')).toEqual([]);
      }, 300_000);
    }
  }

  it('marks the link to the other language with its language', async () => {
    const context = await themedContext(site.browser, { width: 1280, theme: 'light' });
    const page = await context.newPage();
    for (const [path, other, lang] of [['/', '/ja/', 'ja'], ['/ja/', '/', 'en']] as const) {
      await page.goto(site.url + path);
      const links = await page.$$eval(`main a[href="${other}"]`, (as) => as.map((a) => a.closest('[lang]')?.getAttribute('lang')));
      expect(links.length, `${path} has no link to ${other} in its content`).toBeGreaterThan(0);
      for (const l of links) expect(l, `${path}: link to ${other}`).toBe(lang);
    }
    await context.close();
  });
});

/** Header cells of a table's <thead> that name nothing: a <td>, or a <th> without text. */
function unnamedHeaderCells(html: string): string[] {
  const bad: string[] = [];
  for (const [, head] of html.matchAll(/<thead>([\s\S]*?)<\/thead>/g)) {
    for (const [cell, tag, inner] of head!.matchAll(/<(td|th)\b[^>]*>([\s\S]*?)<\/\1>/g)) {
      const text = inner!.replace(/<[^>]+>/g, '').trim();
      if (tag === 'td' || !text) bad.push(cell!.slice(0, 80));
    }
  }
  return bad;
}

describe('table headers', () => {
  beforeAll(() => ensureBuiltSite());

  it('recognises an empty corner cell', () => {
    expect(unnamedHeaderCells('<table><thead><tr><td></td><th scope="col">Ours</th></tr></thead></table>')).toHaveLength(1);
    expect(unnamedHeaderCells('<table><thead><tr><th scope="col"></th></tr></thead></table>')).toHaveLength(1);
    expect(unnamedHeaderCells('<table><thead><tr><th scope="col"><abbr title="x">Params</abbr></th></tr></thead></table>')).toEqual([]);
  });

  it('every column of every table on every built page has a named header', () => {
    const failures: string[] = [];
    let tables = 0;
    for (const path of builtPages()) {
      const file = join(DIST, path.endsWith('/') ? `${path}index.html` : path);
      const html = readFileSync(file, 'utf8');
      tables += (html.match(/<thead>/g) ?? []).length;
      for (const cell of unnamedHeaderCells(html)) failures.push(`${path}: ${cell}`);
    }
    expect(tables).toBeGreaterThan(80);
    expect(failures, failures.slice(0, 20).join('\n')).toEqual([]);
  });
});
