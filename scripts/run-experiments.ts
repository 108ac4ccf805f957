// npm run experiments [-- --only ID[,ID] --profile quick|full --force --jobs N --key=value …]
// npm run experiments -- --check-stale      (CI: exit 1 if a committed full result is stale, corrupt or orphaned)
// npm run experiments -- --reproduce        (CI: recompute the cheapest committed non-legacy unit at HEAD, compare)
// npm run experiments -- --list             (experiments, their units and cache states, for people)
// npm run experiments -- --list-units       (the same as a JSON array of { id, key, state } on stdout, for CI)
// npm run experiments -- --shard I/N        (only shard I of N of the planned units; CI matrix jobs)
// npm run experiments -- --unit ID/KEY      (one unit; repeat or comma-separate for more)
//
// Full results go to generated/<id>/<unit>.json (committed); quick ones to
// .cache/experiments-quick/ (scratch). A killed run resumes: finished units are skipped.
import { reproduce } from './lib/experiments/reproduce';
import { checkStale, plan, runExperiments } from './lib/experiments/runner';
import { parseArgs } from './lib/experiments/cli';

async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  const only = args.only.length ? args.only : [...new Set(args.units.map((u) => u.split('/')[0]!))];
  const sel = { profile: args.profile, only, overrides: args.overrides, shard: args.shard, units: args.units };
  if (args.checkStale) {
    const r = await checkStale({ only });
    for (const s of r.stale) console.error(`STALE ${s.id}/${s.key}: ${s.path} has cache key ${s.was}, the code now gives ${s.now}`);
    for (const c of r.corrupt) console.error(`CORRUPT ${c.path}: ${c.error}. Fix: ${c.fix}`);
    for (const o of r.orphans) console.error(`ORPHAN ${o.files.join(', ')}: site files of ${o.id} without any unit file. Fix: restore the units (\`git checkout -- generated/${o.id}/\`) or delete these files`);
    for (const m of r.missing) console.error(`missing (not committed yet) ${m.id}/${m.key}: ${m.path}`);
    if (r.legacy.length) console.error(`note: ${r.legacy.length} committed unit(s) are legacy (contracts/legacy.ts): accepted as committed until the model-pool rebuild replaces them`);
    for (const d of r.dirty) console.error(`DIRTY ${d.path}: computed at ${d.revision.slice(0, 12)} with uncommitted changes, so no commit reproduces it. Fix: \`npm run experiments -- --unit ${d.id}/${d.key} --force\` from a clean tree and commit it`);
    const bad = r.stale.length + r.corrupt.length + r.orphans.length + r.dirty.length;
    console.error(bad ? `check-stale: ${r.stale.length} stale, ${r.corrupt.length} corrupt, ${r.orphans.length} orphaned, ${r.dirty.length} from a dirty tree: fix as said above (stale: rerun \`npm run experiments -- --only <id>\` from a clean tree and commit generated/)` : `check-stale: committed full-profile results match the code (${r.missing.length} not yet generated)`);
    return bad ? 1 : 0;
  }
  if (args.reproduce) {
    const r = await reproduce({ only });
    console.error(r.message);
    return r.status === 'match' || r.status === 'none' ? 0 : 1;
  }
  if (args.listUnits) {
    // stdout carries the JSON and nothing else (a module that logs while loading goes to stderr).
    const log = console.log;
    console.log = (...a: unknown[]) => console.error(...a);
    const tasks = await plan(sel);
    console.log = log;
    const rows = tasks.map((t) => ({ id: t.id, key: t.unit.key, state: t.cache.state === 'fresh' && t.cache.legacy ? 'legacy' : t.cache.state }));
    process.stdout.write(`${JSON.stringify(rows)}\n`);
    return 0;
  }
  if (args.list) {
    for (const t of await plan(sel)) console.log(`${(t.cache.state === 'fresh' && t.cache.legacy ? 'legacy' : t.cache.state).padEnd(8)} ${t.id}/${t.unit.key}  ${t.path}`);
    return 0;
  }
  const resumeCommand = `npm run experiments -- ${argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`)).join(' ')}`.trim();
  const s = await runExperiments({ ...sel, force: args.force, jobs: args.jobs, wait: args.wait, resumeCommand, allowDirty: args.allowDirty });
  console.error(`done: ${s.ran} ran, ${s.reused} cached, ${s.failed.length} failed, ${(s.wallMs / 1000).toFixed(1)} s`);
  return s.failed.length ? 1 : 0;
}

main(process.argv.slice(2)).then((code) => process.exit(code), (e: Error) => { console.error(e.message); process.exit(2); });
