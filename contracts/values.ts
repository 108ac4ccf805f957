// generated/<id>/values.json: the numbers prose quotes through <Value experiment key>.
import { z } from 'astro/zod';

export const valueSchema = z.object({ value: z.number(), unit: z.string().optional() });
export const valuesFileSchema = z.object({
  id: z.string(),
  provenance: z.record(z.string(), z.unknown()).optional(),
  values: z.record(z.string(), valueSchema),
});

export type ValueEntry = z.infer<typeof valueSchema>;
export type ValuesFile = z.infer<typeof valuesFileSchema>;
