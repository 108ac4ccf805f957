// generated/pool/manifest.json: the model pool, one entry per committed model (scripts/experiments/pool.ts
// writes it; the pool page and the lab read it). Weights paths are relative to generated/pool/.
import { z } from 'astro/zod';

export const poolCurvePointSchema = z.object({
  epoch: z.number(),
  step: z.number().int(),
  lr: z.number(),
  trainLoss: z.number(),
  trainAccuracy: z.number(),
  valAccuracy: z.number(),
  valLoss: z.number(),
});

export const poolModelSchema = z.object({
  /** The unit key: `<short>-<regime>-s<seed>` (vit-full-s0). */
  id: z.string().regex(/^[a-z0-9]+-(full|small)-s\d+$/),
  /** Registry name of the mini (contracts/minis.ts). */
  arch: z.string(),
  regime: z.enum(['full', 'small']),
  seed: z.number().int().nonnegative(),
  epochs: z.number().int().positive(),
  steps: z.number().int().positive(),
  trainImages: z.number().int().positive(),
  bestEpoch: z.number(),
  valAccuracy: z.number().min(0).max(1),
  testAccuracy: z.number().min(0).max(1),
  /** Validation accuracy gained in the last 20% of training (plateaued when below `plateauLimit`). */
  plateauGain: z.number().nullable(),
  params: z.number().int().positive(),
  /** tf.io weights manifest and its one shard, relative to generated/pool/. */
  weights: z.string(),
  bin: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().positive(),
  curve: z.array(poolCurvePointSchema),
  provenance: z.object({
    git: z.object({ revision: z.string(), dirty: z.literal(false) }),
    engine: z.object({ tfjs: z.string(), backend: z.string(), kernels: z.string() }),
    cpu: z.string(),
    /** Training and the final test pass, summed over resumed sessions. */
    wallSeconds: z.number().nonnegative(),
  }),
});

export const poolManifestSchema = z.object({
  id: z.literal('pool'),
  /** The recipe every unit shares (the experiment's merged full config). */
  recipe: z.record(z.string(), z.unknown()),
  plateauLimit: z.number(),
  /** Full-regime test-accuracy floors by architecture (mean over seeds). */
  floors: z.record(z.string(), z.number()),
  models: z.array(poolModelSchema),
});

export type PoolModel = z.infer<typeof poolModelSchema>;
export type PoolManifest = z.infer<typeof poolManifestSchema>;
