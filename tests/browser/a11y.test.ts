/**
 * axe-core (WCAG 2 A/AA and best practice) on the main kinds of page, in both languages and both
 * themes, at laptop and phone widths. Serious or critical violations fail, named with their targets.
 * axe is evaluated through the DevTools protocol, so the site's Content-Security-Policy still applies to the page itself.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { hasChromium } from '../helpers/system-deps';
import { openBuiltSite, themedContext, type Theme } from '../helpers/browser';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const run = hasChromium();
let site: Awaited<ReturnType<typeof openBuiltSite>>;
beforeAll(async () => {
  if (run) site = await openBuiltSite();
});
afterAll(async () => site?.close());

const PAGES = ['/', '/articles/vit-weaknesses/', '/models/', '/models/swin-t/', '/experiments/how-figures-are-made/', '/experiments/claims-ledger/'];

interface Violation {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

async function axe(page: Page): Promise<Violation[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const w = window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } };
    const result = await w.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  });
}

describe.skipIf(!run)('accessibility (axe-core)', () => {
  for (const theme of ['light', 'dark'] as Theme[]) {
    for (const width of [1280, 390]) {
      it(`no serious or critical violations, ${theme} theme, ${width} px`, async () => {
        const context = await themedContext(site.browser, { width, theme });
        const page = await context.newPage();
        const failures: string[] = [];
        for (const path of [...PAGES, ...PAGES.map((p) => `/ja${p}`)]) {
          await page.goto(site.url + path, { waitUntil: 'networkidle' });
          for (const v of await axe(page)) {
            if (v.impact === 'serious' || v.impact === 'critical') failures.push(`${path} ${v.id} (${v.impact}): ${v.help} — ${v.targets.join(' | ')}`);
          }
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
      for (const l of links) expect(l, `${path}: link to ${other}`).toBe(lang);
    }
    await context.close();
  });
});
