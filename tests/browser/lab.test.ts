/**
 * The lab in Chromium. With the site as built (the models the committed pool lists): the pending
 * notice names the columns without weights, answers are offered only with weights, and nothing heavy
 * loads on the first view. With seeded random-initialised
 * weights in the pool's format (written by this test into a temp folder served over the site, never
 * committed): the probabilities computed in the browser equal those Node computes from the same files
 * for a fixed set of inputs, in every column shown (the three main ones and the optional small-data
 * ViT-mini), every control changes them, the confidence chart gives Node's numbers and follows the
 * slider moved, and no request leaves the origin, under the site's CSP. Layout, in both languages: "Ask the
 * models" is in view on load at 1280×800, 390×800 and 320×800; the answers sit between the images and the
 * controls, in the DOM as on screen, and at 1280×800 stay in view while the last slider is moved; every select
 * shows each option whole down to 320 px, class names stay whole in the four-column table, and the upload control
 * shows the site's words, not the browser's.
 *
 * Tolerance: 1e-5 absolute on each probability. The browser runs tfjs's wasm backend (XNNPACK, SIMD),
 * Node here the cpu backend (plain JS loops): the same float32 arithmetic in a different order, so the
 * probabilities differ by rounding only (at most 4e-7 on these inputs when this was written), while a
 * difference in weights, input or model code moves them by far more (each control below moved every
 * model's probabilities by at least 1.3e-3, and the test asks for 10× the tolerance). The chart's
 * sweep runs its settings as one batch, in yet another order: the same tolerance holds.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { hasChromium } from '../helpers/system-deps';
import { serveDir } from '../helpers/static-server';
import { DIST, ensureBuiltSite } from '../helpers/built-site';
import { launchChromium, themedContext } from '../helpers/browser';
import { widestOffender } from '../helpers/overflow';
import { seriousAxeViolations } from '../helpers/axe';
import { createModel } from '../../models/index';
import { mulberry32 } from '../../models/nn/rng';
import { loadTfjsWeights, saveTfjsWeights } from '../../scripts/lib/train/tfjs-format';
import { LAB_ARCHS, LAB_OPTIONAL, type LabModel, type LabModels } from '../../src/lib/lab/types';
import { sampleCueImage, sampleImage, transform } from '../../src/lib/lab/transform';
import { DEFAULT_STATE, LAB_PRESETS, isPreset, writeState, type LabControl, type LabState } from '../../src/lib/lab/state';
import { clsAttention, rollout, saliencyMap } from '../../src/lib/lab/views';
import { decodeImage } from '../../src/lib/lab/convert';
import { sweepValues } from '../../src/lib/lab/sweep';

const TOL = 1e-5;
// The tests that run the models take about a minute each on an idle 2-core machine, several on a loaded one.
const run = hasChromium();

/** The fixed inputs: the whole state (image number 1-based, transforms). */
const at = (s: Partial<LabState>): LabState => ({ ...DEFAULT_STATE, ...s });
const CASES: Array<{ what: string; s: LabState }> = [
  { what: 'image 1', s: at({}) },
  { what: 'image 2', s: at({ image: 2 }) },
  { what: 'low-pass', s: at({ image: 2, lowPass: 0.15 }) },
  { what: 'high-pass', s: at({ image: 2, highPass: 0.2 }) },
  { what: 'noise', s: at({ image: 2, noise: 0.3 }) },
  { what: 'band-limited noise', s: at({ image: 2, band: 8, bandNorm: 4 }) },
  { what: 'band', s: at({ image: 2, band: 1, bandNorm: 4 }) },
  { what: 'blur', s: at({ image: 2, blur: 1.2 }) },
  { what: 'occlusion', s: at({ image: 2, occlusion: 10 }) },
  { what: 'occlusion position', s: at({ image: 2, occlusion: 10, occlusionX: 6, occlusionY: 20 }) },
  { what: 'patch shuffling', s: at({ image: 2, shuffle: 0.5 }) },
  { what: 'cue conflict', s: at({ input: 'cue', shape: 7, texture: 8 }) },
  { what: 'cue shape', s: at({ input: 'cue', shape: 0, texture: 8 }) },
  { what: 'cue texture', s: at({ input: 'cue', shape: 0, texture: 2 }) },
  { what: 'cue draw', s: at({ input: 'cue', shape: 0, texture: 2, cueSeed: 3 }) },
  { what: 'everything', s: at({ image: 137, lowPass: 0.4, highPass: 0.05, noise: 0.1, blur: 0.5, occlusion: 4, shuffle: 0.2, bandNorm: 2, band: 3 }) },
  // The optional column: its weights load when it is first shown, and it answers as Node does too.
  { what: 'small-data ViT shown', s: at({ image: 2, smallVit: true }) },
  { what: 'small-data ViT, cue conflict', s: at({ input: 'cue', shape: 7, texture: 8, smallVit: true, blur: 0.5 }) },
];
/** Each control moved alone (case `to` against case `from`, which differ in that control only). */
const CHANGES: Array<[from: number, to: number]> = [[0, 1], [1, 2], [1, 3], [1, 4], [1, 5], [5, 6], [1, 7], [1, 8], [8, 9], [1, 10], [1, 11], [11, 12], [12, 13], [13, 14]];

let fixture: string;
let browser: Browser;
const servers: Array<Awaited<ReturnType<typeof serveDir>>> = [];
const sample = new Uint8Array(readFileSync('generated/lab/fmnist-sample.bin'));

/**
 * The fixture's columns: regimes as a mixed pool would list them (the ResNet on small data only, the
 * others on full data, the small-data ViT as the optional column), with made-up test accuracies that
 * the page must word from the list, not from anything typed per model.
 */
const FIXTURE: Array<Pick<LabModel, 'key' | 'arch' | 'regime' | 'trainImages' | 'testAccuracy' | 'optional'>> = [
  { key: 'resnet_mini_28', arch: 'resnet_mini_28', regime: 'small', trainImages: 2000, testAccuracy: 0.512, optional: false },
  { key: 'vit_mini_patch4_28', arch: 'vit_mini_patch4_28', regime: 'full', trainImages: 55000, testAccuracy: 0.634, optional: false },
  { key: 'hybrid_mini_28', arch: 'hybrid_mini_28', regime: 'full', trainImages: 55000, testAccuracy: 0.756, optional: false },
  { key: LAB_OPTIONAL.key, arch: LAB_OPTIONAL.arch, regime: 'small', trainImages: 2000, testAccuracy: 0.478, optional: true },
];
const MAIN = FIXTURE.filter((m) => !m.optional).map((m) => m.key);
const ALL = FIXTURE.map((m) => m.key);
const columnsOf = (s: LabState) => (s.smallVit ? ALL : MAIN);

