/**
 * Lab budget benchmark: the built site, served gzip-compressed from dist/ as a static host serves it,
 * in Debian's Chromium. For /lab/ and /ja/lab/: the first view must load no model (no TensorFlow.js
 * chunk, no .wasm, no weights); after the first press of "Ask the models", the bytes transferred for
 * code and weights (gzip, as served) must stay within 3 MB, and the first answer should come within
 * 2 s. Writes bench/results/lab.json with the machine, the browser and the load average.
 *
 *   npm run build && npm run bench:lab [-- --runs 5]   (CHROMIUM_PATH overrides /usr/bin/chromium)
 *
 * Weights: the pool's own, where the built site has them for all three models; otherwise seeded
 * random weights of the same architectures in the pool's format, served over the site at the same
 * paths (the bytes are the same; the answers are not meaningful and are not recorded). The output
 * says which. Each run uses a fresh browser context (a cold cache); the median run is reported.
 *
 * A benchmark, not a test: nothing here fails on a number. Run it on a quiet machine.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Request } from 'playwright-core';
import { writeJsonAtomic } from '../scripts/lib/io/json-file';
import { machineFacts } from '../scripts/lib/experiments/runner';
import { saveTfjsWeights } from '../scripts/lib/train/tfjs-format';
import { serveDir } from '../tests/helpers/static-server';
import { CHROMIUM } from '../tests/helpers/system-deps';
import { createModel } from '../models/index';
import { LAB_ARCHS, type LabModels } from '../src/lib/lab/types';
import { DIST, parseRuns, requireBuiltSiteAndChromium } from './built-site';

const OUT = 'bench/results/lab.json';
const BUDGET = { bytesAfterFirstAction: 3 * 1024 * 1024, firstAnswerMs: 2000 };
const PAGES = ['/lab/', '/ja/lab/'];

/** The pool's weights if the built site lists them for every lab model, else a fixture folder to overlay (returned). */
function weightsSource(): { kind: 'pool' | 'fixture'; overlay?: string } {
  const list = JSON.parse(readFileSync(join(DIST, 'lab', 'models.json'), 'utf8')) as LabModels;
  if (list.models.every((m) => m.weights)) return { kind: 'pool' };
  const dir = mkdtempSync(join(os.tmpdir(), 'lab-bench-'));
  mkdirSync(join(dir, 'pool', 'weights'), { recursive: true });
  mkdirSync(join(dir, 'lab'), { recursive: true });
  const fixture: LabModels = { models: [] };
  LAB_ARCHS.forEach((arch, i) => {
    const id = `bench-${arch}`;
    const w = saveTfjsWeights(createModel(arch, {}, { seed: 100 + i }), join(dir, 'pool', 'weights'), id);
    fixture.models.push({ key: arch, arch, id, weights: `/pool/weights/${id}.weights.json`, sha256: w.sha256, regime: 'full', trainImages: 1, testAccuracy: 0, optional: false });
  });
  writeFileSync(join(dir, 'lab', 'models.json'), JSON.stringify(fixture));
  return { kind: 'fixture', overlay: dir };
}

/** Bytes on the wire for a finished request: the (gzip-)encoded body plus the headers. */
async function transferred(r: Request): Promise<number> {
  const s = await r.sizes().catch(() => null);
  return s ? s.responseBodySize + s.responseHeadersSize : 0;
}

const isHeavy = (url: string, body: string | null) => /\.wasm$|\/pool\/weights\//.test(url) || (body?.includes('tfjs-backend-wasm') ?? false);

interface Run { firstView: { requests: number; bytes: number; heavy: string[] }; firstAction: { requests: number; bytes: number; firstAnswerMs: number; backend: string } }

async function measure(browser: Browser, url: string): Promise<Run> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const done: Array<{ r: Request; phase: 'view' | 'action' }> = [];
  let phase: 'view' | 'action' = 'view';
  page.on('requestfinished', (r) => done.push({ r, phase }));
  await page.goto(url, { waitUntil: 'networkidle' });
  await page.waitForSelector('[data-lab][data-state="ready"]');
  const view = done.filter((d) => d.phase === 'view');
  const heavy: string[] = [];
  for (const { r } of view) {
    const body = /\.m?js$/.test(r.url()) ? await (await r.response())?.text().catch(() => null) ?? null : null;
    if (isHeavy(r.url(), body)) heavy.push(r.url());
  }
  phase = 'action';
  const t0 = Date.now();
  await page.click('[data-lab-run]');
  await page.waitForSelector('[data-lab][data-state="answered"]', { timeout: 120_000 });
  const firstAnswerMs = Date.now() - t0;
  await page.waitForLoadState('networkidle');
  const action = done.filter((d) => d.phase === 'action');
  const sum = async (xs: typeof done) => (await Promise.all(xs.map((d) => transferred(d.r)))).reduce((a, b) => a + b, 0);
  const run: Run = {
    firstView: { requests: view.length, bytes: await sum(view), heavy },
    firstAction: { requests: action.length, bytes: await sum(action), firstAnswerMs, backend: (await page.getAttribute('[data-lab]', 'data-backend')) ?? '' },
  };
  await context.close();
  return run;
}

async function main(): Promise<void> {
  const runs = parseRuns(process.argv.slice(2), 3);
  requireBuiltSiteAndChromium();
  const loadStart = os.loadavg();
  const weights = weightsSource();
  const server = await serveDir(DIST, { gzip: true, ...(weights.overlay ? { overlay: weights.overlay } : {}) });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'] });
  const browserVersion = browser.version();
  const pages = [];
  try {
    for (const path of PAGES) {
      const all: Run[] = [];
      for (let i = 0; i < runs; i++) all.push(await measure(browser, server.url + path));
      const sorted = [...all].sort((a, b) => a.firstAction.firstAnswerMs - b.firstAction.firstAnswerMs);
      const median = sorted[Math.floor(sorted.length / 2)]!;
      pages.push({
        path, runs: all, median,
        within: {
          firstViewLoadsNoModel: all.every((r) => r.firstView.heavy.length === 0),
          bytesAfterFirstAction: all.every((r) => r.firstAction.bytes <= BUDGET.bytesAfterFirstAction),
          firstAnswerMs: median.firstAction.firstAnswerMs <= BUDGET.firstAnswerMs,
        },
      });
      console.log(`${path}: first view ${median.firstView.bytes} B in ${median.firstView.requests} requests (heavy: ${median.firstView.heavy.length}); first action ${median.firstAction.bytes} B, first answer ${median.firstAction.firstAnswerMs} ms (${median.firstAction.backend})`);
    }
  } finally {
    await browser.close();
    await server.close();
    if (weights.overlay) rmSync(weights.overlay, { recursive: true, force: true });
  }
  writeJsonAtomic(OUT, {
    date: new Date().toISOString(),
    machine: machineFacts(),
    browser: `Chromium ${browserVersion}`,
    loadAverage: { start: loadStart.map((l) => Math.round(l * 100) / 100), end: os.loadavg().map((l) => Math.round(l * 100) / 100) },
    weights: weights.kind,
    budget: BUDGET,
    runsPerPage: runs,
    pages,
  });
  console.log(`wrote ${OUT}`);
}

await main();
