/**
 * No built page scrolls sideways on a phone: every page at 390 px and 320 px, light theme
 * (widths do not depend on the theme). Wide tables and charts must scroll inside their own
 * container. A failure names the page and the element that sticks out furthest.
 * On a laptop (1280 px, the content column beside the table of contents) no chart or table scrolls at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { hasChromium } from '../helpers/system-deps';
import { builtPages, openBuiltSite, themedContext } from '../helpers/browser';

const run = hasChromium();
let site: Awaited<ReturnType<typeof openBuiltSite>>;

beforeAll(async () => {
  if (run) site = await openBuiltSite();
});
afterAll(async () => site?.close());

/** In the page: if the document is wider than the viewport, the element whose right edge is furthest out. */
function widestOffender(): { docWidth: number; viewport: number; element: string; right: number } | null {
  const viewport = document.documentElement.clientWidth;
  const docWidth = document.documentElement.scrollWidth;
  if (docWidth <= viewport) return null;
  const describe = (el: Element) => {
    const parts: string[] = [];
    for (let e: Element | null = el; e && e !== document.body && parts.length < 4; e = e.parentElement) {
      const cls = [...e.classList].slice(0, 2).map((c) => `.${c}`).join('');
      parts.unshift(`${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${cls}`);
    }
    return parts.join(' > ');
  };
  let worst = null as Element | null;
  let right = viewport;
  // Depth-first, parents before children (so on a tie the outermost element is named); the
  // content of an element that scrolls or clips on its own is not the page's overflow.
  const visit = (el: Element) => {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > right + 0.5) {
      right = r.right;
      worst = el;
    }
    if (getComputedStyle(el).overflowX !== 'visible') return;
    for (const child of el.children) visit(child);
  };
  for (const child of document.body.children) visit(child);
  return { docWidth, viewport, element: worst ? describe(worst) : '(none found: body margin?)', right: Math.round(right) };
}

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
