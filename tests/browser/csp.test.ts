/**
 * The built site under its Content-Security-Policy, in Chromium: every page type in both languages,
 * the search dialog and the interactive chart view opened. Fails on any CSP violation, console error,
 * failed request, or request to another origin. Also checks the policy itself in every built page.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM, hasChromium } from '../helpers/system-deps';
import { serveDir } from '../helpers/static-server';
import { DIST, ensureBuiltSite } from '../helpers/built-site';

/** One page of each type, in both languages. */
const PAGES = [
  '/',
  '/articles/cnn-vs-vit/',
  '/articles/attention-distance-loss-landscape/',
  '/models/',
  '/models/swin-t/',
  '/experiments/how-figures-are-made/',
  '/experiments/claims-ledger/',
  '/lab/',
].flatMap((p) => [p, `/ja${p}`]);

const run = hasChromium();
let browser: Browser;
let server: Awaited<ReturnType<typeof serveDir>>;

beforeAll(async () => {
  ensureBuiltSite();
  if (!run) return;
  server = await serveDir(DIST);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/**
 * Opens `path` and records every problem: CSP violations (reported from the page itself), console
 * errors, uncaught errors, failed requests, HTTP errors and requests that leave the site's origin.
 * `expectStatus` is the document's own status (404 for the not-found page).
 */
async function open(path: string, expectStatus = 200): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage();
  const problems: string[] = [];
  const origin = new URL(server.url).origin;
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber}) ${e.sample}`);
    });
  });
  page.on('console', (msg) => {
    // The browser logs the not-found page's own 404 status, which is expected there.
    const ownStatus = expectStatus !== 200 && msg.location().url === server.url + path && /status of 404/.test(msg.text());
    if (msg.type() === 'error' && !ownStatus) problems.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.protocol !== 'data:' && url.protocol !== 'blob:' && url.origin !== origin) problems.push(`request to another origin: ${req.url()}`);
  });
  page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`));
  page.on('response', (res) => {
    const isDocument = res.request().isNavigationRequest() && res.request().frame() === page.mainFrame();
    if (isDocument ? res.status() !== expectStatus : res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  await page.goto(server.url + path, { waitUntil: 'networkidle' });
  // Lazily loaded images load once they come near the viewport.
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await page.waitForLoadState('networkidle');
  return { page, problems };
}

async function openSearch(page: Page, query: string): Promise<void> {
  await page.click('button[data-open-modal]:not([disabled])');
  await page.locator('#starlight__search .pagefind-ui__search-input').fill(query);
  await page.waitForSelector('.pagefind-ui__result-link', { timeout: 20_000 });
}

function htmlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'pagefind' || name === '_astro' ? [] : htmlFiles(p);
    return name.endsWith('.html') ? [p] : [];
  });
}

describe('the Content-Security-Policy of every built page', () => {
  it('comes first in <head>, allows no inline or eval script, and no other origin', () => {
    const wrong: string[] = [];
    const files = htmlFiles(DIST);
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      const html = readFileSync(file, 'utf8');
      const policy = /<head><meta charset="utf-8"\/?><meta http-equiv="content-security-policy" content="([^"]*)"/.exec(html)?.[1];
      if (!policy) {
        wrong.push(`${file}: no CSP meta tag right after <meta charset>`);
        continue;
      }
      const directives = new Map(policy.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...s]) => [name!, s]));
      const scriptSrc = directives.get('script-src') ?? [];
      if (!scriptSrc.includes("'self'")) wrong.push(`${file}: script-src lacks 'self'`);
      for (const bad of ["'unsafe-inline'", "'unsafe-eval'", '*', 'http:', 'https:', 'data:']) {
        if (scriptSrc.includes(bad)) wrong.push(`${file}: script-src allows ${bad}`);
      }
      if (directives.get('default-src')?.join(' ') !== "'self'") wrong.push(`${file}: default-src is not 'self'`);
      for (const [name, sources] of directives) {
        const remote = sources.filter((s) => /^(https?:|\*|\/\/)/.test(s) || /^[a-z0-9-]+\.[a-z]/i.test(s));
        if (remote.length) wrong.push(`${file}: ${name} allows another origin (${remote.join(' ')})`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe.skipIf(!run)('the built site under its CSP, in Chromium', () => {
  for (const path of PAGES) {
    it(`${path} loads with no CSP violation, console error or request elsewhere`, async () => {
      const { page, problems } = await open(path);
      expect(await page.getAttribute('html', 'lang')).toBe(path.startsWith('/ja/') ? 'ja' : 'en');
      await page.close();
      expect(problems, path).toEqual([]);
    });
  }

  for (const [path, query] of [
    ['/', 'attention'],
    ['/ja/', 'ウィンドウ'],
  ] as const) {
    it(`search works under the CSP on ${path}`, async () => {
      const { page, problems } = await open(path);
      await openSearch(page, query);
      expect(await page.locator('.pagefind-ui__result-link').count()).toBeGreaterThan(0);
      await page.close();
      expect(problems, path).toEqual([]);
    });
  }

  for (const path of ['/experiments/how-figures-are-made/', '/ja/models/']) {
    it(`the interactive chart view renders under the CSP on ${path}`, async () => {
      const { page, problems } = await open(path);
      // The first chart that has data (a pending experiment's chart has no interactive view).
      const figure = page.locator('.atlas-chart:has(.atlas-chart__interactive)').first();
      await figure.locator('.atlas-chart__interactive').click();
      await figure.locator('.atlas-chart__live svg').waitFor({ timeout: 30_000 });
      expect(await figure.locator('.atlas-chart__live svg .mark-text, .atlas-chart__live svg text').count()).toBeGreaterThan(0);
      await page.close();
      expect(problems, path).toEqual([]);
    });
  }

  it('the single 404.html speaks the language of the missing path', async () => {
    for (const [path, lang, heading] of [
      ['/no-such-page/', 'en', 'Page not found'],
      ['/ja/no-such-page/', 'ja', 'ページが見つかりません'],
      ['/ja/models/no-such-model/', 'ja', 'ページが見つかりません'],
    ] as const) {
      const { page, problems } = await open(path, 404);
      expect(await page.getAttribute('html', 'lang'), path).toBe(lang);
      expect(await page.textContent('h1'), path).toContain(heading);
      if (lang === 'ja') {
        expect(await page.title(), path).toContain('ページが見つかりません');
        // The header is Japanese too, and the search opens in Japanese.
        expect(await page.getAttribute('button[data-open-modal]', 'aria-label'), path).not.toBe('Search');
        await page.click('button[data-open-modal]:not([disabled])');
        await page.locator('#starlight__search .pagefind-ui__search-input').fill('ウィンドウ');
        await page.waitForSelector('.pagefind-ui__result-link', { timeout: 20_000 });
        const hits = await page.$$eval('.pagefind-ui__result-link', (links) => links.map((a) => (a as HTMLAnchorElement).pathname));
        expect(hits.every((h) => h.startsWith('/ja/')), path).toBe(true);
      }
      await page.close();
      expect(problems, path).toEqual([]);
    }
  });
});
