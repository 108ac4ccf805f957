// Writes an experiment's summary files from its cached unit results: data.json (charts),
// values.json (numbers quoted in prose) and verdict.json (the computed verdict). For full results
// the build's data step (scripts/generate.ts) writes the same files; this also serves --profile quick.
//
//   npm exec -- tsx scripts/experiments/_fmnist/summarize.ts frequency-noise [--profile quick|full]
//
// Full results go to generated/<id>/ next to the unit files; quick ones to the quick scratch folder.
import { mergeConfig } from '../../lib/experiments/cache';
import { readResults, selectExperiments } from '../../lib/experiments/runner';
import type { ProfileName, UnitRecord } from '../../lib/experiments/types';
import { writeSummary } from './summary';

interface Summarizable { id: string; codeVersion: string; summarize(records: UnitRecord[], cfg: never, profile: ProfileName): Record<string, unknown> }

export async function summarizeExperiment(id: string, profile: ProfileName): Promise<string[]> {
  const [exp] = await selectExperiments({ only: [id] });
  const mod = exp as unknown as Summarizable & Parameters<typeof mergeConfig>[0];
  if (typeof mod.summarize !== 'function') throw new Error(`${id} exports no summarize()`);
  const cfg = mergeConfig(mod, profile);
  const records = await readResults(id, profile);
  const s = mod.summarize(records, cfg as never, profile);
  return writeSummary(id, profile, s);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const id = process.argv[2];
  const pi = process.argv.indexOf('--profile');
  const profile = (pi > 0 ? process.argv[pi + 1] : 'full') as ProfileName;
  if (!id || (profile !== 'quick' && profile !== 'full')) { console.error('usage: tsx scripts/experiments/_fmnist/summarize.ts <id> [--profile quick|full]'); process.exit(2); }
  summarizeExperiment(id, profile).then((files) => console.log(`wrote ${files.join(', ')}`), (e: Error) => { console.error(e.message); process.exit(1); });
}
