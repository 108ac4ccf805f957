/** Reading content files the way the site does, for tests (frontmatter + YAML facts). */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import yaml from 'js-yaml';

export const DOCS = 'src/content/docs';
export const MODELS = 'src/content/models';

/** All content pages as paths relative to their locale root: 'articles/cnn-vs-vit.mdx'. */
export function pagesOf(locale: 'en' | 'ja'): string[] {
  const root = locale === 'en' ? DOCS : join(DOCS, 'ja');
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) {
        if (locale === 'en' && p === join(DOCS, 'ja')) continue;
        walk(p);
      } else if (/\.mdx?$/.test(name)) out.push(relative(root, p));
    }
  };
  walk(root);
  return out.sort();
}

export function frontmatter(path: string): Record<string, unknown> {
  const text = readFileSync(path, 'utf8');
  const m = /^---\n([\s\S]*?)\n---/.exec(text);
  if (!m) throw new Error(`${path}: no frontmatter`);
  try {
    return yaml.load(m[1]!) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`${path}: frontmatter is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
}

export function body(path: string): string {
  return readFileSync(path, 'utf8').replace(/^---\n[\s\S]*?\n---/, '');
}

export function modelSlugs(): string[] {
  return readdirSync(MODELS)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''))
    .sort();
}

export function loadModelYaml(slug: string): unknown {
  return yaml.load(readFileSync(join(MODELS, `${slug}.yaml`), 'utf8'));
}
