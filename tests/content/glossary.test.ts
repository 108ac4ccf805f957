/** The glossary data: unique ids, an explaining article in both languages that uses the term as the glossary writes it. */
import { existsSync, readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { glossaryTermSchema } from '../../src/lib/glossary/schema';
import { body, DOCS } from '../helpers/content';

const FILE = 'src/content/glossary/terms.yaml';
const terms = (yaml.load(readFileSync(FILE, 'utf8')) as unknown[]).map((t) => glossaryTermSchema.parse(t));

describe('glossary', () => {
  it('has unique ids', () => {
    const ids = terms.map((t) => t.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i), `${FILE}: duplicate ids`).toEqual([]);
  });

  it('names an article that exists in both languages', () => {
    const missing = terms.flatMap((t) =>
      [`${DOCS}/${t.article}.mdx`, `${DOCS}/ja/${t.article}.mdx`].filter((p) => !existsSync(p)).map((p) => `${t.id}: ${p}`),
    );
    expect(missing, `${FILE}: these articles do not exist`).toEqual([]);
  });

  it('each term appears, as the glossary writes it, in the Japanese article that explains it', () => {
    // The part before a parenthetical abbreviation: 空間縮小注意（SRA） is written 空間縮小注意 in running text.
    const missing = terms
      .filter((t) => !body(`${DOCS}/ja/${t.article}.mdx`).includes(t.ja.replace(/（[^）]*）$/, '')))
      .map((t) => `${t.id} (${t.ja}) in ${DOCS}/ja/${t.article}.mdx`);
    expect(missing).toEqual([]);
  });

  it('gives the alternative spellings of self-attention and Transformer at their first mention', () => {
    const text = body(`${DOCS}/ja/articles/cnn-vs-vit.mdx`);
    expect(text).toContain('自己注意（セルフアテンション）');
    expect(text).toContain('Transformer（トランスフォーマー）');
  });
});
