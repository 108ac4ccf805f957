// textlint for the Japanese pages (run by tests/content/textlint.test.ts, so `npm test` fails on a new violation).
// The term rules come from the glossary (src/content/glossary/terms.yaml: each `variants` list is one prh rule);
// prh.yml holds the house-style rules that are not glossary terms.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const yaml = require('js-yaml');

const terms = yaml.load(readFileSync(join(__dirname, 'src/content/glossary/terms.yaml'), 'utf8'));
const glossaryRules = terms
  .filter((t) => t.variants && t.variants.length > 0)
  .map((t) => ({ expected: t.fix ?? t.ja, patterns: t.variants, prh: `用語集「${t.ja}」（${t.en}）` }));

module.exports = {
  plugins: {
    mdx: { extensions: ['.mdx'] },
  },
  rules: {
    'preset-ja-technical-writing': {
      // Checked by the stand-alone rule below with this site's choice (です・ます in body text and lists).
      'no-mix-dearu-desumasu': false,
      // Sentences here carry inline figures, units and citations; 100 characters splits them mid-thought.
      'sentence-length': { max: 150 },
      // Half-width commas separate numbers and citation parts ("8, 4, 2, 1", "(2021, ICLR)"), not clauses.
      'max-comma': false,
      // Result sentences list one measured value per model ("ResNet-mini が X、ViT-mini が Y、…"), a comma each.
      'max-ten': { max: 5 },
      // 「か」 repeats in choices (「テクスチャか形状か」) and in the article title 形状かテクスチャか.
      'no-doubled-joshi': { allow: ['か'] },
      // A full-width question mark is normal in Japanese headings; half-width ones occur in cited English paper titles.
      'no-exclamation-question-mark': { allowFullWidthQuestion: true, allowHalfWidthQuestion: true },
      // Glossary terms of seven kanji (平行移動同変性) are the standard forms.
      'max-kanji-continuous-len': { max: 6, allow: ['平行移動同変性', '平行移動不変性'] },
    },
    'no-mix-dearu-desumasu': { preferInHeader: '', preferInBody: 'ですます', preferInList: 'ですます', strict: false },
    'preset-ja-spacing': {
      // House style: a half-width space between Japanese and Latin letters or digits ("ResNet の", "16 カテゴリ").
      'ja-space-between-half-and-full-width': { space: ['alphabets', 'numbers'] },
      // Link text follows the same spacing rule as the text around it; no extra space is wanted at its edges.
      'ja-space-around-link': false,
      // Half-width brackets hold Latin text and math ("[0, 1]", "[f, f + Δf]") and are spaced like it.
      'ja-no-space-around-parentheses': false,
      // Inline code is spaced like any other Latin text.
      'ja-space-around-code': { before: true, after: true },
      // Arithmetic in prose is written with spaces ("30 / 120 = 0.25").
      'ja-no-space-around-slash': false,
    },
    prh: {
      rulePaths: ['./prh.yml'],
      ruleContents: [yaml.dump({ version: 1, rules: glossaryRules })],
    },
  },
};
