// The command line of `npm run experiments` (scripts/run-experiments.ts): every mistake is a
// UsageError before any work starts.
import type { ProfileName } from './types';

export const USAGE = `usage: npm run experiments -- [--only ID[,ID]] [--profile quick|full] [--force] [--jobs N] [--no-wait] [--allow-dirty] [--shard I/N] [--unit ID/KEY[,…]] [--key=value …]
       npm run experiments -- --check-stale | --reproduce | --list | --list-units [--only …] [--profile …]`;

export interface CliArgs {
  only: string[];
  profile: ProfileName;
  force: boolean;
  jobs: number | undefined;
  wait: boolean;
  checkStale: boolean;
  list: boolean;
  listUnits: boolean;
  allowDirty: boolean;
  reproduce: boolean;
  shard: { index: number; count: number } | undefined;
  units: string[];
  overrides: Record<string, string>;
}

export class UsageError extends Error {
  constructor(message: string) { super(`${message}\n${USAGE}`); }
}

const BOOLEAN_FLAGS = { '--force': 'force', '--no-wait': 'wait', '--check-stale': 'checkStale', '--list': 'list', '--list-units': 'listUnits', '--allow-dirty': 'allowDirty', '--reproduce': 'reproduce' } as const;

/** Parses and validates the command line; every mistake is an error before any work starts. */
export function parseArgs(argv: readonly string[]): CliArgs {
  const o: CliArgs = { only: [], profile: 'full', force: false, jobs: undefined, wait: true, checkStale: false, list: false, listUnits: false, allowDirty: false, reproduce: false, shard: undefined, units: [], overrides: {} };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '' || (inline === undefined && v.startsWith('--'))) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    const list = () => {
      const items = value().split(',').map((s) => s.trim());
      if (items.some((s) => !s)) throw new UsageError(`${flag} has an empty item in '${items.join(',')}'`);
      return items;
    };
    if (flag in BOOLEAN_FLAGS) {
      if (inline !== undefined) throw new UsageError(`${flag} takes no value (got '${a}'); leave it out to turn it off`);
      const key = BOOLEAN_FLAGS[flag as keyof typeof BOOLEAN_FLAGS];
      if (key === 'wait') o.wait = false;
      else o[key] = true;
      continue;
    }
    switch (flag) {
      case '--only': o.only.push(...list()); break;
      case '--unit': {
        for (const u of list()) {
          if (!/^[^/]+\/[^/]+$/.test(u)) throw new UsageError(`--unit must be ID/KEY (experiment id / unit key), got '${u}'`);
          o.units.push(u);
        }
        break;
      }
      case '--profile': { const p = value(); if (p !== 'quick' && p !== 'full') throw new UsageError(`--profile must be quick or full, got '${p}'`); o.profile = p; break; }
      case '--jobs': { const v = value(), n = Number(v); if (!/^\d+$/.test(v) || n < 1) throw new UsageError(`--jobs must be a positive integer, got '${v}'`); o.jobs = n; break; }
      case '--shard': {
        const v = value(), m = /^(\d+)\/(\d+)$/.exec(v);
        const index = Number(m?.[1]), count = Number(m?.[2]);
        if (!m || count < 1 || index < 1 || index > count) throw new UsageError(`--shard must be I/N with 1 ≤ I ≤ N (e.g. 2/4), got '${v}'`);
        o.shard = { index, count };
        break;
      }
      case '--help': case '-h': console.log(USAGE); process.exit(0); break;
      default:
        if (flag.startsWith('--') && flag.length > 2 && inline !== undefined) {
          if (inline === '') throw new UsageError(`${flag} needs a value (got '${a}')`);
          o.overrides[flag.slice(2)] = inline;
        } else throw new UsageError(`unknown argument '${a}' (config overrides are written --key=value)`);
    }
  }
  const modes = [o.checkStale && '--check-stale', o.list && '--list', o.listUnits && '--list-units', o.reproduce && '--reproduce'].filter(Boolean);
  if (modes.length > 1) throw new UsageError(`${modes.join(' and ')} cannot be combined`);
  if ((o.checkStale || o.reproduce) && (o.profile !== 'full' || o.shard || o.units.length)) throw new UsageError(`${o.checkStale ? '--check-stale' : '--reproduce'} checks the committed full profile; it takes only --only`);
  // --unit names its experiment: load only those unless --only says more.
  for (const u of o.units) { const id = u.split('/')[0]!; if (o.only.length && !o.only.includes(id)) throw new UsageError(`--unit ${u} is not in --only ${o.only.join(',')}`); }
  return o;
}

