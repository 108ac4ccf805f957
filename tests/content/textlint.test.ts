/**
 * textlint over the Japanese text (.textlintrc.cjs: ja technical-writing and spacing presets, です・ます,
 * and prh with the glossary in src/content/glossary/terms.yaml). A new violation fails `npm test` with the
 * file, line and the rule's fix. The UI strings, the claims and the models' Japanese notes are linted too.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { createLinter, loadTextlintrc } from 'textlint';
import { beforeAll, describe, expect, it } from 'vitest';
import { DOCS, MODELS, pagesOf } from '../helpers/content';

type Linter = ReturnType<typeof createLinter>;
type Message = { line: number; column: number; message: string; ruleId: string };
let linter: Linter;

const describeMessages = (where: string, messages: Message[]) =>
  messages.map((m) => `${where}:${m.line}:${m.column} [${m.ruleId}] ${m.message.split('\n')[0]}`);

/** Japanese strings gathered from data files, one paragraph each, with where they came from. */
function japaneseStrings(): { where: string; text: string }[] {
  const out: { where: string; text: string }[] = [];
  const ja = JSON.parse(readFileSync('src/content/i18n/ja.json', 'utf8')) as Record<string, string>;
  for (const [key, text] of Object.entries(ja)) out.push({ where: `src/content/i18n/ja.json "${key}"`, text });
  const walk = (node: unknown, where: string) => {
    if (Array.isArray(node)) node.forEach((n, i) => walk(n, `${where}[${i}]`));
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === 'ja' && typeof v === 'string') out.push({ where: `${where}.ja`, text: v });
        else walk(v, `${where}.${k}`);
      }
    }
  };
  walk(yaml.load(readFileSync('src/content/claims/claims.yaml', 'utf8')), 'src/content/claims/claims.yaml');
  for (const f of readdirSync(MODELS).filter((n) => n.endsWith('.yaml'))) {
    walk(yaml.load(readFileSync(join(MODELS, f), 'utf8')), join(MODELS, f));
  }
  return out;
}

describe('textlint (Japanese)', () => {
  beforeAll(async () => {
    linter = createLinter({ descriptor: await loadTextlintrc({ configFilePath: '.textlintrc.cjs' }) });
  });

  it('passes on every Japanese page', async () => {
    const files = pagesOf('ja').map((p) => join(DOCS, 'ja', p));
    expect(files.length).toBeGreaterThan(40);
    const results = await linter.lintFiles(files);
    const problems = results.flatMap((r) => describeMessages(r.filePath.replace(`${process.cwd()}/`, ''), r.messages));
    expect(problems, `textlint found problems; fix the text (or run npx textlint --fix for prh terms):\n${problems.join('\n')}`).toEqual([]);
  }, 600_000);

  it('passes on the Japanese README', async () => {
    const results = await linter.lintFiles(['README.ja.md']);
    const problems = results.flatMap((r) => describeMessages('README.ja.md', r.messages));
    expect(problems, `textlint found problems in README.ja.md:\n${problems.join('\n')}`).toEqual([]);
  });

  it('passes on the Japanese UI strings, claims and model notes', async () => {
    const problems: string[] = [];
    for (const { where, text } of japaneseStrings()) {
      // Each string is linted on its own as a Markdown paragraph (placeholders like {{n}} are plain text).
      const r = await linter.lintText(text, 'string.md');
      // Labels and headings are not sentences: a missing final 。 is fine there. Placeholders ({{trainN}}) are
      // far longer than the numbers they stand for, so sentence length is judged on the rendered pages only.
      const skip = new Set(['ja-technical-writing/ja-no-mixed-period', ...(/\{\{\w+\}\}/.test(text) ? ['ja-technical-writing/sentence-length'] : [])]);
      const messages = r.messages.filter((m) => !skip.has(m.ruleId));
      problems.push(...messages.map((m) => `${where}: [${m.ruleId}] ${m.message.split('\n')[0]}`));
    }
    expect(problems, problems.join('\n')).toEqual([]);
  }, 600_000);

  it('flags a glossary variant with the glossary form as the fix', async () => {
    const terms = yaml.load(readFileSync('src/content/glossary/terms.yaml', 'utf8')) as { ja: string; fix?: string }[];
    expect(terms.length).toBeGreaterThan(10);
    const r = await linter.lintText('ViT は損失曲面が平坦で、平行移動等価性を持ちません。\n', 'sample.md');
    const prh = r.messages.filter((m) => m.ruleId === 'prh').map((m) => m.message);
    expect(prh.some((m) => m.includes('損失曲面 => 損失地形'))).toBe(true);
    expect(prh.some((m) => m.includes('等価 => 同変'))).toBe(true);
  });

  it('flags だ・である in a です・ます page', async () => {
    const r = await linter.lintText('これはペンです。これは本である。\n', 'sample.md');
    expect(r.messages.map((m) => m.ruleId)).toContain('no-mix-dearu-desumasu');
  });
});
