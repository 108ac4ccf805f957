/**
 * Build-time data step (`npm run generate`, run by `npm run build`):
 * 1. recomputes the cheap analytic results into generated/ (written only when changed);
 * 2. for each experiment with a `summarize` export: runs its missing or stale full-profile units
 *    (cached per unit, so this is a no-op when committed results are fresh), then writes the
 *    files the site reads (generated/<id>/values.json, verdict.json, chart data, status.json).
 *
 * An experiment that has never run stays "pending" on the site; start it with
 * `npm run experiments -- --only <id>`. In CI (CI=true) or with ATLAS_BUILD_TRAIN=0 nothing is
 * trained here: stale results fail the build, missing units are reported and the site shows
 * what is there. An experiment that a running `npm run experiments` holds is not touched.
 */
import { join } from 'node:path';
import { z } from 'astro/zod';
import { GENERATED_INDEX_FILE, generatedIndexSchema, type IndexEntry } from '../contracts/generated-index';
import { poolManifestSchema } from '../contracts/pool';
import { statusSchema } from '../contracts/status';
import { jsonValue } from '../contracts/unit-record';
import { valuesFileSchema } from '../contracts/values';
import { verdictSchema } from '../contracts/verdict';
import { writeValidatedJson } from './lib/io/json-file';
import * as attentionCost from './analytic/attention-cost';
import { loadExperiments, mergeConfig } from './lib/experiments/cache';
import { corruptFix, experimentLock, gitState, orphanFiles, plan, runExperiments } from './lib/experiments/runner';
import { holderOf } from './lib/experiments/lock';
import type { UnitRecord } from './lib/experiments/types';
import { wallSeconds } from './lib/experiments/wall-time';

const ANALYTIC = [attentionCost];
// Full-profile results are only computed from a clean tree (the runner refuses otherwise).
const dirtyTree = gitState().dirty;
const mayTrain = process.env.CI !== 'true' && process.env.ATLAS_BUILD_TRAIN !== '0' && !dirtyTree;

/** The contract each site file is checked against before it is written (other names: plain JSON). */
const SITE_FILES: Record<string, [z.ZodType, string]> = {
  values: [valuesFileSchema, 'contracts/values.ts'],
  status: [statusSchema, 'contracts/status.ts'],
  verdict: [verdictSchema, 'contracts/verdict.ts'],
  manifest: [poolManifestSchema, 'contracts/pool.ts'],
};
function writeSiteFile(id: string, name: string, data: unknown): boolean {
  const [schema, contract] = SITE_FILES[name] ?? [jsonValue, 'plain JSON (contracts/unit-record.ts jsonValue)'];
  return writeValidatedJson(join('generated', id, `${name}.json`), schema, data, contract);
}

const index: IndexEntry[] = [];

function generateAnalytic() {
  for (const gen of ANALYTIC) {
    const t0 = performance.now();
    const { rows, values, verdict } = gen.run();
    const provenance = { script: `scripts/analytic/${gen.id}.ts`, codeVersion: gen.codeVersion, kind: 'analytic' };
    const wrote = [
      writeSiteFile(gen.id, 'data', { id: gen.id, provenance, config: gen.config, rows }),
      writeSiteFile(gen.id, 'values', { id: gen.id, provenance, values }),
      verdict ? writeSiteFile(gen.id, 'verdict', verdict) : false,
    ].some(Boolean);
    index.push({ id: gen.id, kind: 'analytic', state: 'complete', units: 0, done: 0, legacy: 0 });
    console.log(`generate: ${gen.id} ${wrote ? 'updated' : 'unchanged'} (${(performance.now() - t0).toFixed(0)} ms)`);
  }
}

