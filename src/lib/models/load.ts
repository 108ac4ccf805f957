/** Model facts from the `models` content collection, with errors that name the file to fix. */
import { getCollection, getEntry } from 'astro:content';

export async function getModel(slug: string) {
  const entry = await getEntry('models', slug);
  if (!entry) {
    throw new Error(`No model facts for "${slug}". Fix: add src/content/models/${slug}.yaml (schema: src/lib/models/schema.ts).`);
  }
  return entry;
}

export async function getModels() {
  return (await getCollection('models')).sort((a, b) => a.data.paper.year - b.data.paper.year || a.data.name.localeCompare(b.data.name));
}

/** GMACs whatever the paper's convention: real FLOPs are halved. */
export function gmacs(flops: { value: number; counts: 'macs' | 'flops' } | undefined): number | undefined {
  if (!flops) return undefined;
  return flops.counts === 'macs' ? flops.value : flops.value / 2;
}

/**
 * The name a chart shows for an analysed model (generated/models/*.json lists its page slugs): the facts'
 * display name, never the timm id. Pages that share one architecture (ViT-B/16 trained on 1k or 21k) share
 * the name without their training note in parentheses.
 */
export async function displayNameForSlugs(slugs: string[], fallback: string): Promise<string> {
  const names = await Promise.all(slugs.map(async (s) => (await getModel(s)).data.name.replace(/\s*\([^)]*\)$/, '')));
  const unique = [...new Set(names)];
  return unique.length > 0 ? unique.join(' / ') : fallback;
}

/** A fact's source in the page's language: a bare citation reads the same in both. */
export function sourceIn(source: string | { en: string; ja: string } | undefined, lang: 'en' | 'ja'): string {
  if (source === undefined) return '';
  return typeof source === 'string' ? source : source[lang];
}
