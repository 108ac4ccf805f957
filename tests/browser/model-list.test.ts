/**
 * The model list at laptop width and without JavaScript, and the table of contents of model pages.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium } from '../helpers/system-deps';
import { builtPages, openBuiltSite, themedContext } from '../helpers/browser';
import { DIST, ensureBuiltSite } from '../helpers/built-site';

const run = hasChromium();
let site: Awaited<ReturnType<typeof openBuiltSite>>;
beforeAll(async () => {
  if (run) site = await openBuiltSite();
});
afterAll(async () => site?.close());

describe.skipIf(!run)('model list', () => {
  it('fits the content column at 1280 px, headings on one line', async () => {
    const context = await themedContext(site.browser, { width: 1280, theme: 'light' });
    const page = await context.newPage();
    for (const path of ['/models/', '/ja/models/']) {
      await page.goto(site.url + path);
      const box = await page.$eval('.atlas-models__scroll', (el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
      expect(box.scroll, `${path}: table ${box.scroll} px in a ${box.client} px column`).toBeLessThanOrEqual(box.client);
      const lines = await page.$$eval('.atlas-models__table thead th', (ths) =>
        ths.map((th) => ({ text: th.textContent?.trim(), lines: Math.round(th.getBoundingClientRect().height / parseFloat(getComputedStyle(th).lineHeight)) })),
      );
      for (const l of lines) expect(l.lines, `${path}: heading "${l.text}"`).toBeLessThanOrEqual(2);
    }
    await context.close();
  });

  it('without JavaScript: no dead controls, and static pages per group and year narrow the list', async () => {
    const context = await themedContext(site.browser, { width: 1280, theme: 'light', javaScript: false });
    const page = await context.newPage();
    for (const prefix of ['', '/ja']) {
      await page.goto(`${site.url}${prefix}/models/`);
      expect(await page.$$('.atlas-models table button'), `${prefix}/models/: sort buttons need JS`).toHaveLength(0);
      expect(await page.isHidden('.atlas-models__filters')).toBe(true);
      for (const b of await page.$$('.atlas-chart__interactive')) expect(await b.isHidden()).toBe(true);
      const all = await page.$$eval('.atlas-models tbody tr', (rows) => rows.map((r) => (r as HTMLElement).dataset.slug));

      await Promise.all([page.waitForURL(`**${prefix}/models/group/local-attention/`), page.click('.atlas-models__browse a[href$="/group/local-attention/"]')]);
      const local = await page.$$eval('.atlas-models tbody tr', (rows) => rows.map((r) => (r as HTMLElement).dataset.slug));
      expect(local).toContain('swin-t');
      expect(local).not.toContain('resnet-50');
      expect(local.length).toBeLessThan(all.length);
      expect(await page.getAttribute('html', 'lang')).toBe(prefix ? 'ja' : 'en');

      await Promise.all([page.waitForURL(`**${prefix}/models/year/2021/`), page.click('.atlas-models__browse a[href$="/year/2021/"]')]);
      const years = await page.$$eval('.atlas-models tbody tr', (rows) => rows.map((r) => (r as HTMLElement).dataset.year));
      expect(years.length).toBeGreaterThan(0);
      expect(new Set(years)).toEqual(new Set(['2021']));
    }
    await context.close();
  });
});

describe('model pages', () => {
  beforeAll(() => ensureBuiltSite());

  it('list every h2 in the table of contents, in page order', () => {
    const pages = builtPages().filter((p) => /^(\/ja)?\/models\/[^/]+\/$/.test(p) && !/\/models\/(group|year)\//.test(p));
    expect(pages.length).toBeGreaterThan(60);
    for (const path of pages) {
      const html = readFileSync(join(DIST, path, 'index.html'), 'utf8');
      const main = html.slice(html.indexOf('<main'), html.indexOf('</main>'));
      const h2 = [...main.matchAll(/<h2[^>]*\sid="([^"]+)"/g)].map((m) => m[1]);
      const toc = html.match(/<starlight-toc[\s\S]*?<\/starlight-toc>/)?.[0] ?? '';
      const links = [...toc.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]).filter((id) => h2.includes(id));
      expect(h2.length, path).toBeGreaterThan(2);
      expect(links, `${path}: TOC`).toEqual(h2);
    }
  });
});

describe.skipIf(!run)('accuracy-against-compute chart', () => {
  it('names every model it cannot plot, and its point labels do not overlap', async () => {
    const context = await themedContext(site.browser, { width: 1280, theme: 'light' });
    const page = await context.newPage();
    for (const path of ['/models/', '/ja/models/']) {
      await page.goto(site.url + path);
      const unplottable = await page.$$eval('.atlas-models tbody tr', (rows) =>
        rows.filter((r) => !(r as HTMLElement).dataset.gmacs || !(r as HTMLElement).dataset.top1).map((r) => (r as HTMLElement).dataset.name!),
      );
      const note = (await page.textContent('[data-chart="model-list/top1-vs-flops"] .atlas-chart__note')) ?? '';
      for (const name of unplottable) expect(note, `${path}: ${name} missing from the note`).toContain(name);
      // The chart is inline SVG or, when heavy, an image file per theme: measure the SVG either way.
      const boxes = await page.evaluate(async () => {
        const figure = document.querySelector('[data-chart="model-list/top1-vs-flops"]')!;
        let svg = figure.querySelector('.atlas-chart__svg svg');
        if (!svg) {
          const img = figure.querySelector<HTMLImageElement>('img.atlas-chart__file[data-theme-ink="light"]')!;
          const host = document.createElement('div');
          host.innerHTML = await (await fetch(img.src)).text();
          document.body.append(host);
          svg = host.querySelector('svg')!;
        }
        return [...svg.querySelectorAll('.role-mark.mark-text text')].map((t) => {
          const r = t.getBoundingClientRect();
          return { text: t.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom };
        });
      });
      expect(boxes.length, path).toBeGreaterThan(3);
      for (const [i, a] of boxes.entries()) {
        for (const b of boxes.slice(i + 1)) {
          const overlap = a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
          expect(overlap, `${path}: "${a.text}" overlaps "${b.text}"`).toBe(false);
        }
      }
    }
    await context.close();
  });
});
