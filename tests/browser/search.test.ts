/**
 * Search ranking on held-out queries in both languages, through Pagefind's own API in the built
 * site (the index the search dialog uses) with the ranking weights the dialog uses: the expected
 * page must be among the first three results. The queries were written from the articles'
 * subjects, not from the tuning runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium } from '../helpers/system-deps';
import { openBuiltSite, themedContext } from '../helpers/browser';
import { SEARCH_RANKING } from '../../src/lib/search-ranking.mjs';

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
    ['data efficiency', /^\/articles\/vit-weaknesses\/$/],
    ['how much data does a ViT need', /^\/articles\/vit-weaknesses\/$/],
    ['distillation token', /^\/models\/deit-(ti|s|b)\/$|^\/articles\/vit-weaknesses\/$/],
    ['Hessian eigenvalue', /^\/articles\/attention-distance-loss-landscape\/$/],
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
    ['蒸留トークン', /^\/ja\/models\/deit-(ti|s|b)\/$|^\/ja\/articles\/vit-weaknesses\/$/],
    ['ヘッセ行列', /^\/ja\/articles\/attention-distance-loss-landscape\/$/],
  ],
};

type Hit = { path: string; excerpt: string; content: string };

/** The first `n` results for `query`, ranked with the site's weights. */
async function search(query: string, lang: 'en' | 'ja', n = 3): Promise<Hit[]> {
  const context = await themedContext(site.browser, { width: 1280, theme: 'light' });
  const page = await context.newPage();
  await page.goto(site.url + (lang === 'ja' ? '/ja/' : '/'));
  // A string, so the test runner does not rewrite the dynamic import of the site's own Pagefind bundle.
  const hits: Hit[] = await page.evaluate(`(async (q, ranking, n) => {
    const pagefind = await import('/pagefind/pagefind.js');
    await pagefind.options({ ranking });
    await pagefind.init();
    const search = await pagefind.search(q);
    const data = await Promise.all(search.results.slice(0, n).map((r) => r.data()));
    return data.map((d) => ({ path: new URL(d.url, location.origin).pathname, excerpt: d.excerpt, content: d.content }));
  })(${JSON.stringify(query)}, ${JSON.stringify(SEARCH_RANKING)}, ${n})`);
  await context.close();
  return hits;
}

const top3 = async (query: string, lang: 'en' | 'ja') => (await search(query, lang)).map((h) => h.path);

/** Table cells read out as text: the prose of the list never quotes three compute figures. */
const isTableDump = (text: string) => (text.match(/\d\s*GMACs/g) ?? []).length >= 3;

describe.skipIf(!run)('search ranking (held-out queries)', () => {
  it('recognises a dump of table cells', () => {
    expect(isTableDump('EfficientNet-B0: 0.4 GMACs, 77.1%; LeViT-256: 1.1 GMACs, 81.6%; DeiT-Ti: 1.3 GMACs, 72.2%')).toBe(true);
    expect(isTableDump('Compute is given in multiply-adds (GMACs), which is what most of these papers call “FLOPs”.')).toBe(false);
  });

  for (const [lang, query] of [['en', 'model list'], ['ja', 'モデル一覧']] as const) {
    it(`indexes the model list as prose, not as its table (${lang})`, async () => {
      const path = lang === 'ja' ? '/ja/models/' : '/models/';
      const hit = (await search(query, lang)).find((h) => h.path === path);
      expect(hit, `${path} is not among the top 3 for "${query}"`).toBeDefined();
      expect(isTableDump(hit!.excerpt), hit!.excerpt).toBe(false);
      expect(isTableDump(hit!.content), hit!.content).toBe(false);
      // What the reader sees under the title: the page's opening prose.
      expect(hit!.excerpt).toMatch(lang === 'ja' ? /グループ/ : /grouped by/);
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
