import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOCS, frontmatter, pagesOf } from '../helpers/content';

describe('i18n parity', () => {
  const en = pagesOf('en');
  const ja = pagesOf('ja');

  it('has pages in both languages', () => {
    expect(en.length).toBeGreaterThan(0);
    expect(ja.length).toBeGreaterThan(0);
  });

  it('every English page has a Japanese page at the same path', () => {
    const missing = en.filter((p) => !ja.includes(p)).map((p) => join(DOCS, 'ja', p));
    expect(missing, `missing Japanese pages: ${missing.join(', ')}`).toEqual([]);
  });

  it('every Japanese page has an English page at the same path', () => {
    const missing = ja.filter((p) => !en.includes(p)).map((p) => join(DOCS, p));
    expect(missing, `missing English pages: ${missing.join(', ')}`).toEqual([]);
  });

  it('paired pages declare the same model, experiments and claims', () => {
    for (const p of en.filter((x) => ja.includes(x))) {
      const a = frontmatter(join(DOCS, p));
      const b = frontmatter(join(DOCS, 'ja', p));
      for (const key of ['model', 'experiments', 'claims', 'template']) {
        expect(b[key], `${key} differs between ${join(DOCS, p)} and its Japanese page`).toEqual(a[key]);
      }
    }
  });

  it('paired pages use the same components with the same data (charts, values, pending slots)', () => {
    const tags = (path: string) =>
      [...readFileSync(path, 'utf8').matchAll(/<(Chart|Value|ExperimentPending|ModelFacts|ModelDiagram|ModelAnalysis|ModelTable)\b([^>]*)\/>/g)]
        .map((m) => `${m[1]} ${m[2]!.replace(/\s+/g, ' ').trim()}`)
        .sort();
    for (const p of en.filter((x) => ja.includes(x))) {
      expect(tags(join(DOCS, 'ja', p)), `components differ: ${join(DOCS, p)} vs ja`).toEqual(tags(join(DOCS, p)));
    }
  });

  it('Japanese pages are written in Japanese', () => {
    for (const p of ja) {
      const text = readFileSync(join(DOCS, 'ja', p), 'utf8');
      const kana = (text.match(/[\u3040-\u30ff]/g) ?? []).length;
      expect(kana, `${join(DOCS, 'ja', p)} has almost no kana: is it translated?`).toBeGreaterThan(20);
    }
  });
});

describe('UI strings', () => {
  const en = JSON.parse(readFileSync('src/content/i18n/en.json', 'utf8')) as Record<string, string>;
  const ja = JSON.parse(readFileSync('src/content/i18n/ja.json', 'utf8')) as Record<string, string>;

  it('en.json and ja.json name no key twice (JSON.parse would keep the last one silently)', () => {
    for (const lang of ['en', 'ja']) {
      const text = readFileSync(`src/content/i18n/${lang}.json`, 'utf8');
      const keys = [...text.matchAll(/^\s*"([^"]+)":/gm)].map((m) => m[1]!);
      expect(keys.length, lang).toBeGreaterThan(100);
      expect(keys.filter((k, i) => keys.indexOf(k) !== i), `src/content/i18n/${lang}.json`).toEqual([]);
    }
  });

  it('en.json and ja.json have the same keys', () => {
    expect(Object.keys(ja).sort()).toEqual(Object.keys(en).sort());
  });

  it('the Japanese Pagefind search UI is translated (result counts, filters, clear)', () => {
    for (const key of ['pagefind.many_results', 'pagefind.one_result', 'pagefind.zero_results', 'pagefind.filters_label', 'pagefind.clear_search']) {
      expect(ja[key], key).toBeTruthy();
      expect(ja[key], key).not.toEqual(en[key]);
    }
  });

  it('every atlas.* key used in src/ exists', () => {
    const used = new Set<string>();
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.(ts|astro)$/.test(name)) {
          for (const m of readFileSync(p, 'utf8').matchAll(/['"`](atlas\.[\w.-]+)['"`]/g)) used.add(m[1]!);
        }
      }
    };
    walk('src');
    // A literal that is a prefix of existing keys (charts build `${prefix}.title`) counts as used.
    const missing = [...used].filter((k) => !(k in en) && !Object.keys(en).some((e) => e.startsWith(`${k}.`)));
    expect(missing).toEqual([]);
  });
});
