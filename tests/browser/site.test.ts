/**
 * The built site in a real browser (Debian's chromium via playwright-core): both languages,
 * the language switcher, search through the real Pagefind UI, charts, the model list.
 * Any console error or failed request fails the test that caused it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM, hasChromium } from '../helpers/system-deps';
import { serveDir } from '../helpers/static-server';
import { DIST, ensureBuiltSite } from '../helpers/built-site';

const run = hasChromium();
let browser: Browser;
let server: Awaited<ReturnType<typeof serveDir>>;

beforeAll(async () => {
  if (!run) return;
  ensureBuiltSite();
  server = await serveDir(DIST);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens a page that records console errors and failed requests; `check()` asserts there were none. */
async function open(path: string): Promise<{ page: Page; check: () => Promise<void> }> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`));
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  await page.goto(server.url + path, { waitUntil: 'networkidle' });
  return {
    page,
    check: async () => {
      await page.close();
      expect(problems, `problems on ${path}`).toEqual([]);
    },
  };
}

async function search(page: Page, query: string): Promise<string[]> {
  await page.click('button[data-open-modal]:not([disabled])');
  const input = page.locator('#starlight__search .pagefind-ui__search-input');
  await input.fill(query);
  await page.waitForSelector('.pagefind-ui__result-link', { timeout: 20_000 });
  await page.waitForTimeout(300);
  return page.$$eval('.pagefind-ui__result-link', (links) => links.map((a) => (a as HTMLAnchorElement).pathname));
}

describe.skipIf(!run)('built site in Chromium', () => {
  it('serves the English home with lang=en and hreflang links', async () => {
    const { page, check } = await open('/');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    const hreflangs = await page.$$eval('link[rel="alternate"][hreflang]', (ls) => ls.map((l) => l.getAttribute('hreflang')));
    expect(hreflangs).toEqual(expect.arrayContaining(['en', 'ja']));
    expect(await page.textContent('h1')).toContain('CNN×ViT');
    await check();
  });

  it('serves the Japanese home with lang=ja and Japanese UI', async () => {
    const { page, check } = await open('/ja/');
    expect(await page.getAttribute('html', 'lang')).toBe('ja');
    expect(await page.textContent('body')).toContain('解説記事');
    await check();
  });

  it('switches language with the language picker, keeping the page', async () => {
    const { page, check } = await open('/experiments/how-figures-are-made/');
    await Promise.all([page.waitForURL('**/ja/experiments/how-figures-are-made/'), page.selectOption('starlight-lang-select select', { label: '日本語' })]);
    expect(await page.getAttribute('html', 'lang')).toBe('ja');
    expect(await page.textContent('h1')).toContain('図の作り方');
    await check();
  });

  it('finds English content through the real search UI', async () => {
    const { page, check } = await open('/');
    const hits = await search(page, 'shifted window');
    expect(hits).toContain('/models/swin-t/');
    expect(hits.every((h) => !h.startsWith('/ja/'))).toBe(true);
    await check();
  });

  it('finds Japanese content through the real search UI (ウィンドウ, ダウンサンプリング, シフトウィンドウ)', async () => {
    const { page, check } = await open('/ja/');
    const windowHits = await search(page, 'ウィンドウ');
    expect(windowHits.some((h) => /\/ja\/(models\/(swin|cswin|nat|focal|maxvit)|articles\/hybrid-patterns)/.test(h))).toBe(true);
    expect(windowHits.every((h) => h.startsWith('/ja/'))).toBe(true);
    await page.keyboard.press('Escape');
    const downHits = await search(page, 'ダウンサンプリング');
    expect(downHits.some((h) => /\/ja\/(models\/(pvt|pvtv2|twins|mvitv2|cmt|next-vit)|articles\/(hybrid-patterns|vit-weaknesses))/.test(h))).toBe(true);
    await page.keyboard.press('Escape');
    const swinHits = await search(page, 'シフトウィンドウ');
    expect(swinHits).toContain('/ja/models/swin-t/');
    // Pagefind's own UI strings are Japanese too (result count, clear button).
    expect(await page.textContent('#starlight__search .pagefind-ui__message')).toMatch(/シフトウィンドウ の検索結果[:：] ?\d+ 件/);
    expect(await page.textContent('#starlight__search .pagefind-ui__search-clear')).toContain('クリア');
    await check();
  });

  it('renders every chart as SVG with localized text, in both languages', async () => {
    for (const [path, expected] of [
      ['/experiments/how-figures-are-made/', 'Input resolution'],
      ['/ja/experiments/how-figures-are-made/', '入力解像度'],
      ['/models/', 'top-1'],
      ['/ja/models/', '精度'],
    ] as const) {
      const { page, check } = await open(path);
      const charts = await page.$$('.atlas-chart');
      expect(charts.length, path).toBeGreaterThan(0);
      for (const chart of charts) {
        // A heavy chart is a lazily loaded SVG file (charts/svg-file.ts): read the file the page shows.
        const file = await chart.$eval('.atlas-chart__svg', (div) => div.querySelector<HTMLImageElement>('img.atlas-chart__file:not([hidden])')?.getAttribute('src') ?? null);
        const svgText = file
          ? await page.evaluate(async (src) => new DOMParser().parseFromString(await (await fetch(src)).text(), 'image/svg+xml').documentElement.textContent ?? '', file)
          : await chart.$eval('.atlas-chart__svg svg', (svg) => svg.textContent ?? '');
        expect(svgText, path).toContain(expected);
      }
      await check();
    }
  });

  it('loads the interactive chart view only on request', async () => {
    const { page, check } = await open('/experiments/how-figures-are-made/');
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    expect(await page.isHidden('.atlas-chart__live')).toBe(true);
    await page.click('.atlas-chart__interactive');
    await page.waitForSelector('.atlas-chart__live svg, .atlas-chart__live canvas', { timeout: 20_000 });
    expect(requested.some((u) => u.endsWith('.vl.json'))).toBe(true);
    await check();
  });

  it('filters and sorts the model list', async () => {
    const { page, check } = await open('/models/');
    const visible = () => page.$$eval('.atlas-models tbody tr:not([hidden])', (rows) => rows.map((r) => (r as HTMLElement).dataset.slug));
    const all = await visible();
    expect(all.length).toBeGreaterThanOrEqual(40);
    await page.selectOption('select[name="group"]', 'local-attention');
    const local = await visible();
    expect(local).toContain('swin-t');
    expect(local).not.toContain('resnet-50');
    expect(new URL(page.url()).searchParams.get('group')).toBe('local-attention');
    await page.selectOption('select[name="group"]', '');
    await page.click('th[data-key="year"] button');
    const years = await page.$$eval('.atlas-models tbody tr', (rows) => rows.map((r) => Number((r as HTMLElement).dataset.year)));
    expect(years).toEqual([...years].sort((a, b) => a - b));
    await page.click('th[data-key="year"] button');
    const desc = await page.$$eval('.atlas-models tbody tr', (rows) => rows.map((r) => Number((r as HTMLElement).dataset.year)));
    expect(desc).toEqual([...desc].sort((a, b) => b - a));
    await check();
  });

  it('the model list works without JavaScript as a plain table', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(server.url + '/ja/models/');
    const rows = await page.$$('.atlas-models tbody tr');
    expect(rows.length).toBeGreaterThanOrEqual(40);
    expect(await page.isHidden('.atlas-models__filters')).toBe(true);
    await context.close();
  });
});
