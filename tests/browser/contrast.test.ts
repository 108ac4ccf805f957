/**
 * Chart text is legible in both themes: every text element of every chart (and the compute
 * breakdown of model pages) has a contrast ratio of at least 4.5:1 against what is drawn behind
 * it (the mark under it, else the page), and is rendered at 11 CSS px or more, at 1280 px and 390 px.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium } from '../helpers/system-deps';
import { openBuiltSite, themedContext, type Theme } from '../helpers/browser';

const run = hasChromium();
let site: Awaited<ReturnType<typeof openBuiltSite>>;
beforeAll(async () => {
  if (run) site = await openBuiltSite();
});
afterAll(async () => site?.close());

/** Pages that together hold every chart definition (the model pages share two). */
const PAGES = [
  '/models/',
  '/models/swin-t/',
  '/articles/attention-distance-loss-landscape/',
  '/articles/frequency-robustness/',
  '/articles/hybrid-patterns/',
  '/articles/shape-vs-texture/',
  '/articles/vit-weaknesses/',
  '/experiments/how-figures-are-made/',
];
const ALL = [...PAGES, ...PAGES.map((p) => `/ja${p}`)];

interface Problem {
  text: string;
  why: string;
}

/** In the page: contrast and rendered size of each chart text. */
function checkChartText(): { count: number; problems: Problem[] } {
  type RGBA = [number, number, number, number];
  const parse = (c: string): RGBA | null => {
    const m = c.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1]!.split(/[\s,/]+/).filter(Boolean).map(Number);
    return [p[0]!, p[1]!, p[2]!, p[3] ?? 1];
  };
  const over = (top: RGBA, bottom: RGBA): RGBA => {
    const a = top[3];
    return [top[0] * a + bottom[0] * (1 - a), top[1] * a + bottom[1] * (1 - a), top[2] * a + bottom[2] * (1 - a), 1];
  };
  const lum = (c: RGBA) => {
    const ch = c.slice(0, 3).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * ch[0]! + 0.7152 * ch[1]! + 0.0722 * ch[2]!;
  };
  const ratio = (a: RGBA, b: RGBA) => {
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x! + 0.05) / (y! + 0.05);
  };
  /** The first opaque-ish background colour up the HTML tree, composited over white at the root. */
  const pageBackground = (el: Element): RGBA => {
    const layers: RGBA[] = [];
    for (let e: Element | null = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) {
        layers.push(c);
        if (c[3] >= 1) break;
      }
    }
    return layers.reduceRight<RGBA>((acc, c) => over(c, acc), [255, 255, 255, 1]);
  };
  /** The colour painted under a text element inside an SVG: the topmost filled shape before it whose box holds its centre. */
  const behind = (text: SVGTextElement, svg: SVGSVGElement): RGBA => {
    let bg = pageBackground(svg);
    const t = text.getBoundingClientRect();
    const cx = t.left + t.width / 2;
    const cy = t.top + t.height / 2;
    for (const shape of svg.querySelectorAll('path, rect, circle, ellipse, polygon')) {
      if (!(shape.compareDocumentPosition(text) & Node.DOCUMENT_POSITION_FOLLOWING)) continue;
      const style = getComputedStyle(shape);
      const fill = parse(style.fill);
      if (!fill || fill[3] === 0) continue;
      const r = shape.getBoundingClientRect();
      if (cx < r.left || cx > r.right || cy < r.top || cy > r.bottom) continue;
      const alpha = fill[3] * Number(style.fillOpacity) * Number(style.opacity);
      bg = over([fill[0], fill[1], fill[2], alpha], bg);
    }
    return bg;
  };

  const problems: Problem[] = [];
  let count = 0;
  for (const svg of document.querySelectorAll<SVGSVGElement>('.atlas-chart__svg svg')) {
    // Rendered size per SVG user unit (1 when drawn at natural size).
    const scale = svg.getBoundingClientRect().width / (svg.viewBox.baseVal?.width || svg.width.baseVal.value);
    const chart = svg.closest('.atlas-chart')?.getAttribute('data-chart') ?? '?';
    for (const text of svg.querySelectorAll<SVGTextElement>('text')) {
      const content = (text.textContent ?? '').trim();
      if (!content) continue;
      count++;
      const style = getComputedStyle(text);
      const fill = parse(style.fill);
      if (!fill) {
        problems.push({ text: `${chart}: "${content}"`, why: `unparsed fill ${style.fill}` });
        continue;
      }
      const alpha = fill[3] * Number(style.fillOpacity) * Number(style.opacity);
      // vega keeps axis labels it drops for overlap in the SVG with opacity 0: not drawn, not read.
      if (alpha === 0) continue;
      const px = parseFloat(style.fontSize) * scale;
      if (px < 10.5) problems.push({ text: `${chart}: "${content}"`, why: `${px.toFixed(1)} px` });
      const bg = behind(text, svg);
      const fg = over([fill[0], fill[1], fill[2], alpha], bg);
      const r = ratio(fg, bg);
      if (r < 4.5) problems.push({ text: `${chart}: "${content}"`, why: `contrast ${r.toFixed(2)}:1 (${style.fill} on rgb(${bg.slice(0, 3).map(Math.round).join(', ')}))` });
    }
  }
  // The compute breakdown of model pages is HTML text: the same check against its background.
  for (const el of document.querySelectorAll<HTMLElement>('.atlas-compute__name, .atlas-compute__value')) {
    count++;
    const fg = parse(getComputedStyle(el).color)!;
    const bg = pageBackground(el);
    const r = ratio(over(fg, bg), bg);
    if (r < 4.5) problems.push({ text: `compute: "${el.textContent?.trim()}"`, why: `contrast ${r.toFixed(2)}:1` });
  }
  return { count, problems };
}

