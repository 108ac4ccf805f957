// generated/<id>/status.json: how much of a trained experiment's full profile is committed.
import { z } from 'astro/zod';

export const statusSchema = z.object({
  experiment: z.string(),
  units: z.number().int().nonnegative(),
  done: z.number().int().nonnegative(),
  complete: z.boolean(),
  /** Sum of the committed units' wall times, in seconds (each unit runs on one worker). */
  unitSeconds: z.number().nonnegative(),
  /** Backends and machines the units ran on (provenance.device). */
  devices: z.array(z.string()),
  /** Units accepted as legacy (contracts/legacy.ts); absent when none. */
  legacy: z.number().int().positive().optional(),
});

export type RunStatus = z.infer<typeof statusSchema>;
