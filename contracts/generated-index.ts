// generated/index.json: every experiment the site may name (<Value>, <Chart>, <Verdict>) and how
// far its results are. Written by scripts/generate.ts; a name not listed here fails the build.
import { z } from 'astro/zod';

export const GENERATED_INDEX_FILE = 'index.json';

export const indexEntrySchema = z.object({
  id: z.string(),
  /** analytic: computed by the data step in milliseconds; trained: units run by the experiment runner. */
  kind: z.enum(['analytic', 'trained']),
  /** pending: no unit committed yet; partial: some; complete: all (analytic results are always complete). */
  state: z.enum(['pending', 'partial', 'complete']),
  units: z.number().int().nonnegative(),
  done: z.number().int().nonnegative(),
  legacy: z.number().int().nonnegative(),
});

export const generatedIndexSchema = z.object({ experiments: z.array(indexEntrySchema) });

export type IndexEntry = z.infer<typeof indexEntrySchema>;
export type GeneratedIndex = z.infer<typeof generatedIndexSchema>;