/**
 * Heavy charts are lazily loaded SVG files, one per theme (src/components/charts/svg-file.ts): put the
 * file the page shows in place of its <img>, so its text is checked like an inline chart's.
 */
async function inlineChartFiles(): Promise<void> {
  for (const img of document.querySelectorAll<HTMLImageElement>('img.atlas-chart__file')) {
    if (getComputedStyle(img).display === 'none') continue;
    const text = await (await fetch(img.getAttribute('src')!)).text();
    const svg = new DOMParser().parseFromString(text, 'image/svg+xml').documentElement;
    img.replaceWith(document.importNode(svg, true));
  }
}

describe.skipIf(!run)('chart text contrast and size', () => {
  for (const theme of ['light', 'dark'] as Theme[]) {
    for (const width of [1280, 390]) {
      it(`≥ 4.5:1 and ≥ 11 px, ${theme} theme, ${width} px`, async () => {
        const context = await themedContext(site.browser, { width, theme });
        const page = await context.newPage();
        const failures: string[] = [];
        let total = 0;
        for (const path of ALL) {
          await page.goto(site.url + path, { waitUntil: 'load' });
          expect(await page.getAttribute('html', 'data-theme'), path).toBe(theme);
          await page.evaluate(inlineChartFiles);
          const { count, problems } = await page.evaluate(checkChartText);
          // A page whose experiments are all pending shows no chart; one that shows any must have its text checked.
          const shown = await page.locator('figure.atlas-chart, .atlas-compute__name').count();
          if (shown > 0) expect(count, `${path} has chart text`).toBeGreaterThan(0);
          total += count;
          // One line per distinct problem and page keeps the message readable.
          for (const p of new Set(problems.map((q) => `${path} ${q.text}: ${q.why}`))) failures.push(p);
        }
        await context.close();
        expect(total, 'chart text checked on the listed pages').toBeGreaterThan(100);
        expect(failures.slice(0, 40), `${failures.length} problems:\n${failures.slice(0, 40).join('\n')}`).toEqual([]);
      }, 300_000);
    }
  }
});