async function summarizeExperiments() {
  for (const exp of await loadExperiments()) {
    let tasks = await plan({ profile: 'full', only: [exp.id] });
    const entry = (): IndexEntry => {
      const done = tasks.filter((t) => t.cache.state === 'fresh');
      const state = done.length === 0 ? 'pending' : done.length === tasks.length ? 'complete' : 'partial';
      return { id: exp.id, kind: 'trained', state, units: tasks.length, done: done.length, legacy: done.filter((t) => t.cache.state === 'fresh' && t.cache.legacy).length };
    };
    // A broken or orphaned committed file is an error everywhere, never retrained over or shown.
    const corrupt = tasks.filter((t) => t.cache.state === 'corrupt');
    if (corrupt.length) {
      throw new Error(corrupt.map((t) => `CORRUPT ${t.path}: ${(t.cache as { error: string }).error}. Fix: ${corruptFix(t.path, 'full')}`).join('\n'));
    }
    const orphans = orphanFiles(exp.id, tasks);
    if (orphans.length) {
      throw new Error(`ORPHAN ${orphans.join(', ')}: site files of ${exp.id} without any unit file, so no committed result backs them. Fix: restore the units (\`git checkout -- generated/${exp.id}/\`) or delete these files.`);
    }
    if (!exp.summarize) { index.push(entry()); continue; }
    if (!tasks.some((t) => t.cache.state === 'fresh' || t.cache.state === 'stale')) {
      console.log(`generate: ${exp.id} has not run yet (pending on the site; run \`npm run experiments -- --only ${exp.id}\`)`);
      index.push(entry());
      continue;
    }
    const stale = tasks.filter((t) => t.cache.state === 'stale');
    const missing = tasks.filter((t) => t.cache.state === 'missing');
    // Units that load another experiment's results (the pool's weights) fail when those are not
    // committed yet, so the build leaves them to `npm run experiments`, as it does hours-long ones.
    const buildRuns = !exp.long && !exp.reads?.length;
    if (stale.length && (!mayTrain || !buildRuns)) {
      throw new Error(
        `${exp.id}: ${stale.length} committed full-profile result(s) no longer match the code (${stale.map((t) => t.path).join(', ')}). ` +
          `Fix: \`npm run experiments -- --only ${exp.id}\` from a clean tree and commit generated/${exp.id}/.`,
      );
    }
    const holder = holderOf(experimentLock(exp.id, 'full'))?.pid;
    if ((stale.length || missing.length) && mayTrain && !holder && buildRuns) {
      console.log(`generate: ${exp.id}: running ${stale.length + missing.length} missing or stale unit(s)`);
      const s = await runExperiments({ profile: 'full', only: [exp.id] });
      if (s.failed.length) throw new Error(`${exp.id}: ${s.failed.length} unit(s) failed: ${s.failed.map((f) => f.key).join(', ')}`);
      tasks = await plan({ profile: 'full', only: [exp.id] });
    } else if (missing.length) {
      const why = holder ? ` (pid ${holder} is running them)` : exp.long ? ` (hours of training: \`npm run experiments -- --only ${exp.id} --jobs 2\`)` : exp.reads?.length ? ` (they read ${exp.reads.join(', ')}: \`npm run experiments -- --only ${exp.id} --jobs 2\` once it is committed)` : dirtyTree && process.env.CI !== 'true' ? ' (not trained here: the tree has uncommitted changes)' : '';
      console.log(`generate: ${exp.id}: ${missing.length} of ${tasks.length} units not run yet${why}; the site shows the ${tasks.length - missing.length} that are`);
    }
    const fresh = tasks.filter((t) => t.cache.state === 'fresh');
    const records = fresh.map((t) => (t.cache as { record: UnitRecord }).record);
    const files = exp.summarize(records, mergeConfig(exp, 'full'), 'full');
    const unitKeys = new Set(tasks.map((t) => t.unit.key));
    // The compute the committed figures cost (RunBudget on "How figures are made").
    const unitSeconds = wallSeconds(records);
    const devices = [...new Set(records.map((r) => r.provenance.device).filter(Boolean))];
    const legacy = fresh.filter((t) => t.cache.state === 'fresh' && t.cache.legacy).length;
    const status = { experiment: exp.id, units: tasks.length, done: fresh.length, complete: fresh.length === tasks.length, unitSeconds, devices, ...(legacy ? { legacy } : {}) };
    for (const [name, data] of Object.entries({ ...files, status })) {
      if (unitKeys.has(name)) throw new Error(`${exp.id}: summarize() output '${name}' collides with a unit key`);
      writeSiteFile(exp.id, name, data);
    }
    index.push(entry());
    console.log(`generate: ${exp.id} summarized from ${fresh.length}/${tasks.length} units`);
  }
}

generateAnalytic();
await summarizeExperiments();
writeValidatedJson(join('generated', GENERATED_INDEX_FILE), generatedIndexSchema, { experiments: index.sort((a, b) => (a.id < b.id ? -1 : 1)) }, 'contracts/generated-index.ts');
console.log(`generate: ${GENERATED_INDEX_FILE} lists ${index.length} experiments`);
