/**
 * No built page scrolls sideways on a phone: every page at 390 px and 320 px, light theme
 * (widths do not depend on the theme). Wide tables and charts must scroll inside their own
 * container. A failure names the page and the element that sticks out furthest.
 * On a laptop (1280 px, the content column beside the table of contents) no chart or table scrolls at all.
 * These are the pages as loaded; the lab's answered states (tables, chart, views) are checked in lab.test.ts,
 * which has the weights they need.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { hasChromium } from '../helpers/system-deps';
import { builtPages, openBuiltSite, themedContext } from '../helpers/browser';
import { widestOffender } from '../helpers/overflow';

const run = hasChromium();
let site: Awaited<ReturnType<typeof openBuiltSite>>;

beforeAll(async () => {
  if (run) site = await openBuiltSite();
});
afterAll(async () => site?.close());

async function overflowingPages(browser: Browser, url: string, width: number): Promise<string[]> {
  const context = await themedContext(browser, { width, theme: 'light' });
  const page = await context.newPage();
  const failures: string[] = [];
  for (const path of builtPages()) {
    await page.goto(url + path, { waitUntil: 'load' });
    const o = await page.evaluate(widestOffender);
    if (o) failures.push(`${path}: ${o.docWidth} px wide at ${o.viewport} px; widest: ${o.element} (right edge ${o.right} px)`);
  }
  await context.close();
  return failures;
}

/** Charts and tables (`.atlas-scroll` boxes) on every page that scroll inside their box at `width`. */
async function scrollingBoxes(browser: Browser, url: string, width: number): Promise<string[]> {
  const context = await themedContext(browser, { width, theme: 'light' });
  const page = await context.newPage();
  const failures: string[] = [];
  let charts = 0;
  for (const path of builtPages()) {
    await page.goto(url + path, { waitUntil: 'load' });
    const boxes = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('.atlas-scroll')].map((box) => {
        const chart = box.closest<HTMLElement>('.atlas-chart')?.dataset.chart;
        return { id: chart ?? `.${[...box.classList].join('.')}`, chart: !!chart, client: box.clientWidth, scroll: box.scrollWidth };
      }),
    );
    charts += boxes.filter((b) => b.chart).length;
    for (const b of boxes) if (b.scroll > b.client) failures.push(`${path} ${b.id}: ${b.scroll} px drawn in a ${b.client} px box`);
  }
  await context.close();
  if (charts === 0) failures.push('no chart found on any page');
  return failures;
}

describe.skipIf(!run)('no sideways scrolling', () => {
  it('finds the built pages', () => {
    expect(builtPages().length).toBeGreaterThan(80);
  });

  for (const width of [390, 320]) {
    it(`every page fits ${width} px`, async () => {
      const failures = await overflowingPages(site.browser, site.url, width);
      expect(failures, failures.join('\n')).toEqual([]);
    }, 600_000);
  }

  it('no chart or table scrolls inside its box at 1280 px', async () => {
    const failures = await scrollingBoxes(site.browser, site.url, 1280);
    expect(failures, failures.join('\n')).toEqual([]);
  }, 600_000);
});
