// Verdict texts are references the site words (contracts/text.ts → src/lib/experiments/word.ts): each one
// of every committed verdict renders in both languages, and the renderer formats what it is given.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { list, model, nested, num, phrase, text, textRefSchema, type TextRef } from '../../contracts/text';
import { verdictSchema } from '../../contracts/verdict';
import { word } from '../../src/lib/experiments/word';

describe('word', () => {
  it('fills numbers per language, minis by their label, phrases and lists', () => {
    const kept = (m: string, k: number) => nested(text('atlas.exp.robustness.modelKept', { model: model(m), kept: num(k, 1) }));
    const outcome = nested(text('atlas.exp.robustness.outcome.undecided', { a: model('vit_mini_patch4_28'), b: model('resnet_mini_28'), diff: num(14.2, 1), lo: num(-0.0118, 2), hi: num(0.1, 2), margin: num(5, 1) }));
    const ref = text('atlas.exp.robustness.summary', {
      corruption: list([kept('vit_mini_patch4_28', 18.66), kept('resnet_mini_28', 4)]), corruptionOutcome: outcome, corruptionVerdict: phrase('atlas.verdict.not-detected'),
      pgd: list([kept('vit_mini_patch4_28', 18.66)]), pgdOutcome: outcome, pgdVerdict: phrase('atlas.verdict.reproduced'),
    });
    expect(textRefSchema.parse(ref)).toEqual(ref);
    const en = word(ref, 'en'), ja = word(ref, 'ja');
    expect(en).toContain('14.2 points (95% interval -0.01 to 0.10)'); // fixed digits: 0.10, not 0.1
    expect(en).toContain('ViT-mini 18.7%, ResNet-mini (CNN) 4.0%');
    expect(en).toContain('Corruptions: Not detected.');
    expect(ja).toContain('ViT-mini 18.7%、ResNet-mini（CNN） 4.0%');
    expect(ja).not.toMatch(/[A-Za-z]+ models/);
  });

  it('names the key and the missing parameter, or the missing key', () => {
    expect(() => word(text('atlas.exp.shape-bias.measured.bias'), 'ja')).toThrow(/atlas\.exp\.shape-bias\.measured\.bias \(ja\) needs the parameter 'model'/);
    expect(() => word(text('atlas.exp.no-such-key'), 'en')).toThrow(/atlas\.exp\.no-such-key.*missing from src\/content\/i18n\/en\.json/);
    expect(textRefSchema.safeParse({ key: 'not.atlas', params: {} }).success).toBe(false);
  });

  it('a verdict with prose instead of codes is rejected', () => {
    const v = {
      experiment: 'shape-bias', claims: ['C1'], profile: 'full', criterion: text('atlas.exp.shape-bias.criterion'), verdict: 'reproduced', summary: text('atlas.exp.shape-bias.summary'),
      measured: [{ key: 'fmnist_bias_vit', label: text('atlas.exp.shape-bias.measured.bias'), mean: 0.5, ci95: [0.4, 0.6], seeds: 3 }], chart: 'bias-by-model', budget: text('atlas.exp.shape-bias.budget'), wallSeconds: 1,
    };
    expect(verdictSchema.safeParse(v).success).toBe(true);
    expect(verdictSchema.safeParse({ ...v, summary: { en: 'ViT wins', ja: 'ViT の勝ち' } }).success).toBe(false);
    expect(verdictSchema.safeParse({ ...v, chart: '/articles/shape-vs-texture/#chart-shape-bias-bias-by-model' }).success).toBe(false);
  });
});

describe('committed verdicts', () => {
  const files = readdirSync('generated').map((d) => join('generated', d, 'verdict.json')).filter((p) => existsSync(p));
  it.each(files)('%s: every worded field renders in en and ja', (file) => {
    const v = verdictSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
    const fields: TextRef[] = [v.criterion, v.summary, v.budget, ...v.measured.map((m) => m.label)];
    for (const lang of ['en', 'ja'] as const) for (const f of fields) {
      const s = word(f, lang);
      expect(s.length).toBeGreaterThan(0);
      expect(s).not.toMatch(/\{\{|\}\}/);
    }
  });
});
