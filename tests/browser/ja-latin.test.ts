/**
 * No English UI text on the Japanese pages: every visible text node (HTML and SVG, so diagram labels and
 * chart legends count) of every built /ja/ page either contains Japanese or is made only of names that stay
 * Latin in Japanese technical writing: model, dataset and method names, units, code, and citations.
 * Text inside <code>/<pre> or marked lang="en" (the link to the English site) is skipped.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM, hasChromium } from '../helpers/system-deps';
import { serveDir } from '../helpers/static-server';
import { DIST, ensureBuiltSite } from '../helpers/built-site';
import { MODELS } from '../helpers/content';

const run = hasChromium();
let browser: Browser;
let server: Awaited<ReturnType<typeof serveDir>>;

/** Names that are written in Latin letters in Japanese text too. */
function allowedNames(): string[] {
  const names = new Set<string>();
  for (const f of readdirSync(MODELS).filter((n) => n.endsWith('.yaml'))) {
    const m = yaml.load(readFileSync(join(MODELS, f), 'utf8')) as { name: string; family: string; timm?: string };
    names.add(m.name);
    names.add(m.family);
    names.add(m.family.replace(/\s*\(.*\)$/, ''));
  }
  const ja = JSON.parse(readFileSync('src/content/i18n/ja.json', 'utf8')) as Record<string, string>;
  for (const [k, v] of Object.entries(ja)) if (k.startsWith('atlas.miniModel.') || k.startsWith('atlas.chart.cka.net.')) names.add(v);
  return [...names];
}

// Method, dataset, metric and unit names kept in Latin letters in Japanese technical prose.
const TERMS =
  /\b(?:ImageNet(?:-[0-9]+[kK])?|ImageNet-C|JFT-300M|Fashion-MNIST(?:-C)?|CIFAR(?:-10)?(?:-C)?|Stylized-ImageNet|SIN|GMACs?|GFLOPs?|FLOPs|MACs|MiB|px|top-1|CKA|HSIC|FGSM|PGD|NEP|APE|AdamW|LayerNorm|BatchNorm|GroupNorm|LayerScale|MLP|FFN|ConvFFN|LeFF|MHSA|GSA|LSA|SRA|LCA|CPE|CRPE|LePE|GPSA|MBConv\d?|MV2|MB4D|MB3D|NCB|NTB|SE|GELU|ReLU|Hardswish|RepMixer|Performer|Transformer|Vision Transformer|ViT|CNN|ResNet|Swin|PVT|Hybrid|softmax|sigmoid|Vega-Lite|JSON|CSV|SVG|SHA-256|sha256|BibTeX|TensorFlow\.js|PyTorch|PyHessian|Lanczos|RMS|Welch|TNT|T2T|I2T|BoT|patchify|soft split|Mixer|DeiT|CaiT|word|sentence|weight decay|timm|arXiv|README|GitHub|English|Fig\.|Table|Sec\.|Eq\.|Appendix)\b/g;
// A citation: "Author et al. 2021", "Author & Author 2022", a venue and year, an arXiv id, a URL.
const CITATION =
  /(?:et al\.|&\s*[A-Z][a-z]+)[^\n]*\b(?:19|20)\d\d\b|\b(?:ICLR|ICML|ICCV|ECCV|CVPR|NeurIPS|CogSci|TPAMI|arXiv)\b[^\n]*\b(?:19|20)\d\d\b|arXiv:\s*\d{4}\.\d{4,5}|https?:\/\/\S+/;
// A model or method name spelled with inner capitals or digits (BoTNet, MViTv2, CvT).
const NAME_LIKE = /\b[A-Za-z]*[A-Z][a-z]*[A-Z0-9][A-Za-z0-9-]*\b/g;

function latinOnlyLabel(text: string, names: string[]): boolean {
  if (/[\u3000-\u303f\u3040-\u30ff\u3400-\u9fff]/.test(text)) return false;
  // A named module with its acronym, as the paper names it: "Global sub-sampled attention（GSA）".
  if (/^[A-Z][A-Za-z -]+（[A-Z]{2,}）$/.test(text)) return false;
  if (CITATION.test(text)) return false;
  let rest = text;
  for (const n of names) rest = rest.split(n).join(' ');
  rest = rest.replace(TERMS, ' ').replace(NAME_LIKE, ' ');
  return /[A-Za-z]{3,}/.test(rest);
}

function jaPages(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name === 'index.html') out.push('/' + p.slice(DIST.length + 1).replace(/index\.html$/, ''));
    }
  };
  walk(join(DIST, 'ja'));
  return out.sort();
}

beforeAll(async () => {
  if (!run) return;
  ensureBuiltSite();
  server = await serveDir(DIST);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe.skipIf(!run)('Japanese pages show no English UI text', () => {
  it('the filter tells English labels from names and citations', () => {
    const names = ['Swin-T', 'ViT-B/16'];
    expect(latinOnlyLabel('Patch merging', names)).toBe(true);
    expect(latinOnlyLabel('Group', names)).toBe(true);
    expect(latinOnlyLabel('swin_tiny_patch4_window7_224', names)).toBe(true);
    expect(latinOnlyLabel('Swin-T', names)).toBe(false);
    expect(latinOnlyLabel('パッチ統合', names)).toBe(false);
    expect(latinOnlyLabel('Liu et al. 2021, Table 1(a)', names)).toBe(false);
    expect(latinOnlyLabel('GMACs (224 px)', names)).toBe(false);
  });

  it('every /ja/ page', async () => {
    const names = allowedNames().sort((a, b) => b.length - a.length);
    const page = await browser.newPage();
    const problems: string[] = [];
    for (const path of jaPages()) {
      await page.goto(server.url + path, { waitUntil: 'load' });
      const texts = await page.evaluate(() => {
        const out: string[] = [];
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const text = (n.textContent ?? '').replace(/\s+/g, ' ').trim();
          const el = n.parentElement;
          if (!text || !el) continue;
          if (el.closest('code, pre, kbd, cite, script, style, template, [lang="en"], [hidden], dialog:not([open])')) continue;
          // The reference list: the list right after the 参考文献 heading holds citations.
          const list = el.closest('ul, ol');
          const heading = list?.previousElementSibling?.closest('.sl-heading-wrapper, h2') ?? list?.previousElementSibling;
          if (heading && /参考文献/.test(heading.textContent ?? '')) continue;
          const box = el.getBoundingClientRect();
          if (box.width === 0 && box.height === 0) continue;
          if (getComputedStyle(el).visibility === 'hidden') continue;
          out.push(text);
        }
        return out;
      });
      for (const t of new Set(texts)) if (latinOnlyLabel(t, names)) problems.push(`${path}: "${t}"`);
    }
    await page.close();
    expect(problems, `English text on Japanese pages (translate it, or mark a deliberate English link with lang="en"):\n${problems.join('\n')}`).toEqual([]);
  }, 600_000);
});