/** Seeded random weights for the fixture's columns in the pool's format; zero-initialised heads get seeded values too, or the ViT and hybrid would answer a flat 10% everywhere. */
function writeFixture(dir: string): Map<string, ReturnType<typeof createModel>> {
  mkdirSync(join(dir, 'pool', 'weights'), { recursive: true });
  mkdirSync(join(dir, 'lab'), { recursive: true });
  const models = new Map<string, ReturnType<typeof createModel>>();
  const list: LabModels = { models: [] };
  FIXTURE.forEach((col, i) => {
    const model = createModel(col.arch, {}, { seed: 100 + i });
    const rand = mulberry32(200 + i);
    for (const [, v] of model.namedVariables()) {
      if (v.rank < 2 || tf.tidy(() => tf.max(tf.abs(v)).dataSync()[0]) !== 0) continue;
      const vals = Float32Array.from({ length: v.size }, () => 0.3 * Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand()));
      v.assign(tf.tensor(vals, v.shape));
    }
    const id = `fixture-${col.key.replace('.', '-')}`;
    const w = saveTfjsWeights(model, join(dir, 'pool', 'weights'), id);
    list.models.push({ ...col, id, weights: `/pool/weights/${id}.weights.json`, sha256: w.sha256 });
    // Node's side reads the files back, as the browser will.
    const reloaded = createModel(col.arch);
    loadTfjsWeights(reloaded, w.manifest, w.sha256);
    models.set(col.key, reloaded);
  });
  writeFileSync(join(dir, 'lab', 'models.json'), JSON.stringify(list));
  return models;
}

function nodeProbs(model: ReturnType<typeof createModel>, c: { s: LabState }): number[] {
  const src = c.s.input === 'cue' ? sampleCueImage(sample, c.s.shape, c.s.texture, c.s.cueSeed).image : sampleImage(sample, c.s.image - 1).image;
  const x = transform(src, c.s);
  return tf.tidy(() => Array.from(tf.softmax(model.forward(tf.tensor4d(x, [1, 28, 28, 1]), { training: false }).logits).dataSync()));
}

/** Node's heat map for a state's view, from the same files and the same view code. */
function nodeView(models: Map<string, ReturnType<typeof createModel>>, st: LabState): number[] {
  const src = st.input === 'cue' ? sampleCueImage(sample, st.shape, st.texture, st.cueSeed).image : sampleImage(sample, st.image - 1).image;
  const x = tf.tensor4d(transform(src, st), [1, 28, 28, 1]);
  try {
    if (st.view === 'saliency') {
      const m = models.get('resnet_mini_28')!;
      const cls = tf.tidy(() => tf.argMax(m.forward(x, { training: false }).logits, 1).dataSync()[0]!);
      const g = tf.tidy(() => tf.grad((i: tf.Tensor) => tf.gather(m.forward(i as tf.Tensor4D, { training: false }).logits, [cls], 1).sum())(x).dataSync());
      return Array.from(saliencyMap(g));
    }
    const taps = tf.tidy(() => {
      const t = models.get('vit_mini_patch4_28')!.forward(x, { training: false, taps: true }).taps;
      return Object.keys(t).filter((k) => /^block\d+\.attn$/.test(k)).sort().map((k) => ({ data: t[k]!.dataSync(), shape: t[k]!.shape }));
    });
    return Array.from(st.view === 'attention' ? clsAttention(taps[st.layer - 1]!, st.head) : rollout(taps, st.layer));
  } finally {
    x.dispose();
  }
}

/** Opens /lab/ and records CSP violations, errors, failed requests and every request's URL. */
async function openLab(url: string, opts: { width: number; theme: 'light' | 'dark' }, path = '/lab/'): Promise<{ page: Page; problems: string[]; requests: string[] }> {
  const context = await themedContext(browser, opts);
  const page = await context.newPage();
  const problems: string[] = [], requests: string[] = [];
  const origin = new URL(url).origin;
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`));
  });
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  page.on('request', (r) => {
    requests.push(r.url());
    const u = new URL(r.url());
    if (u.protocol !== 'data:' && u.protocol !== 'blob:' && u.origin !== origin) problems.push(`request to another origin: ${r.url()}`);
  });
  await page.goto(`${url}${path}`, { waitUntil: 'networkidle', timeout: 120_000 });
  await page.waitForSelector('[data-lab][data-state="ready"]', { timeout: 120_000 });
  return { page, problems, requests };
}

/** The requests that load a model or TensorFlow.js: weights, .wasm files, and any script holding tfjs's wasm backend. */
async function heavy(requests: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const r of new Set(requests)) {
    if (/\.wasm$|\/pool\/weights\//.test(r)) out.push(r);
    else if (/\.m?js$/.test(r) && (await (await fetch(r)).text()).includes('tfjs-backend-wasm')) out.push(r);
  }
  return out;
}

/** Sets every control to a state, waits for the answer to that state, and returns each shown column's probabilities (column order). */
async function setCase(page: Page, c: { what: string; s: LabState }): Promise<number[][]> {
  const key = writeState(c.s);
  await page.evaluate((st) => {
    const box = document.querySelector<HTMLInputElement>('[data-lab-field="smallVit"]')!;
    if (box.checked !== st.smallVit) { box.checked = st.smallVit; box.dispatchEvent(new Event('change', { bubbles: true })); }
    const set = (sel: string, v: string) => {
      const el = document.querySelector<HTMLInputElement | HTMLSelectElement>(sel)!;
      if (el.value === v) return;
      el.value = v;
      el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
    };
    for (const k of ['input', 'image', 'shape', 'texture', 'cueSeed', 'view', 'layer', 'head', 'attack', 'attackModel', 'epsilon'] as const) set(`[data-lab-field="${k}"]`, String(st[k]));
    for (const k of ['lowPass', 'highPass', 'noise', 'band', 'bandNorm', 'blur', 'occlusion', 'occlusionX', 'occlusionY', 'shuffle'] as const) set(`[data-lab-control="${k}"]`, String(st[k]));
  }, c.s);
  await page.waitForFunction((k) => document.querySelector<HTMLElement>('[data-lab]')!.dataset.answeredFor === k, key, { timeout: 60_000 }).catch(async (e) => {
    throw new Error(`${(e as Error).message}: want ${key}, the lab answered ${await page.evaluate(() => JSON.stringify(document.querySelector<HTMLElement>('[data-lab]')!.dataset))}`);
  });
  return page.evaluate((keys) => keys.map((a) => JSON.parse(document.querySelector<HTMLElement>(`[data-lab-answers] th[data-model="${a}"]`)!.dataset.probs!) as number[]), columnsOf(c.s));
}

/** The state the lab's controls show. */
const shownState = (page: Page) => page.evaluate(() => {
  const out: Record<string, string | number | boolean> = {};
  for (const e of document.querySelectorAll<HTMLInputElement | HTMLSelectElement>('[data-lab-field], [data-lab-control]')) {
    const k = e.dataset.labField ?? e.dataset.labControl!;
    out[k] = e instanceof HTMLInputElement && e.type === 'checkbox' ? e.checked : k === 'input' || k === 'view' || k === 'attack' ? e.value : Number(e.value);
  }
  return out;
});
const settingsOf = ({ drawing: _, ...rest }: LabState) => rest;

const maxDiff = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));

/** The site's UI strings: what the lab shows must come from them. */
const UI = Object.fromEntries((['en', 'ja'] as const).map((l) => [l, JSON.parse(readFileSync(`src/content/i18n/${l}.json`, 'utf8')) as Record<string, string>])) as Record<'en' | 'ja', Record<string, string>>;
const classNames = (lang: 'en' | 'ja') => Array.from({ length: 10 }, (_, k) => UI[lang][`atlas.lab.class.${k}`]!);

/**
 * In the page: the options of the lab's shown selects that do not fit their select. A select's scrollWidth
 * equals its clientWidth even when the shown option is cut (Chromium clips the text inside the closed
 * control), so this asks how wide Chromium draws the select for one option (a copy holding that option
 * alone at max-content, placed beside it so it takes the same styles) and compares that with the select's width.
 */
function cutOptions(): string[] {
  const out: string[] = [];
  for (const sel of document.querySelectorAll<HTMLSelectElement>('[data-lab] select')) {
    if (!sel.checkVisibility()) continue;
    const has = sel.getBoundingClientRect().width;
    for (const o of sel.options) {
      const copy = sel.cloneNode(false) as HTMLSelectElement;
      copy.removeAttribute('id');
      copy.removeAttribute('data-lab-field');
      copy.append(o.cloneNode(true));
      Object.assign(copy.style, { position: 'absolute', visibility: 'hidden', width: 'max-content', maxWidth: 'none', minWidth: '0' });
      sel.after(copy);
      const needs = copy.getBoundingClientRect().width;
      copy.remove();
      if (needs > has + 0.5) out.push(`#${sel.id} "${o.text}": needs ${Math.ceil(needs)} px, has ${Math.floor(has)} px`);
    }
  }
  return out;
}

