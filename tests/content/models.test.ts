import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { modelSchema } from '../../src/lib/models/schema';
import { DOCS, MODELS, body, frontmatter, loadModelYaml, modelSlugs } from '../helpers/content';
import { estimateTextWidth } from '../../src/components/charts/text-width';
import { DIAGRAM } from '../../src/components/models/diagram-layout';

const slugs = modelSlugs();

/** The list issue 3 asks for; each needs facts, an English page and a Japanese page. */
const REQUIRED = [
  'resnet-50', 'efficientnet-b0', 'regnety-4gf', 'convnext-t',
  'vit-b16-in21k', 'vit-b16-in1k', 'vit-l16', 'deit-ti', 'deit-s', 'deit-b', 't2t-vit-14', 'tnt-s', 'cait-s24', 'pit-s', 'convit-s',
  'r50-vit-b16', 'botnet', 'levit-256', 'coatnet-0', 'ceit-s', 'efficientformer-l1',
  'pvt-s', 'pvtv2-b2', 'twins-svt-s', 'mvitv2-t', 'cmt-s', 'next-vit-s',
  'cvt-13', 'localvit-s', 'coat-lite-s', 'mobilevit-s', 'fastvit-sa12',
  'swin-t', 'swin-s', 'swin-b', 'cswin-t', 'focal-t', 'nat-t', 'maxvit-t',
  'mlp-mixer-b16', 'poolformer-s24',
];

describe('model facts schema', () => {
  it.each(slugs)('%s.yaml matches the schema', (slug) => {
    const result = modelSchema.safeParse(loadModelYaml(slug));
    const problems = result.success ? [] : result.error.issues.map((i) => `${join(MODELS, slug)}.yaml: ${i.path.join('.')}: ${i.message}`);
    expect(problems).toEqual([]);
  });

  it('rejects a number without a source, naming the field', () => {
    const bad = structuredClone(loadModelYaml('swin-t')) as { facts: { params_m: { source?: string } } };
    delete bad.facts.params_m.source;
    const result = modelSchema.safeParse(bad);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path.join('.')).toBe('facts.params_m.source');
  });

  it('rejects an unknown group tag and an unknown field', () => {
    const base = loadModelYaml('swin-t') as Record<string, unknown>;
    expect(modelSchema.safeParse({ ...base, groups: ['windowed'] }).success).toBe(false);
    expect(modelSchema.safeParse({ ...base, top1: 81.3 }).success).toBe(false);
  });

  it.each(slugs)('%s: every number has a non-empty source', (slug) => {
    type Source = string | { en: string; ja: string };
    const facts = (loadModelYaml(slug) as { facts: Record<string, { value: unknown; source?: Source }> }).facts;
    for (const [key, fact] of Object.entries(facts)) {
      const texts = fact.source === undefined ? [''] : typeof fact.source === 'string' ? [fact.source] : [fact.source.en, fact.source.ja];
      for (const s of texts) expect(s.trim().length, `${slug}.yaml facts.${key} has no source`).toBeGreaterThan(3);
    }
  });

  it.each(slugs)('%s: related models exist', (slug) => {
    const related = (loadModelYaml(slug) as { related?: string[] }).related ?? [];
    const missing = related.filter((r) => !slugs.includes(r));
    expect(missing, `${slug}.yaml related: unknown slugs`).toEqual([]);
  });
});

describe('model diagrams', () => {
  // A box is DIAGRAM.width − 2·pad wide with 12 px of inner margin each side; bold labels run ~10% wider.
  const room = DIAGRAM.width - 2 * DIAGRAM.pad - 24;
  it.each(slugs)('%s: diagram labels and notes fit their boxes', (slug) => {
    type Text = string | { en: string; ja: string };
    const boxes = (loadModelYaml(slug) as { diagram: { label: Text; note?: Text }[] }).diagram;
    const both = (x: Text) => (typeof x === 'string' ? [x] : [x.en, x.ja]);
    for (const b of boxes) {
      for (const label of both(b.label)) {
        expect(estimateTextWidth(label, 14) * 1.1, `${slug}.yaml diagram label "${label}" is too long`).toBeLessThanOrEqual(room);
      }
      for (const note of b.note ? both(b.note) : []) {
        expect(estimateTextWidth(note, 12), `${slug}.yaml diagram note "${note}" is too long`).toBeLessThanOrEqual(room);
      }
    }
  });
});

describe('model pages', () => {
  it('the list has every required model', () => {
    const missing = REQUIRED.filter((s) => !slugs.includes(s)).map((s) => `${join(MODELS, s)}.yaml`);
    expect(missing, `missing model facts: ${missing.join(', ')}`).toEqual([]);
    expect(slugs.length).toBeGreaterThanOrEqual(40);
  });

  it.each(slugs)('%s has an English and a Japanese page that name it', (slug) => {
    for (const path of [join(DOCS, 'models', `${slug}.mdx`), join(DOCS, 'ja', 'models', `${slug}.mdx`)]) {
      expect(existsSync(path), `missing ${path}`).toBe(true);
      expect(frontmatter(path).model, `${path}: frontmatter model`).toBe(slug);
      const text = body(path);
      for (const tag of ['ModelFacts', 'ModelDiagram', 'ModelAnalysis']) {
        expect(text, `${path} lacks <${tag} model="${slug}" />`).toContain(`<${tag} model="${slug}" />`);
      }
    }
  });
});
