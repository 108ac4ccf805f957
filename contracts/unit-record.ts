// The file the runner writes per unit: generated/<experiment>/<unit key>.json (full profile) or
// .cache/experiments-quick/… (quick). Legacy records (contracts/legacy.ts) lack engine and machine.
import { z } from 'astro/zod';

export const jsonValue: z.ZodType<unknown> = z.lazy(() => z.union([z.null(), z.boolean(), z.number(), z.string(), z.array(jsonValue), z.record(z.string(), jsonValue)]));

export const provenanceSchema = z.object({
  backend: z.string(),
  device: z.string(),
  kernels: z.array(z.string()),
  packages: z.record(z.string(), z.string()),
  seed: z.number(),
  profile: z.enum(['quick', 'full']),
  git: z.object({ revision: z.string(), dirty: z.boolean() }),
  /** Set when a full-profile unit was computed from a dirty tree on purpose (--allow-dirty). */
  allowDirty: z.boolean().optional(),
  engine: z.object({ tfjs: z.string(), backend: z.string(), kernels: z.string() }).optional(),
  machine: z.object({ cpu: z.string(), cores: z.number(), arch: z.string(), platform: z.string(), memoryGiB: z.number() }).optional(),
  startedAt: z.string(),
  wallMs: z.number(),
});

export const unitSchema = z.object({ key: z.string().regex(/^[A-Za-z0-9._-]+$/), seed: z.number() }).catchall(jsonValue);

export const unitRecordSchema = z.object({
  experiment: z.string(),
  unit: unitSchema,
  cacheKey: z.string(),
  codeVersion: z.string(),
  config: z.record(z.string(), jsonValue),
  claims: z.array(z.string()),
  result: jsonValue,
  provenance: provenanceSchema,
});

export type ProvenanceRecord = z.infer<typeof provenanceSchema>;
export type UnitRecordFile = z.infer<typeof unitRecordSchema>;
