// Writes an experiment's summary files (each key K of its `summarize()` → <dir>/K.json), as
// `npm run generate` does for full results, but for any profile and from fresh units only,
// without training anything. Used for quick runs and while a full run is still going.
//
//   npm exec -- tsx scripts/experiments/common/summarize.ts shape-bias [--profile quick|full]
//   npm exec -- tsx scripts/experiments/common/summarize.ts data-efficiency
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { verdictSchema } from '../../../contracts/verdict';
import { writeJsonAtomic } from '../../lib/experiments/atomic';
import { mergeConfig, resultsRoot } from '../../lib/experiments/cache';
import { plan, selectExperiments } from '../../lib/experiments/runner';
import type { ProfileName, UnitRecord } from '../../lib/experiments/types';

export async function summarizeExperiment(id: string, profile: ProfileName = 'full'): Promise<{ dir: string; files: string[]; units: number; of: number; verdict?: string }> {
  const [exp] = await selectExperiments({ only: [id] });
  if (!exp?.summarize) throw new Error(`${id}: the experiment exports no summarize()`);
  const tasks = await plan({ profile, only: [id] });
  const records = tasks.filter((t) => t.cache.state === 'fresh').map((t) => (t.cache as { record: UnitRecord }).record);
  const files = exp.summarize(records, mergeConfig(exp, profile), profile);
  const verdict = files.verdict ? verdictSchema.parse(files.verdict) : undefined;
  const dir = join(resultsRoot(profile), id);
  const status = { experiment: id, units: tasks.length, done: records.length, complete: records.length === tasks.length };
  for (const [name, data] of Object.entries({ ...files, status })) writeJsonAtomic(join(dir, `${name}.json`), data);
  return { dir, files: [...Object.keys(files), 'status'], units: records.length, of: tasks.length, verdict: verdict?.verdict };
}

if (import.meta.url === pathToFileURL(resolve(process.argv[1] ?? '')).href) {
  const args = process.argv.slice(2);
  const id = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--profile');
  const profile = (args.includes('--profile') ? args[args.indexOf('--profile') + 1] : 'full') as ProfileName;
  if (!id || (profile !== 'quick' && profile !== 'full')) {
    console.error('usage: summarize.ts <experiment-id> [--profile quick|full]');
    process.exit(2);
  }
  summarizeExperiment(id, profile).then(
    (r) => console.log(`${id}: ${r.units}/${r.of} units → ${r.dir}/{${r.files.join(',')}}.json${r.verdict ? ` (verdict: ${r.verdict})` : ''}`),
    (e: Error) => { console.error(e.message); process.exit(1); },
  );
}
