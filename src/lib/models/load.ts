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
