// npm run experiments [-- --only ID[,ID] --profile quick|full --force --jobs N --key=value …]
// npm run experiments -- --check-stale      (CI: exit 1 if a committed full result is stale)
// npm run experiments -- --list             (experiments, their units and cache states)
//
// Full results go to generated/<id>/<unit>.json (committed); quick ones to
// .cache/experiments-quick/ (scratch). A killed run resumes: finished units are skipped.
import { checkStale, plan, runExperiments } from './lib/experiments/runner';
import type { ProfileName } from './lib/experiments/types';

const USAGE = `usage: npm run experiments -- [--only ID[,ID]] [--profile quick|full] [--force] [--jobs N] [--key=value …] [--check-stale] [--list]`;

function parseArgs(argv: string[]) {
  const o = { only: [] as string[], profile: 'full' as ProfileName, force: false, jobs: undefined as number | undefined, checkStale: false, list: false, overrides: {} as Record<string, string> };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => { const v = inline ?? argv[++i]; if (v === undefined) throw new Error(`${flag} needs a value\n${USAGE}`); return v; };
    switch (flag) {
      case '--only': o.only.push(...value().split(',').filter(Boolean)); break;
      case '--profile': { const p = value(); if (p !== 'quick' && p !== 'full') throw new Error(`--profile must be quick or full, got ${p}`); o.profile = p; break; }
      case '--force': o.force = true; break;
      case '--jobs': { const n = Number(value()); if (!Number.isInteger(n) || n < 1) throw new Error('--jobs must be a positive integer'); o.jobs = n; break; }
      case '--check-stale': o.checkStale = true; break;
      case '--list': o.list = true; break;
      case '--help': case '-h': console.log(USAGE); process.exit(0); break;
      default:
        if (flag.startsWith('--') && inline !== undefined) o.overrides[flag.slice(2)] = inline;
        else throw new Error(`unknown argument '${a}'\n${USAGE}`);
    }
  }
  return o;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (args.checkStale) {
    const r = await checkStale({ only: args.only });
    for (const s of r.stale) console.error(`STALE ${s.id}/${s.key}: ${s.path} has cache key ${s.was}, the code now gives ${s.now}`);
    for (const c of r.corrupt) console.error(`CORRUPT ${c.path}: ${c.error}`);
    for (const m of r.missing) console.error(`missing (not committed yet) ${m.id}/${m.key}: ${m.path}`);
    if (r.legacy.length) console.error(`note: ${r.legacy.length} committed unit(s) are legacy (contracts/legacy.ts): accepted as committed until the model-pool rebuild replaces them`);
    const bad = r.stale.length + r.corrupt.length;
    console.error(bad ? `${bad} committed full-profile result(s) are stale: rerun \`npm run experiments -- --only <id>\` and commit generated/` : `check-stale: committed full-profile results match the code (${r.missing.length} not yet generated)`);
    return bad ? 1 : 0;
  }
  if (args.list) {
    for (const t of await plan({ profile: args.profile, only: args.only, overrides: args.overrides })) console.log(`${t.cache.state.padEnd(8)} ${t.id}/${t.unit.key}  ${t.path}`);
    return 0;
  }
  const s = await runExperiments({ profile: args.profile, only: args.only, force: args.force, jobs: args.jobs, overrides: args.overrides });
  console.error(`done: ${s.ran} ran, ${s.reused} cached, ${s.failed.length} failed, ${(s.wallMs / 1000).toFixed(1)} s`);
  return s.failed.length ? 1 : 0;
}

main().then((code) => process.exit(code), (e: Error) => { console.error(e.message); process.exit(2); });
