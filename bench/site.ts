/**
 * Site benchmark: Lighthouse (pinned 12.2.3, mobile preset: emulated phone, simulated slow 4G and
 * 4× CPU slowdown) on the built site, served gzip-compressed from dist/ on loopback as a static host
 * (GitHub Pages) serves it, driving Debian's Chromium.
 * Pages: home, an article, the heaviest article, the model list and a model page, in both languages.
 * Writes the category scores, the main metrics and the transfer sizes to bench/results/site.json,
 * with the machine and its load average (scores depend on a quiet machine: run it when nothing else does).
 *
 *   npm run build && npm run bench:site [-- --runs 3]   (CHROMIUM_PATH overrides /usr/bin/chromium)
 *
 * With --runs N each page is measured N times and the run with the median performance score is kept
 * (Lighthouse's own advice for noisy machines). Lighthouse's CPU benchmark index is recorded per run.
 *
 * A benchmark, not a test: nothing here fails on a score.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { createServer } from 'node:net';
import { chromium } from 'playwright-core';
import lighthouse from 'lighthouse';
import { writeJsonAtomic } from '../scripts/lib/io/json-file';
import { machineFacts } from '../scripts/lib/experiments/runner';
import { serveDir } from '../tests/helpers/static-server';
import { CHROMIUM } from '../tests/helpers/system-deps';
import { DIST, parseRuns, requireBuiltSiteAndChromium } from './built-site';

const OUT = 'bench/results/site.json';
const PAGES = [
  { type: 'home', path: '/' },
  { type: 'article', path: '/articles/cnn-vs-vit/' },
  { type: 'heaviest article', path: '/articles/attention-distance-loss-landscape/' },
  { type: 'model list', path: '/models/' },
  { type: 'model page', path: '/models/swin-t/' },
].flatMap((p) => [
  { ...p, lang: 'en' },
  { ...p, lang: 'ja', path: `/ja${p.path}` },
]);
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
const METRICS = ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift', 'speed-index'] as const;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (address && typeof address !== 'string' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

type Audit = { numericValue?: number; details?: { items?: { url?: string; transferSize?: number; resourceType?: string }[] } };

async function main(): Promise<void> {
  const runs = parseRuns(process.argv.slice(2), 1);
  requireBuiltSiteAndChromium();
  const loadStart = os.loadavg();
  const server = await serveDir(DIST, { gzip: true });
  const port = await freePort();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [`--remote-debugging-port=${port}`, '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
  });
  const browserVersion = browser.version();
  const results = [];
  try {
    for (const page of PAGES) {
      const url = server.url + page.path;
      const lhrs = [];
      for (let r = 0; r < runs; r++) {
        const runner = await lighthouse(url, { port, output: 'json', logLevel: 'error', onlyCategories: [...CATEGORIES] });
        if (!runner) throw new Error(`Lighthouse returned nothing for ${url}`);
        if (runner.lhr.runtimeError) throw new Error(`Lighthouse failed on ${url}: ${runner.lhr.runtimeError.code} ${runner.lhr.runtimeError.message}`);
        lhrs.push(runner.lhr);
      }
      lhrs.sort((a, b) => (a.categories.performance?.score ?? 0) - (b.categories.performance?.score ?? 0));
      const lhr = lhrs[Math.floor(lhrs.length / 2)]!;
      const audits = lhr.audits as Record<string, Audit>;
      const requests = audits['network-requests']?.details?.items ?? [];
      const html = requests.find((r) => r.resourceType === 'Document');
      const scores = Object.fromEntries(CATEGORIES.map((c) => [c, Math.round((lhr.categories[c]?.score ?? 0) * 100)]));
      const row = {
        ...page,
        scores,
        metrics: Object.fromEntries(METRICS.map((m) => [m, Math.round((audits[m]?.numericValue ?? NaN) * 1000) / 1000])),
        transferBytes: { total: audits['total-byte-weight']?.numericValue ?? null, html: html?.transferSize ?? null, requests: requests.length },
        domElements: audits['dom-size']?.numericValue ?? null,
        performanceScores: lhrs.map((l) => Math.round((l.categories.performance?.score ?? 0) * 100)),
        benchmarkIndex: lhr.environment.benchmarkIndex,
      };
      console.log(`${page.lang} ${page.type.padEnd(16)} ${CATEGORIES.map((c) => `${c} ${scores[c]}`).join(', ')}; TBT ${row.metrics['total-blocking-time']} ms, ${Math.round((row.transferBytes.total ?? 0) / 1024)} KB`);
      results.push(row);
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const lighthouseVersion = (JSON.parse(readFileSync('node_modules/lighthouse/package.json', 'utf8')) as { version: string }).version;
  writeJsonAtomic(OUT, {
    what: 'Lighthouse mobile preset on the built site (dist/) served gzip-compressed on loopback (as GitHub Pages serves it); per page, the run with the median performance score',
    runs,
    date: new Date().toISOString(),
    lighthouse: lighthouseVersion,
    browser: `${CHROMIUM} ${browserVersion}`,
    machine: machineFacts(),
    loadAverage: { start: loadStart.map((l) => Math.round(l * 100) / 100), end: os.loadavg().map((l) => Math.round(l * 100) / 100) },
    pages: results,
  });
  console.log(`wrote ${OUT}`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
