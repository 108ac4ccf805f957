import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { claimSchema } from '../../src/lib/experiments/claims-schema';
import { verdictSchema } from '../../contracts/verdict';
import { chartPages } from '../../src/lib/experiments/chart-placement';

const claims = yaml.load(readFileSync('src/content/claims/claims.yaml', 'utf8')) as unknown[];
const verdictFiles = readdirSync('generated')
  .map((d) => join('generated', d, 'verdict.json'))
  .filter((p) => existsSync(p));

describe('claims ledger data', () => {
  it('has C1–C8, each valid', () => {
    const parsed = claims.map((c) => claimSchema.parse(c));
    expect(parsed.map((c) => c.id)).toEqual(['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7', 'C8']);
  });

  it('links each claim to an existing article in both languages', () => {
    for (const c of claims.map((x) => claimSchema.parse(x))) {
      for (const p of [`src/content/docs/articles/${c.article}.mdx`, `src/content/docs/ja/articles/${c.article}.mdx`]) {
        expect(existsSync(p), `${c.id}: ${p} missing`).toBe(true);
      }
    }
  });

  it('has at least one computed verdict', () => {
    expect(verdictFiles.length).toBeGreaterThan(0);
  });

  it.each(verdictFiles)('%s matches the verdict schema and the claims it names list its experiment', (file) => {
    const result = verdictSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    expect(result.success ? [] : result.error.issues.map((i) => `${file}: ${i.path.join('.')}: ${i.message}`)).toEqual([]);
    const v = result.data!;
    const byId = new Map(claims.map((x) => claimSchema.parse(x)).map((c) => [c.id, c]));
    for (const id of v.claims) {
      expect(byId.get(id)?.experiments, `${id} in src/content/claims/claims.yaml should list ${v.experiment}`).toContain(v.experiment);
    }
  });

  it('rejects a verdict without a criterion', () => {
    const v = JSON.parse(readFileSync(verdictFiles[0]!, 'utf8'));
    delete v.criterion;
    expect(verdictSchema.safeParse(v).success).toBe(false);
  });
});

describe('articles show each full-profile verdict', () => {
  const full = verdictFiles
    .map((file) => ({ file, v: verdictSchema.parse(JSON.parse(readFileSync(file, 'utf8'))) }))
    .filter(({ v }) => v.profile === 'full');

  it.each(full.map(({ file, v }) => [file, v] as const))('%s: the chart it names and <Verdict> are on a page, in en and ja', (_file, v) => {
    for (const lang of ['en', 'ja'] as const) {
      const pages = chartPages(v.experiment, v.chart, lang);
      expect(pages, `${lang}: place the chart (<Chart experiment="${v.experiment}" chart="${v.chart}" />) on a page`).not.toEqual([]);
      const page = `src/content/docs/${lang === 'ja' ? 'ja/' : ''}${pages[0]}.mdx`;
      const source = readFileSync(page, 'utf8');
      expect(source, `${page}: quote the computed verdict with <Verdict experiment="${v.experiment}" />`).toMatch(new RegExp(`<Verdict\\s+experiment="${v.experiment}"`));
      expect(source, `${page}: the experiment has results, so drop its <ExperimentPending>`).not.toMatch(new RegExp(`<ExperimentPending\\s+experiment="${v.experiment}"`));
    }
  });

});