/** In the page: the answer cells whose class name (`names`, by class) is drawn on more than one line, and how many cells there are. */
function brokenNames(names: string[]): { cells: number; broken: string[] } {
  const broken: string[] = [];
  const cells = [...document.querySelectorAll<HTMLElement>('[data-lab-answers] tbody td[data-class]')];
  for (const td of cells) {
    const name = names[Number(td.dataset.class)]!;
    if (!td.textContent!.startsWith(name)) { broken.push(`${td.textContent}: does not start with ${name}`); continue; }
    // A range over the name's characters, whatever elements hold them; its boxes sit on one line unless the name wraps.
    const range = document.createRange();
    const walk = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
    let left = name.length;
    for (let n = walk.nextNode() as Text | null; n && left > 0; n = walk.nextNode() as Text | null) {
      if (left === name.length) range.setStart(n, 0);
      const take = Math.min(left, n.length);
      range.setEnd(n, take);
      left -= take;
    }
    const tops = [...range.getClientRects()].filter((r) => r.width > 0).map((r) => r.top).sort((a, b) => a - b);
    const lines = tops.filter((t, i) => i === 0 || t - tops[i - 1]! > 4).length;
    if (lines !== 1) broken.push(`${td.textContent} (${lines} lines)`);
  }
  return { cells: cells.length, broken };
}

/** A 60×40 white picture with a dark bar, made in the page, as PNG bytes. */
async function barPng(page: Page): Promise<Buffer> {
  const png = await page.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 60; c.height = 40;
    const ctx = c.getContext('2d')!;
    ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, 60, 40);
    ctx.fillStyle = '#000'; ctx.fillRect(10, 15, 40, 10);
    return c.toDataURL('image/png').split(',')[1]!;
  });
  return Buffer.from(png, 'base64');
}

