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
import { writeJsonAtomic } from './lib/io/json-file';
import * as attentionCost from './analytic/attention-cost';
import { loadExperiments, mergeConfig } from './lib/experiments/cache';
import { experimentLock, plan, runExperiments } from './lib/experiments/runner';
import { holderOf } from './lib/experiments/lock';
import { wallSeconds } from './lib/experiments/wall-time';

const ANALYTIC = [attentionCost];
const mayTrain = process.env.CI !== 'true' && process.env.ATLAS_BUILD_TRAIN !== '0';

function generateAnalytic() {
  for (const gen of ANALYTIC) {
    const t0 = performance.now();
    const { rows, values, verdict } = gen.run();
    const provenance = { script: `scripts/analytic/${gen.id}.ts`, codeVersion: gen.codeVersion, kind: 'analytic' };
    const dir = join('generated', gen.id);
    const wrote = [
      writeJsonAtomic(join(dir, 'data.json'), { id: gen.id, provenance, config: gen.config, rows }),
      writeJsonAtomic(join(dir, 'values.json'), { id: gen.id, provenance, values }),
      verdict ? writeJsonAtomic(join(dir, 'verdict.json'), verdict) : false,
    ].some(Boolean);
    console.log(`generate: ${gen.id} ${wrote ? 'updated' : 'unchanged'} (${(performance.now() - t0).toFixed(0)} ms)`);
  }
}

async function summarizeExperiments() {
  for (const exp of await loadExperiments()) {
    if (!exp.summarize) continue;
    let tasks = await plan({ profile: 'full', only: [exp.id] });
    if (!tasks.some((t) => t.cache.state === 'fresh' || t.cache.state === 'stale')) {
      console.log(`generate: ${exp.id} has not run yet (pending on the site; run \`npm run experiments -- --only ${exp.id}\`)`);
      continue;
    }
    const stale = tasks.filter((t) => t.cache.state === 'stale' || t.cache.state === 'corrupt');
    const missing = tasks.filter((t) => t.cache.state === 'missing');
    if (stale.length && !mayTrain) {
      throw new Error(
        `${exp.id}: ${stale.length} committed full-profile result(s) no longer match the code (${stale.map((t) => t.path).join(', ')}). ` +
          `Fix: \`npm run experiments -- --only ${exp.id}\` and commit generated/${exp.id}/.`,
      );
    }
    const holder = holderOf(experimentLock(exp.id, 'full'))?.pid;
    if ((stale.length || missing.length) && mayTrain && !holder) {
      console.log(`generate: ${exp.id}: running ${stale.length + missing.length} missing or stale unit(s)`);
      const s = await runExperiments({ profile: 'full', only: [exp.id] });
      if (s.failed.length) throw new Error(`${exp.id}: ${s.failed.length} unit(s) failed: ${s.failed.map((f) => f.key).join(', ')}`);
      tasks = await plan({ profile: 'full', only: [exp.id] });
    } else if (missing.length) {
      console.log(`generate: ${exp.id}: ${missing.length} of ${tasks.length} units not run yet${holder ? ` (pid ${holder} is running them)` : ''}; the site shows the ${tasks.length - missing.length} that are`);
    }
    const fresh = tasks.filter((t) => t.cache.state === 'fresh');
    const records = fresh.map((t) => (t.cache as { record: import('./lib/experiments/types').UnitRecord }).record);
    const files = exp.summarize(records, mergeConfig(exp, 'full'), 'full');
    const unitKeys = new Set(tasks.map((t) => t.unit.key));
    // The compute the committed figures cost (RunBudget on "How figures are made").
    const unitSeconds = wallSeconds(records);
    const devices = [...new Set(records.map((r) => r.provenance.device).filter(Boolean))];
    const status = { experiment: exp.id, units: tasks.length, done: fresh.length, complete: fresh.length === tasks.length, unitSeconds, devices };
    for (const [name, data] of Object.entries({ ...files, status })) {
      if (unitKeys.has(name)) throw new Error(`${exp.id}: summarize() output '${name}' collides with a unit key`);
      writeJsonAtomic(join('generated', exp.id, `${name}.json`), data);
    }
    console.log(`generate: ${exp.id} summarized from ${fresh.length}/${tasks.length} units`);
  }
}

generateAnalytic();
await summarizeExperiments();
