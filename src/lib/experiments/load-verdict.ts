/** Reads generated/<id>/verdict.json: undefined while the experiment has not run; a malformed file fails the build naming it. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATED_DIR, loadGenerated } from '~/lib/generated';
import { verdictSchema, type Verdict } from '../../../contracts/verdict';

export function loadVerdict(experiment: string): Verdict | undefined {
  if (!existsSync(join(GENERATED_DIR, experiment, 'verdict.json'))) return undefined;
  const result = verdictSchema.safeParse(loadGenerated(experiment, 'verdict.json'));
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`generated/${experiment}/verdict.json does not match contracts/verdict.ts: ${issues}. Fix: rerun \`npm run experiments -- --only ${experiment}\`.`);
  }
  return result.data;
}

export interface RunStatus {
  units: number;
  done: number;
  complete: boolean;
  /** Sum of the committed units' wall times, in seconds (each unit runs on one worker). */
  unitSeconds?: number;
  /** Backends and machines the units ran on (provenance.device). */
  devices?: string[];
}

/** generated/<id>/status.json, written by the build's data step; undefined for analytic results. */
export function loadStatus(experiment: string): RunStatus | undefined {
  if (!existsSync(join(GENERATED_DIR, experiment, 'status.json'))) return undefined;
  return loadGenerated<RunStatus>(experiment, 'status.json');
}