describe.runIf(run)('the lab', () => {
  let models: Map<string, ReturnType<typeof createModel>>;
  let plain: string, withFixture: string;

  beforeAll(async () => {
    ensureBuiltSite();
    await tf.setBackend('cpu');
    fixture = mkdtempSync(join(tmpdir(), 'lab-fixture-'));
    models = writeFixture(fixture);
    const a = await serveDir(DIST), b = await serveDir(DIST, { overlay: fixture });
    servers.push(a, b);
    plain = a.url;
    withFixture = b.url;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    for (const s of servers) await s.close();
    if (fixture) rmSync(fixture, { recursive: true, force: true });
  });

  it('as built: names the models the pool does not have yet, offers answers only with weights, and loads nothing heavy', async () => {
    // Which models have weights depends on the committed pool: read what the build listed.
    const listed = (JSON.parse(readFileSync(join(DIST, 'lab/models.json'), 'utf8')) as { models: { id: string | null }[] }).models;
    const pending = listed.filter((m) => m.id === null).length;
    for (const lang of ['', '/ja']) {
      const { page, problems, requests } = await openLab(plain + lang, { width: 390, theme: 'dark' });
      expect(await page.locator('[data-lab-pending]').count()).toBe(pending);
      expect(await page.isVisible('[data-lab-pending-box]')).toBe(pending > 0);
      expect(await page.isVisible('[data-lab-run]')).toBe(pending < listed.length);
      expect(await page.isVisible('[data-lab-answers]')).toBe(false);
      // The preview works without models: the controls change the image the models would see.
      await page.focus('[data-lab-control="noise"]');
      await page.keyboard.press('End');
      expect(await page.textContent('[data-lab-output="noise"]')).toBe('0.50');
      expect(await heavy(requests)).toEqual([]);
      expect(problems).toEqual([]);
      await page.context().close();
    }
  });

  it('on load, "Ask the models" is in view at 1280×800, 390×800 and 320×800 (and at 1280 the first transform too), and every select shows each of its options whole at 1280, 390 and 320 px, in English and Japanese', async () => {
    const cut: string[] = [];
    const shots = process.env.LAB_SCREENSHOTS;
    for (const lang of ['', '/ja']) {
      for (const width of [1280, 390, 320]) {
        // With weights (the fixture's), so that the button shows whatever the committed pool holds.
        const { page, problems } = await openLab(withFixture + lang, { width, theme: width === 390 ? 'dark' : 'light' });
        const seen = await page.evaluate(() => {
          const controls = [...document.querySelectorAll<HTMLElement>('[data-lab] :is(input, select, button, textarea)')].filter((e) => e.checkVisibility());
          const box = (e: Element) => { const r = e.getBoundingClientRect(); return { what: `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${e.matches('[data-lab-run]') ? '[data-lab-run]' : ''}`, top: r.top, bottom: r.bottom }; };
          return { first: box(controls[0]!), input: box(document.querySelector('#lab-input')!), scrolled: window.scrollY, height: window.innerHeight };
        });
        const where = `${lang || '/en'} ${width}×800`;
        expect(seen.scrolled).toBe(0);
        // The action comes first: the first control of the lab is the button.
        expect(seen.first.what, where).toBe('button[data-lab-run]');
        const inView = [seen.first, ...(width === 1280 ? [seen.input] : [])];
        for (const b of inView) {
          expect(b.top, `${where}: ${b.what}`).toBeGreaterThanOrEqual(0);
          expect(b.bottom, `${where}: ${b.what} ends ${Math.round(b.bottom)} px down a ${seen.height} px window`).toBeLessThanOrEqual(seen.height);
        }
        if (shots) await page.screenshot({ path: join(shots, `lab${lang.replace('/', '-')}-${width}-load.png`) });
        expect(problems).toEqual([]);
        await page.context().close();
      }
      const { page, problems } = await openLab(plain + lang, { width: 1280, theme: 'light' });
      // Every select shown: the cue-conflict fields, the attention view's block and head, the attack's target.
      await page.goto(`${plain}${lang}/lab/?input=cue&view=attention&attack=fgsm`, { waitUntil: 'networkidle' });
      await page.waitForSelector('[data-lab][data-state="ready"]');
      expect(await page.locator('[data-lab] select:visible').count()).toBe(8);
      for (const width of [1280, 390, 320]) {
        await page.setViewportSize({ width, height: 800 });
        for (const c of await page.evaluate(cutOptions)) cut.push(`${lang || '/en'} ${width} px: ${c}`);
      }
      expect(problems).toEqual([]);
      await page.context().close();
    }
    expect(cut, cut.join('\n')).toEqual([]);
  });

  it('upload in Japanese: a button-styled label from the site\'s strings, the native control hidden but reached by keyboard with a visible ring, the chosen file named in Japanese', async () => {
    const ja = UI.ja;
    const { page, problems } = await openLab(`${plain}/ja`, { width: 390, theme: 'dark' }, '/lab/?input=draw');
    const label = page.locator('label[for="lab-upload"]');
    expect(await label.textContent()).toBe(ja['atlas.lab.draw.upload']);
    expect(await page.textContent('[data-lab-upload-name]')).toBe(ja['atlas.lab.draw.noFile']);
    // The native control draws its own button and "no file" text in the browser's language: it is kept for the
    // keyboard and assistive technology, but not drawn (at most 1 px).
    const native = (await page.locator('[data-lab-upload]').boundingBox())!;
    expect(native.width * native.height, 'the native file input is visually hidden').toBeLessThanOrEqual(1);
    expect((await label.boundingBox())!.width, 'the label is what shows').toBeGreaterThan(40);
    // By keyboard: Tab from the button before it reaches the file input, and its label shows the focus ring.
    expect(await label.evaluate((l) => getComputedStyle(l).outlineStyle)).toBe('none');
    await page.focus('[data-lab-draw-sample]');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.matches('[data-lab-upload]'))).toBe(true);
    expect(await label.evaluate((l) => getComputedStyle(l).outlineStyle)).not.toBe('none');
    expect(await label.evaluate((l) => parseFloat(getComputedStyle(l).outlineWidth))).toBeGreaterThanOrEqual(2);
    // The upload itself: converted in the page, the file's name and the result told in Japanese.
    await page.setInputFiles('[data-lab-upload]', { name: 'bar.png', mimeType: 'image/png', buffer: await barPng(page) });
    await page.waitForSelector('[data-lab-upload-box]:not([hidden])');
    await page.waitForFunction(() => new URLSearchParams(location.search).has('drawing'));
    expect(await page.textContent('[data-lab-upload-name]')).toBe(ja['atlas.lab.draw.fileName']!.replace('{{name}}', 'bar.png'));
    expect(await page.textContent('[data-lab-upload-text]')).toMatch(/^28×28 のグレースケールに変換しました。/);
    const latin = await page.evaluate(() => {
      const out: string[] = [];
      const walk = document.createTreeWalker(document.querySelector('[data-lab-when="draw"]')!, NodeFilter.SHOW_TEXT);
      for (let n = walk.nextNode(); n; n = walk.nextNode()) {
        const t = n.textContent!.trim();
        if (t && n.parentElement!.checkVisibility() && !/[\u3040-\u30ff\u3400-\u9fff]/.test(t)) out.push(t);
      }
      return out;
    });
    expect(latin).toEqual([]);
    expect(await seriousAxeViolations(page, '[data-lab]')).toEqual([]);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('the URL holds the state: a preset or a shared URL restores it, a control rewrites it without adding history', async () => {
    for (const lang of ['', '/ja']) {
      for (const [name, p] of Object.entries(LAB_PRESETS)) {
        const { page, problems } = await openLab(plain + lang, { width: 1280, theme: 'light' }, `/lab/?preset=${name}`);
        const want = { ...DEFAULT_STATE, ...p.state } as LabState;
        expect(await shownState(page), `${lang} ${name}`).toEqual(settingsOf(want));
        expect(await page.getAttribute('[data-lab]', 'data-preset')).toBe(name);
        // The preset's name gives way to the state itself, so a copied URL survives a change of the preset.
        expect(new URL(page.url()).search).toBe(writeState(want));
        expect(problems).toEqual([]);
        await page.context().close();
      }
    }
    const shared: LabState = { ...DEFAULT_STATE, image: 137, lowPass: 0.4, highPass: 0.05, noise: 0.1 };
    const { page, problems } = await openLab(plain, { width: 390, theme: 'dark' }, `/lab/${writeState(shared)}`);
    expect(await shownState(page)).toEqual(settingsOf(shared));
    expect(await page.textContent('[data-lab-output="noise"]')).toBe('0.10');
    const entries = await page.evaluate(() => history.length);
    await page.focus('[data-lab-control="noise"]');
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
    await page.focus('[data-lab-image]');
    await page.keyboard.press('ArrowUp');
    const moved = { ...shared, image: 138, noise: 0.15 };
    await page.waitForFunction((q) => location.search === q, writeState(moved));
    expect(await page.evaluate(() => history.length), 'replaceState, not pushState').toBe(entries);
    // A reload cancels requests still in flight (the favicon), which would count as failed requests.
    await page.waitForLoadState('networkidle');
    await page.reload({ waitUntil: 'networkidle' });
    await page.waitForSelector('[data-lab][data-state="ready"]');
    expect(await shownState(page)).toEqual(settingsOf(moved));
    // Reset keeps the image and clears the transforms, and the URL with them.
    await page.click('[data-lab-reset]');
    await page.waitForFunction(() => location.search === '?image=138');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('the articles\' lab links open valid presets', async () => {
    const files = ['articles/shape-vs-texture', 'articles/frequency-robustness', 'articles/attention-distance-loss-landscape'];
    const seen: string[] = [];
    for (const lang of ['', 'ja/']) for (const f of files) {
      const html = readFileSync(join(DIST, lang + f, 'index.html'), 'utf8');
      // Links that carry a lab state (the sidebar's plain /lab/ link does not).
      const hrefs = [...html.matchAll(/href="([^"]*\/lab\/\?[^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
      expect(hrefs.length, `${lang}${f} links to the lab`).toBeGreaterThan(0);
      for (const h of hrefs) {
        const u = new URL(h, 'http://site/');
        expect(u.pathname, h).toBe(lang ? '/ja/lab/' : '/lab/');
        expect(isPreset(u.searchParams.get('preset') ?? ''), h).toBe(true);
        seen.push(h);
      }
    }
    // Follow one link as a reader would: the lab opens on the preset.
    const context = await themedContext(browser, { width: 1280, theme: 'light' });
    const page = await context.newPage();
    await page.goto(`${plain}/ja/articles/frequency-robustness/`);
    await page.click('a[href="/ja/lab/?preset=frequency-robustness"]');
    await page.waitForSelector('[data-lab][data-state="ready"]');
    expect(await shownState(page)).toEqual(settingsOf({ ...DEFAULT_STATE, ...LAB_PRESETS['frequency-robustness'].state } as LabState));
    expect(seen).toHaveLength(6);
    await context.close();
  });

  it('with weights: the browser gives Node\'s probabilities, every control changes them, all from the origin', async () => {
    const { page, problems, requests } = await openLab(withFixture, { width: 1280, theme: 'light' });
    expect(await heavy(requests), 'first view: no tfjs, no model, no weights').toEqual([]);
    expect(await page.isVisible('[data-lab-pending-box]')).toBe(false);
    // Keyboard: focus the button and press Enter.
    await page.focus('[data-lab-run]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-lab][data-state="answered"]', { timeout: 180_000 });
    expect(await page.getAttribute('[data-lab]', 'data-backend')).toBe('wasm');
    const loaded = await heavy(requests);
    expect(loaded.some((r) => r.endsWith('.wasm')), 'the wasm backend').toBe(true);
    expect(loaded.some((r) => r.endsWith('.js')), 'the tfjs chunk (the check above can see it)').toBe(true);
    // The three main columns; the optional one is not shown yet, so its weights stay on the server.
    expect(loaded.filter((r) => r.includes('/pool/weights/'))).toHaveLength(6);
    // Each column's regime and test accuracy, worded from the list.
    expect(await page.locator('[data-lab-regime]').allTextContents()).toEqual(['trained on 2,000 images; test accuracy 51.2%', 'trained on 55,000 images; test accuracy 63.4%', 'trained on 55,000 images; test accuracy 75.6%']);

    const got: number[][][] = [];
    for (const c of CASES) {
      const probs = await setCase(page, c);
      got.push(probs);
      expect(probs, `${c.what}: every shown column answers`).toHaveLength(columnsOf(c.s).length);
      columnsOf(c.s).forEach((key, i) => {
        const want = nodeProbs(models.get(key)!, c);
        expect(probs[i]!.length).toBe(10);
        expect(maxDiff(probs[i]!, want), `${key}, ${c.what}: ${writeState(c.s)}`).toBeLessThan(TOL);
      });
    }
    expect((await heavy(requests)).filter((r) => r.includes('/pool/weights/')), 'the optional column loaded when shown').toHaveLength(8);
    // The small-data ViT's column is told apart from the main one by its training images.
    expect(await page.locator('[data-lab-answers] thead th').allTextContents()).toEqual([
      'Rank', 'ResNet-mini' + 'trained on 2,000 images; test accuracy 51.2%', 'ViT-mini (55,000 images)trained on 55,000 images; test accuracy 63.4%',
      'Hybrid-minitrained on 55,000 images; test accuracy 75.6%', 'ViT-mini (2,000 images)trained on 2,000 images; test accuracy 47.8%']);
    // Each control moved alone changes every model's answer, and so do the image and each part of the cue-conflict input.
    for (const [from, to] of CHANGES) {
      MAIN.forEach((key, i) => expect(maxDiff(got[from]![i]!, got[to]![i]!), `${CASES[to]!.what} changes ${key}`).toBeGreaterThan(10 * TOL));
    }
    const moved = new Set(CHANGES.flatMap(([a, b]) => Object.keys(CASES[a]!.s).filter((k) => CASES[a]!.s[k as keyof LabState] !== CASES[b]!.s[k as keyof LabState])));
    expect([...moved].sort(), 'every control and input field is moved alone somewhere').toEqual(
      ['band', 'bandNorm', 'blur', 'cueSeed', 'highPass', 'image', 'input', 'lowPass', 'noise', 'occlusion', 'occlusionX', 'occlusionY', 'shape', 'shuffle', 'texture'].sort());
    // The table is text: three ranks, a class name and a percentage in each model's column.
    const cells = await page.locator('[data-lab-answers] tbody td').allTextContents();
    expect(cells).toHaveLength(3 * columnsOf(CASES[CASES.length - 1]!.s).length);
    for (const t of cells) expect(t).toMatch(/\d+\.\d%$/);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 600_000);

  it('views: the ViT\'s attention per block and head, its rollout and the CNN\'s saliency equal Node\'s, change with block and head, and are told as text', async () => {
    const { page, problems } = await openLab(withFixture, { width: 390, theme: 'light' }, '/lab/?preset=attention-distance');
    expect(await page.isVisible('[data-lab-view-text]')).toBe(true);
    await page.click('[data-lab-run]');
    await page.waitForSelector('[data-lab][data-state="answered"]', { timeout: 180_000 });
    const views: Array<{ what: string; s: LabState }> = [
      { what: 'block 1, head 1', s: at({ view: 'attention', layer: 1, head: 1 }) },
      { what: 'block 1, head 2', s: at({ view: 'attention', layer: 1, head: 2 }) },
      { what: 'block 4, head 2', s: at({ view: 'attention', layer: 4, head: 2 }) },
      { what: 'block 4, mean', s: at({ view: 'attention', layer: 4, head: 0 }) },
      { what: 'rollout to 2', s: at({ view: 'rollout', layer: 2 }) },
      { what: 'rollout to 6', s: at({ view: 'rollout', layer: 6 }) },
      { what: 'saliency', s: at({ view: 'saliency' }) },
      { what: 'saliency, other image', s: at({ view: 'saliency', image: 5 }) },
    ];
    // Saliency goes through the gradient, in a different order on each backend: a looser bound for it.
    const viewTol = (s: LabState) => (s.view === 'saliency' ? 1e-3 : TOL);
    const maps: number[][] = [];
    for (const v of views) {
      await setCase(page, { what: v.what, s: v.s });
      const map = JSON.parse((await page.getAttribute('[data-lab]', 'data-view-map'))!) as number[];
      const want = nodeView(models, v.s);
      expect(map.length, v.what).toBe(want.length);
      expect(maxDiff(map, want), v.what).toBeLessThan(viewTol(v.s));
      const text = (await page.textContent('[data-lab-view-text]'))!;
      // After the colon: the three patches with their shares (before it, the even share, 2.0%).
      expect(text.split(/[:：]/).pop()!.match(/\d+\.\d%/g), `${v.what}: three patches and their shares in words`).toHaveLength(3);
      maps.push(map);
    }
    // A change counts when it is 10× the bound on equality, as for the answers. The fixture's random attention is near uniform
    // (about 2% on every patch), so its heads differ by less than 1e-3 (9e-4 between block 1's heads 1 and 2): an absolute
    // 1e-3 would ask random weights for a structure only training gives.
    for (const [a, b] of [[0, 1], [1, 2], [2, 3], [4, 5], [6, 7]] as const) expect(maxDiff(maps[a]!, maps[b]!), `${views[a]!.what} → ${views[b]!.what}`).toBeGreaterThan(10 * viewTol(views[a]!.s));
    // The heat map is drawn: the canvas is not one flat colour.
    const colours = await page.evaluate(() => {
      const c = document.querySelector<HTMLCanvasElement>('[data-lab-canvas="view"]')!;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      return new Set(Array.from({ length: d.length / 4 }, (_, i) => `${d[i * 4]},${d[i * 4 + 1]},${d[i * 4 + 2]}`)).size;
    });
    expect(colours).toBeGreaterThan(10);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 600_000);

  it('draw and upload: a drawing by pointer, a test image copied by keyboard and an uploaded file answer as Node does, from the browser alone', async () => {
    const { page, problems, requests } = await openLab(withFixture, { width: 1280, theme: 'dark' });
    await page.click('[data-lab-run]');
    await page.waitForSelector('[data-lab][data-state="answered"]', { timeout: 180_000 });
    await page.selectOption('[data-lab-field="input"]', 'draw');
    const drawn = async () => {
      const q = new URLSearchParams((await page.getAttribute('[data-lab]', 'data-answered-for'))!);
      return q.get('input') === 'draw' && q.get('drawing') ? decodeImage(q.get('drawing')!) : null;
    };
    const probsNow = () => page.evaluate((archs) => archs.map((a) => JSON.parse(document.querySelector<HTMLElement>(`[data-lab-answers] th[data-model="${a}"]`)!.dataset.probs!) as number[]), [...LAB_ARCHS]);
    const checkAgainstNode = async (image: Float32Array, what: string) => {
      const probs = await probsNow();
      LAB_ARCHS.forEach((arch, i) => {
        const want = tf.tidy(() => Array.from(tf.softmax(models.get(arch)!.forward(tf.tensor4d(image, [1, 28, 28, 1]), { training: false }).logits).dataSync()));
        expect(maxDiff(probs[i]!, want), `${what}, ${arch}`).toBeLessThan(TOL);
      });
    };
    /** Waits until the lab has answered for a drawing other than `before` (each change redraws the drawing and answers again). */
    const answeredNewDrawing = (before: string | null) => page.waitForFunction((b) => {
      const q = new URLSearchParams(document.querySelector<HTMLElement>('[data-lab]')!.dataset.answeredFor);
      return q.has('drawing') && q.get('drawing') !== b;
    }, before);
    const drawingParam = async () => new URLSearchParams((await page.getAttribute('[data-lab]', 'data-answered-for'))!).get('drawing');
    // A stroke with the mouse (pointer events: touch and pen take the same path). The mouse acts at viewport
    // coordinates, and at 1280×800 the drawing area sits below the fold (y ≈ 1480): bring it into view first.
    await page.locator('[data-lab-draw]').scrollIntoViewIfNeeded();
    const box = (await page.locator('[data-lab-draw]').boundingBox())!;
    expect(box.y >= 0 && box.y + box.height <= 800, 'the drawing area is in the viewport').toBe(true);
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.2);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + box.width * 0.3 + i * box.width * 0.04, box.y + box.height * (0.2 + i * 0.06));
    await page.mouse.up();
    await answeredNewDrawing(null);
    // The last move's answer: the drawing in the URL stops changing once the stroke is answered.
    await page.waitForFunction(() => document.querySelector<HTMLElement>('[data-lab]')!.dataset.answeredFor === location.search);
    const stroke = (await drawn())!;
    expect(stroke.filter((v) => v > 0.5).length, 'the stroke left ink').toBeGreaterThan(10);
    expect(new URL(page.url()).searchParams.get('drawing')).toBeTruthy();
    await checkAgainstNode(stroke, 'drawing');
    // Keyboard: copy the chosen test image into the drawing.
    const afterStroke = await drawingParam();
    await page.focus('[data-lab-draw-sample]');
    await page.keyboard.press('Enter');
    await answeredNewDrawing(afterStroke);
    expect(maxDiff(Array.from((await drawn())!), Array.from(sampleImage(sample, 0).image))).toBeLessThan(1e-6);
    await checkAgainstNode(sampleImage(sample, 0).image, 'copied test image');
    // Upload: a dark bar on a white 60×40 picture, made in the page.
    const afterCopy = await drawingParam();
    expect(await page.textContent('[data-lab-upload-name]')).toBe(UI.en['atlas.lab.draw.noFile']);
    await page.setInputFiles('[data-lab-upload]', { name: 'bar.png', mimeType: 'image/png', buffer: await barPng(page) });
    await page.waitForSelector('[data-lab-upload-box]:not([hidden])');
    expect(await page.textContent('[data-lab-upload-name]')).toBe(UI.en['atlas.lab.draw.fileName']!.replace('{{name}}', 'bar.png'));
    await page.waitForFunction(() => document.querySelector('[data-lab-upload-text]')!.textContent!.length > 0);
    await answeredNewDrawing(afterCopy);
    const up = (await drawn())!;
    // Inverted (light background), cropped and scaled: a bright bar 20 px long and 5 px high in the middle.
    const rows = new Set<number>(), cols = new Set<number>();
    up.forEach((v, i) => { if (v > 0.5) { rows.add(Math.floor(i / 28)); cols.add(i % 28); } });
    expect(cols.size).toBe(20);
    expect(rows.size).toBe(5);
    await checkAgainstNode(up, 'upload');
    expect(requests.filter((r) => r.startsWith('blob:') || r.startsWith('data:')), 'the file is read in place, never fetched').toEqual([]);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 600_000);

  it('the confidence chart: each column\'s probability of the true class across the moved slider\'s range, as Node computes it, with a table; it follows the slider', async () => {
    const { page, problems } = await openLab(withFixture, { width: 1280, theme: 'light' });
    await page.click('[data-lab-run]');
    await page.waitForSelector('[data-lab][data-state="answered"]', { timeout: 180_000 });
    type Sweep = { control: string; values: number[]; probs: Record<string, number[]> };
    const sweep = async () => JSON.parse((await page.getAttribute('[data-lab]', 'data-sweep'))!) as Sweep;
    const label = sampleImage(sample, 0).label;
    const checkSweep = (got: Sweep, control: LabControl, base: LabState, keys: string[]) => {
      expect(got.control).toBe(control);
      expect(got.values).toEqual(sweepValues(control));
      expect(Object.keys(got.probs)).toEqual(keys);
      for (const key of keys) got.values.forEach((v, i) => {
        const want = nodeProbs(models.get(key)!, { s: { ...base, [control]: v } })[label]!;
        expect(Math.abs(got.probs[key]![i]! - want), `${key} at ${control} = ${v}`).toBeLessThan(TOL);
      });
    };
    const points = () => page.locator('[data-lab-sweep-svg] polyline').evaluateAll((ls) => ls.map((l) => l.getAttribute('points')));
    const markerX = () => page.getAttribute('[data-lab-sweep-marker]', 'x1');

    // Before any slider moves, the chart sweeps the low-pass filter: one line per column, a point per setting, a table row per setting.
    checkSweep(await sweep(), 'lowPass', DEFAULT_STATE, MAIN);
    expect(await page.isVisible('[data-lab-sweep-svg]')).toBe(true);
    expect(await page.locator('[data-lab-sweep-svg] circle').count()).toBe(MAIN.length * sweepValues('lowPass').length);
    expect(await page.locator('[data-lab-sweep-legend] li').allTextContents()).toEqual(['ResNet-mini', 'ViT-mini', 'Hybrid-mini']);
    expect(await page.locator('[data-lab-sweep-table] tbody tr').count()).toBe(sweepValues('lowPass').length);
    expect(await page.locator('[data-lab-sweep-table] tbody td').first().textContent()).toMatch(/^\d+\.\d%$/);
    const lowPassLines = await points();

    // Moving another slider (by keyboard) makes it the chart's: the sweep is recomputed over its range.
    await page.focus('[data-lab-control="noise"]');
    await page.keyboard.press('End');
    await page.waitForFunction(() => document.querySelector<HTMLElement>('[data-lab]')!.dataset.answeredFor === '?noise=0.5');
    const atEnd = await sweep();
    checkSweep(atEnd, 'noise', at({ noise: 0.5 }), MAIN);
    expect(await page.textContent('[data-lab-sweep-text]')).toContain('Gaussian noise: standard deviation σ');
    expect(await points()).not.toEqual(lowPassLines);
    const endX = await markerX();
    // Moving the same slider again moves only the marker: the curves depend on the other settings alone.
    await page.keyboard.press('Home');
    await page.waitForFunction(() => document.querySelector<HTMLElement>('[data-lab]')!.dataset.answeredFor === '');
    expect(await sweep()).toEqual(atEnd);
    expect(Number(await markerX())).toBeLessThan(Number(endX));
    // Another setting (the image) redraws the curves for the same slider.
    await page.focus('[data-lab-image]');
    await page.keyboard.press('ArrowUp');
    await page.waitForFunction(() => document.querySelector<HTMLElement>('[data-lab]')!.dataset.answeredFor === '?image=2');
    expect((await sweep()).probs).not.toEqual(atEnd.probs);
    // The optional column joins the chart, dashed.
    await setCase(page, { what: 'small-data ViT', s: at({ image: 2, smallVit: true }) });
    expect(Object.keys((await sweep()).probs)).toEqual(ALL);
    expect(await page.locator('[data-lab-sweep-svg] polyline[stroke-dasharray]').count()).toBe(1);
    // A drawing has no true class: no chart, and the text says why.
    await page.selectOption('[data-lab-field="input"]', 'draw');
    await page.waitForFunction(() => document.querySelector<HTMLElement>('[data-lab]')!.dataset.answeredFor!.includes('input=draw'));
    expect(await page.isVisible('[data-lab-sweep-svg]')).toBe(false);
    expect(await page.textContent('[data-lab-sweep-text]')).toBe('A drawing has no true class, so there is no chart.');
    expect(problems).toEqual([]);
    await page.context().close();
  }, 600_000);

  it('adversarial: FGSM and PGD against a chosen model stay within ε, raise that model\'s loss, and the other models answer the perturbed image as Node does', async () => {
    const { page, problems } = await openLab(withFixture, { width: 1280, theme: 'light' });
    await page.click('[data-lab-run]');
    await page.waitForSelector('[data-lab][data-state="answered"]', { timeout: 180_000 });
    const clean = transform(sampleImage(sample, 1).image, at({ image: 2 }));
    const nodeP = (arch: string, x: Float32Array) => tf.tidy(() => Array.from(tf.softmax(models.get(arch)!.forward(tf.tensor4d(x, [1, 28, 28, 1]), { training: false }).logits).dataSync()));
    const seen: Float32Array[] = [];
    for (const [attack, attackModel, epsilon] of [['fgsm', 0, 0.1], ['pgd', 0, 0.1], ['pgd', 1, 0.1], ['fgsm', 0, 0.2]] as const) {
      const st = at({ image: 2, attack, attackModel, epsilon });
      const probs = await setCase(page, { what: `${attack} on ${LAB_ARCHS[attackModel]} at ${epsilon}`, s: st });
      const adv = Float32Array.from(JSON.parse((await page.getAttribute('[data-lab]', 'data-attacked'))!) as number[]);
      seen.push(adv);
      expect(maxDiff(Array.from(adv), Array.from(clean)), 'within the ε ball').toBeLessThanOrEqual(epsilon + 1e-6);
      expect(maxDiff(Array.from(adv), Array.from(clean)), 'and it moved').toBeGreaterThan(epsilon / 2);
      expect(Math.min(...adv)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...adv)).toBeLessThanOrEqual(1);
      // The attacked model's confidence in its clean answer falls.
      const arch = LAB_ARCHS[attackModel], before = nodeP(arch, clean), k = before.indexOf(Math.max(...before));
      expect(probs[attackModel]![k]!, `${attack}: the attacked model's confidence in its clean answer`).toBeLessThan(before[k]!);
      // Every model's answer on the perturbed image is Node's on the same image.
      LAB_ARCHS.forEach((a, i) => expect(maxDiff(probs[i]!, nodeP(a, adv)), `${attack}, ${a}`).toBeLessThan(TOL));
      const rows = await page.locator('[data-lab-attack-list] li').allTextContents();
      expect(rows, 'before → after, in words, for each model').toHaveLength(3);
    }
    expect(maxDiff(Array.from(seen[0]!), Array.from(seen[1]!)), 'PGD differs from FGSM').toBeGreaterThan(1e-3);
    expect(maxDiff(Array.from(seen[1]!), Array.from(seen[2]!)), 'the target model matters').toBeGreaterThan(1e-3);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 600_000);

  it('at 320, 390 and 1280 px, light and dark, in English and Japanese: with every section open, nothing scrolls sideways, and on a phone the answers sit between the images and the controls', async () => {
    // LAB_SCREENSHOTS=<folder> also saves each page whole, to look at.
    const shots = process.env.LAB_SCREENSHOTS;
    const failures: string[] = [];
    for (const lang of ['', '/ja']) for (const theme of ['light', 'dark'] as const) {
      const { page, problems } = await openLab(`${withFixture}${lang}`, { width: 390, theme }, '/lab/?input=cue&view=attention&attack=fgsm&smallVit=1');
      await page.click('[data-lab-run]');
      await page.waitForSelector('[data-lab][data-state="answered"]', { timeout: 180_000 });
      await page.click('[data-lab-sweep-chart] summary');
      for (const input of ['cue', 'draw'] as const) {
        if (input === 'draw') {
          await page.selectOption('[data-lab-field="input"]', 'draw');
          await page.waitForFunction(() => document.querySelector<HTMLElement>('[data-lab]')!.dataset.answeredFor!.includes('input=draw'));
        }
        for (const width of [320, 390, 1280]) {
          await page.setViewportSize({ width, height: 800 });
          const o = await page.evaluate(widestOffender);
          if (o) failures.push(`${lang || '/en'} ${theme} ${width} px, ${input}: ${o.docWidth} px wide; widest: ${o.element} (right edge ${o.right} px)`);
          // One column on a phone: images, then the answers, then the controls, top to bottom as in the DOM.
          if (width < 1280) {
            const ys = await page.evaluate(() => ['[data-lab-canvas="input"]', '[data-lab-answers]', '[data-lab-field="input"]'].map((q) => document.querySelector(q)!.getBoundingClientRect()));
            if (!(ys[0]!.bottom <= ys[1]!.top && ys[1]!.bottom <= ys[2]!.top)) failures.push(`${lang || '/en'} ${theme} ${width} px, ${input}: images, answers and controls out of order on screen (tops ${ys.map((r) => Math.round(r.top)).join(', ')})`);
          }
          // Four columns: each class name stays on one line (Japanese would otherwise break between any two kana).
          const names = await page.evaluate(brokenNames, classNames(lang ? 'ja' : 'en'));
          expect(names.cells, 'three ranks in four columns').toBe(12);
          for (const b of names.broken) failures.push(`${lang || '/en'} ${theme} ${width} px, ${input}: class name broken: ${b}`);
          if (shots) await page.screenshot({ path: join(shots, `lab${lang.replace('/', '-')}-${theme}-${width}-${input}.png`), fullPage: true });
        }
      }
      expect(problems).toEqual([]);
      await page.context().close();
    }
    expect(failures, failures.join('\n')).toEqual([]);
  }, 600_000);

  it('at 1280×800 with four columns: the answers follow the images and precede the transforms in the DOM, fit their box beside the controls, and stay in view while the last slider is moved', async () => {
    const shots = process.env.LAB_SCREENSHOTS;
    const { page, problems } = await openLab(withFixture, { width: 1280, theme: 'light' }, '/lab/?smallVit=1');
    await page.click('[data-lab-run]');
    await page.waitForSelector('[data-lab][data-state="answered"]', { timeout: 180_000 });
    if (shots) await page.screenshot({ path: join(shots, 'lab-1280-answered.png') });
    // Document order, which keyboard and screen-reader users follow.
    const order = await page.evaluate(() => {
      const parts = { images: '[data-lab-canvas="input"]', run: '[data-lab-run]', answers: '[data-lab-answers]', transforms: '.atlas-lab__controls', lowPass: '[data-lab-control="lowPass"]' };
      return Object.entries(parts).map(([k, q]) => [k, document.querySelector(q)!] as const)
        .sort(([, a], [, b]) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1)).map(([k]) => k);
    });
    expect(order).toEqual(['images', 'run', 'answers', 'transforms', 'lowPass']);
    // Beside the controls, the four columns fit without scrolling in their box.
    const box = await page.evaluate(() => {
      const b = document.querySelector<HTMLElement>('[data-lab-answers-box]')!, c = document.querySelector('.atlas-lab__controls')!.getBoundingClientRect();
      return { scroll: b.scrollWidth, client: b.clientWidth, right: b.getBoundingClientRect().right, controlsLeft: c.left, columns: b.querySelectorAll('thead th[data-model]').length };
    });
    expect(box.columns).toBe(4);
    expect(box.scroll, 'the answers fit their box').toBeLessThanOrEqual(box.client);
    expect(box.right, 'the answers sit left of the controls').toBeLessThanOrEqual(box.controlsLeft);
    /** Whether the answers table is in the window and drawn on top (not under the site's header), at its first and last rows. */
    const answersInView = () => page.evaluate(() => {
      const t = document.querySelector<HTMLElement>('[data-lab-answers]')!, r = t.getBoundingClientRect();
      const hit = (y: number) => t.contains(document.elementFromPoint(r.left + 8, y));
      return { top: Math.round(r.top), bottom: Math.round(r.bottom), height: innerHeight, scrolled: scrollY, visible: r.top >= 0 && r.bottom <= innerHeight && hit(r.top + 4) && hit(r.bottom - 4) };
    });
    // Scrolled as little as shows the last transform slider: the page has moved, the answers have not left.
    await page.evaluate(() => document.querySelector('[data-lab-control="shuffle"]')!.scrollIntoView({ block: 'end' }));
    const scrolled = await answersInView();
    expect(scrolled.scrolled, 'the page scrolled to reach the slider').toBeGreaterThan(200);
    expect(scrolled.visible, `answers at ${scrolled.top}–${scrolled.bottom} px of ${scrolled.height}`).toBe(true);
    // Moving that slider: the answers change where the reader is looking.
    const before = await page.getAttribute('[data-lab-answers] th[data-model="resnet_mini_28"]', 'data-probs');
    await page.focus('[data-lab-control="shuffle"]');
    await page.keyboard.press('End');
    await page.waitForFunction(() => document.querySelector<HTMLElement>('[data-lab]')!.dataset.answeredFor!.includes('shuffle='), undefined, { timeout: 120_000 });
    expect(await page.getAttribute('[data-lab-answers] th[data-model="resnet_mini_28"]', 'data-probs')).not.toBe(before);
    const moved = await answersInView();
    expect(moved.visible, `after the move, answers at ${moved.top}–${moved.bottom} px of ${moved.height}`).toBe(true);
    if (shots) await page.screenshot({ path: join(shots, 'lab-1280-scrolled.png') });
    expect(problems).toEqual([]);
    await page.context().close();
  }, 600_000);

  it('in Japanese at 390 px, dark: answers by keyboard, all text Japanese or a name, no sideways scroll, no axe violation', async () => {
    const { page, problems } = await openLab(`${withFixture}/ja`, { width: 390, theme: 'dark' });
    await page.focus('[data-lab-run]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-lab][data-state="answered"]', { timeout: 180_000 });
    await page.focus('[data-lab-control="lowPass"]');
    await page.keyboard.press('Home');
    await page.waitForFunction(() => document.querySelector<HTMLElement>('[data-lab]')!.dataset.answeredFor === '?lowPass=0.05');
    await page.focus('[data-lab-image]');
    await page.keyboard.press('ArrowUp');
    await page.waitForFunction(() => document.querySelector<HTMLElement>('[data-lab]')!.dataset.answeredFor === '?image=2&lowPass=0.05');
    // The cue-conflict input by keyboard: its fields appear and are Japanese too.
    await page.focus('[data-lab-field="input"]');
    await page.selectOption('[data-lab-field="input"]', 'cue');
    await page.waitForFunction(() => document.querySelector<HTMLElement>('[data-lab]')!.dataset.answeredFor === '?input=cue&image=2&lowPass=0.05');
    // The optional column by keyboard, and the chart's table opened: their words are checked below too.
    await page.focus('[data-lab-field="smallVit"]');
    await page.keyboard.press('Space');
    await page.waitForFunction(() => document.querySelector<HTMLElement>('[data-lab]')!.dataset.answeredFor === '?input=cue&image=2&lowPass=0.05&smallVit=1', undefined, { timeout: 120_000 });
    await page.focus('[data-lab-sweep-chart] summary');
    await page.keyboard.press('Enter');
    expect(await page.locator('[data-lab-regime]').allTextContents()).toEqual(['2,000 枚で学習、テスト精度 51.2%', '55,000 枚で学習、テスト精度 63.4%', '55,000 枚で学習、テスト精度 75.6%', '2,000 枚で学習、テスト精度 47.8%']);
    expect(await page.locator('[data-lab-sweep-table] tbody tr').count()).toBe(sweepValues('lowPass').length);

    const latin = await page.evaluate(() => {
      const out: string[] = [];
      let checked = 0;
      const walk = document.createTreeWalker(document.querySelector('[data-lab]')!, NodeFilter.SHOW_TEXT);
      for (let n = walk.nextNode(); n; n = walk.nextNode()) {
        const t = n.textContent!.trim(), el = n.parentElement!;
        if (!t || !el.checkVisibility()) continue;
        checked++;
        if (!/[\u3040-\u30ff\u3400-\u9fff]/.test(t) && !/^(?:[\d.,%\s〜]+|(?:ResNet|ViT|Hybrid)-mini)$/.test(t)) out.push(t);
      }
      return { checked, out };
    });
    expect(latin.checked, 'the walk saw the controls and the table').toBeGreaterThan(20);
    expect(latin.out).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);

    expect(await seriousAxeViolations(page, '[data-lab]')).toEqual([]);
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
