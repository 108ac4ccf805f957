/**
 * Build-time data step (`npm run generate`, run by `npm run build`):
 * recomputes the cheap analytic results into generated/ (written only when changed).
 * Experiments that train models are cached by the experiment runner and are not rerun here
 * unless missing or stale.
 */
import { join } from 'node:path';
import { writeJsonAtomic } from './lib/io/json-file';
import * as attentionCost from './analytic/attention-cost';

const ANALYTIC = [attentionCost];

function main() {
  for (const gen of ANALYTIC) {
    const t0 = performance.now();
    const { rows, values, verdict } = gen.run();
    const provenance = { script: `scripts/analytic/${gen.id}.ts`, codeVersion: gen.codeVersion, kind: 'analytic' };
    const dir = join('generated', gen.id);
    const wroteData = writeJsonAtomic(join(dir, 'data.json'), { id: gen.id, provenance, config: gen.config, rows });
    const wroteValues = writeJsonAtomic(join(dir, 'values.json'), { id: gen.id, provenance, values });
    const wroteVerdict = verdict ? writeJsonAtomic(join(dir, 'verdict.json'), verdict) : false;
    const state = wroteData || wroteValues || wroteVerdict ? 'updated' : 'unchanged';
    console.log(`generate: ${gen.id} ${state} (${(performance.now() - t0).toFixed(0)} ms)`);
  }
}

main();
