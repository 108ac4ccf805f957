/**
 * Search ranking on held-out queries in both languages, through Pagefind's own API in the built
 * site (the index the search dialog uses): the expected page must be among the first three results.
 * The queries were written from the articles' subjects, not from the tuning runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium } from '../helpers/system-deps';
import { openBuiltSite, themedContext } from '../helpers/browser';

const run = hasChromium();
let site: Awaited<ReturnType<typeof openBuiltSite>>;
beforeAll(async () => {
  if (run) site = await openBuiltSite();
});
afterAll(async () => site?.close());

/** [query, a pattern that one of the top three result paths must match]. */
const QUERIES: Record<'en' | 'ja', [string, RegExp][]> = {
  en: [
    ['shape or texture', /^\/articles\/shape-vs-texture\/$/],
    ['loss landscape', /^\/articles\/attention-distance-loss-landscape\/$/],
    ['high-frequency noise', /^\/articles\/frequency-robustness\/$/],
    ['adversarial robustness', /^\/articles\/frequency-robustness\/$/],
    ['shifted window', /^\/models\/swin-t\/$/],
    ['convolutional stem', /^\/articles\/hybrid-patterns\/$|^\/models\/(r50-vit-b16|coatnet-0|levit-256|botnet)\/$/],
    ['claims verdicts', /^\/experiments\/claims-ledger\/$/],
    ['model list', /^\/models\/$/],
  ],
  ja: [
    ['データ効率', /^\/ja\/articles\/vit-weaknesses\/$/],
    ['形状バイアス', /^\/ja\/articles\/shape-vs-texture\/$/],
    ['損失地形', /^\/ja\/articles\/attention-distance-loss-landscape\/$/],
    ['高周波ノイズ', /^\/ja\/articles\/frequency-robustness\/$/],
    ['アテンション', /^\/ja\/articles\/(attention-distance-loss-landscape|cnn-vs-vit|hybrid-patterns)\/$/],
    ['トランスフォーマー', /^\/ja\/articles\/(cnn-vs-vit|vit-weaknesses|hybrid-patterns)\/$/],
    ['シフトウィンドウ', /^\/ja\/models\/swin-t\/$/],
    ['主張の判定', /^\/ja\/experiments\/claims-ledger\/$/],
    ['モデル一覧', /^\/ja\/models\/$/],
  ],
};

/**
 * Known gap, kept visible: the ViT-weaknesses article talks about data hunger without the words
 * these queries use, so prefix matches (EfficientNet, EfficientFormer) win. When the prose uses
 * them, this block fails: move the queries into QUERIES.en.
 */
const KNOWN_MISSES: [string, RegExp][] = [
  ['data efficiency', /^\/articles\/vit-weaknesses\/$/],
  ['how much data does a ViT need', /^\/articles\/vit-weaknesses\/$/],
];

async function top3(query: string, lang: 'en' | 'ja'): Promise<string[]> {
  const context = await themedContext(site.browser, { width: 1280, theme: 'light' });
  const page = await context.newPage();
  await page.goto(site.url + (lang === 'ja' ? '/ja/' : '/'));
  // A string, so the test runner does not rewrite the dynamic import of the site's own Pagefind bundle.
  const top: string[] = await page.evaluate(`(async (q) => {
    const pagefind = await import('/pagefind/pagefind.js');
    await pagefind.init();
    const search = await pagefind.search(q);
    const data = await Promise.all(search.results.slice(0, 3).map((r) => r.data()));
    return data.map((d) => new URL(d.url, location.origin).pathname);
  })(${JSON.stringify(query)})`);
  await context.close();
  return top;
}

describe.skipIf(!run)('search ranking (held-out queries)', () => {
  for (const [query, expected] of KNOWN_MISSES) {
    it.fails(`known miss until the article uses the words: "${query}"`, async () => {
      expect((await top3(query, 'en')).some((p) => expected.test(p))).toBe(true);
    });
  }

  for (const lang of ['en', 'ja'] as const) {
    it(`puts the right page in the top 3 (${lang})`, async () => {
      const misses: string[] = [];
      for (const [query, expected] of QUERIES[lang]) {
        const top = await top3(query, lang);
        if (!top.some((p) => expected.test(p))) misses.push(`"${query}": top 3 = ${top.join(', ') || '(none)'}; expected ${expected}`);
      }
      expect(misses, misses.join('\n')).toEqual([]);
    });
  }
});
