// Experiment discovery, config merging/overrides, cache keys and cache files.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isLegacyUnit } from '../../../contracts/legacy';
import { unitRecordSchema } from '../../../contracts/unit-record';
import type { EngineRevision } from '../engine/revision';
import { cleanDeadTemps } from './lock';
import type { Experiment, Json, ProfileName, Unit, UnitRecord } from './types';

export const EXPERIMENTS_DIR = resolve('scripts/experiments');

/** Where a unit's JSON lives. Full results are committed under generated/; quick ones are scratch. */
export function resultsRoot(profile: ProfileName): string {
  const base = process.env.ATLAS_RESULTS_DIR;
  if (base) return resolve(base, profile === 'full' ? 'generated' : '.cache/quick');
  return resolve(profile === 'full' ? 'generated' : '.cache/experiments-quick');
}
export const unitPath = (id: string, key: string, profile: ProfileName) => join(resultsRoot(profile), id, `${key}.json`);

/** JSON with sorted keys, so equal values hash equally. */
export function stableStringify(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  return `{${Object.keys(v as object).sort().map((k) => `${JSON.stringify(k)}:${stableStringify((v as Record<string, unknown>)[k])}`).join(',')}}`;
}

/** A unit's identity: experiment, code version, merged config, unit and (when given) engine revision. */
export function cacheKey(exp: Pick<Experiment, 'id' | 'codeVersion'>, cfg: Record<string, Json>, unit: Unit, engine?: EngineRevision): string {
  const what: Record<string, unknown> = { id: exp.id, codeVersion: exp.codeVersion, config: cfg, unit };
  if (engine) what.engine = engine;
  return createHash('sha256').update(stableStringify(what)).digest('hex').slice(0, 20);
}

/** defaults ← profile differences ← command-line overrides (type-checked against defaults), then range-checked. */
export function mergeConfig(exp: Experiment, profile: ProfileName, overrides: Record<string, Json> = {}): Record<string, Json> {
  const cfg: Record<string, Json> = { ...exp.defaults, ...(exp.profiles[profile] as Record<string, Json>) };
  for (const [k, v] of Object.entries(overrides)) {
    if (!(k in exp.defaults)) throw new Error(`${exp.id}: unknown config key '${k}' (known: ${Object.keys(exp.defaults).join(', ')})`);
    const kind = (x: unknown) => (Array.isArray(x) ? 'array' : x === null ? 'null' : typeof x);
    if (kind(exp.defaults[k]) !== kind(v)) throw new Error(`${exp.id}: '${k}' must be ${kind(exp.defaults[k])}, got ${kind(v)} (${JSON.stringify(v)})`);
    cfg[k] = v;
  }
  const bad = configErrors(exp, cfg);
  if (bad.length) throw new Error(`${exp.id} (${profile}): ${bad.join('; ')}`);
  return cfg;
}

export interface NumberLimit { min?: number; integer?: boolean; /** min is exclusive */ positive?: boolean }

/** Limits every experiment shares where the rule below is too strict. */
const SHARED_LIMITS: Readonly<Record<string, NumberLimit>> = { warmupSteps: { min: 0, integer: true } };

/**
 * The range a number may take, read from its default unless the experiment says otherwise
 * (`limits`): a positive integer default (steps, batchSize, seeds) must stay a positive integer,
 * a zero default (0 = "all") a non-negative integer, a positive fraction (lr) positive.
 */
export function limitFor(exp: Pick<Experiment, 'defaults' | 'limits'>, key: string): NumberLimit | undefined {
  const own = exp.limits?.[key] ?? SHARED_LIMITS[key];
  if (own) return own;
  const d = exp.defaults[key];
  if (typeof d !== 'number') return undefined;
  if (Number.isInteger(d) && d > 0) return { min: 1, integer: true };
  if (d === 0) return { min: 0, integer: true };
  if (d > 0) return { positive: true };
  return {};
}

export function configErrors(exp: Pick<Experiment, 'defaults' | 'limits'>, cfg: Record<string, Json>): string[] {
  const errors: string[] = [];
  for (const [k, v] of Object.entries(cfg)) {
    if (typeof v !== 'number') continue;
    const lim = limitFor(exp, k);
    if (!Number.isFinite(v)) { errors.push(`--${k} must be a finite number, got ${v}`); continue; }
    if (!lim) continue;
    if (lim.integer && !Number.isInteger(v)) errors.push(`--${k} must be an integer, got ${v}`);
    else if (lim.positive && !(v > 0)) errors.push(`--${k} must be > 0, got ${v}`);
    else if (lim.min !== undefined && v < lim.min) errors.push(`--${k} must be ≥ ${lim.min}, got ${v}`);
  }
  return errors;
}

/** `--key=value` → a typed value, read as the default's type (nanoGPT's configurator). */
export function parseOverride(raw: string, like: Json | undefined): Json {
  if (raw.trim() === '' && typeof like !== 'string') throw new Error('needs a value (got an empty one)');
  if (typeof like === 'string') return raw;
  if (typeof like === 'number') { const n = Number(raw); if (!Number.isFinite(n)) throw new Error(`expected a number, got '${raw}'`); return n; }
  if (typeof like === 'boolean') { if (raw !== 'true' && raw !== 'false') throw new Error(`expected true|false, got '${raw}'`); return raw === 'true'; }
  if (Array.isArray(like)) {
    try { const v = JSON.parse(raw) as Json; if (Array.isArray(v)) return v; } catch { /* comma list below */ }
    return raw.split(',').map((s) => (typeof like[0] === 'number' ? Number(s) : s));
  }
  return JSON.parse(raw) as Json;
}

function assertExperiment(m: Record<string, unknown>, file: string): Experiment {
  if (typeof m !== 'object' || m === null) throw new Error(`${file}: not an experiment module (got ${String(m)})`);
  for (const [k, t] of [['id', 'string'], ['codeVersion', 'string'], ['defaults', 'object'], ['profiles', 'object'], ['units', 'function'], ['runUnit', 'function']] as const) {
    if (typeof m[k] !== t) throw new Error(`${file}: experiment must export ${k} (${t})`);
  }
  if (!Array.isArray(m.claims)) throw new Error(`${file}: experiment must export claims (string[])`);
  if (m.reads !== undefined && !(Array.isArray(m.reads) && m.reads.every((r) => typeof r === 'string'))) throw new Error(`${file}: reads must be a list of experiment ids (string[])`);
  const p = m.profiles as Record<string, unknown>;
  if (typeof p.quick !== 'object' || typeof p.full !== 'object') throw new Error(`${file}: profiles must have quick and full`);
  for (const prof of ['quick', 'full']) for (const k of Object.keys(p[prof] as object)) {
    if (!(k in (m.defaults as object))) throw new Error(`${file}: profiles.${prof}.${k} is not in defaults`);
  }
  return m as unknown as Experiment;
}

/**
 * The experiments listed in `<dir>/index.ts` (its `EXPERIMENTS` array), each checked for the
 * exports the runner needs. `only` is accepted for callers that filter afterwards; the list is
 * explicit, so every listed module must load.
 */
export async function loadExperiments(dir = EXPERIMENTS_DIR, _only: readonly string[] = []): Promise<Experiment[]> {
  const index = join(dir, 'index.ts');
  if (!existsSync(index)) throw new Error(`${index} is missing: it must export EXPERIMENTS, the list of experiment modules`);
  const mod = (await import(pathToFileURL(index).href)) as { EXPERIMENTS?: unknown };
  if (!Array.isArray(mod.EXPERIMENTS)) throw new Error(`${index}: must export EXPERIMENTS (an array of experiment modules)`);
  const out: Experiment[] = [];
  for (const [i, m] of (mod.EXPERIMENTS as Record<string, unknown>[]).entries()) {
    const exp = assertExperiment(m, `${index}: EXPERIMENTS[${i}]${typeof m?.id === 'string' ? ` (${m.id})` : ''}`);
    if (out.some((e) => e.id === exp.id)) throw new Error(`${index}: experiment id '${exp.id}' listed twice`);
    out.push(exp);
  }
  for (const exp of out) {
    const unknown = (exp.reads ?? []).filter((r) => !out.some((e) => e.id === r));
    if (unknown.length) throw new Error(`${index}: ${exp.id} reads ${unknown.join(', ')}, which is not listed in EXPERIMENTS (known: ${out.map((e) => e.id).join(', ')}); fix the id in ${exp.id}'s \`reads\``);
  }
  return out;
}

/** `legacy`: a committed unit listed in contracts/legacy.ts, accepted whatever the code's key now is. */
export type CacheState = { state: 'fresh'; record: UnitRecord; legacy?: true } | { state: 'missing' } | { state: 'stale'; record: UnitRecord } | { state: 'corrupt'; error: string };

/** Reads a unit's cache file and says whether it can be reused. Never trusts a broken file. */
export function inspectCache(path: string, key: string, experiment?: string): CacheState {
  if (!existsSync(path)) return { state: 'missing' };
  let rec: UnitRecord;
  try {
    const data: unknown = JSON.parse(readFileSync(path, 'utf8'));
    const parsed = unitRecordSchema.safeParse(data);
    if (!parsed.success) {
      throw new Error(`not a unit record (contracts/unit-record.ts): ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
    }
    rec = data as UnitRecord; // as written: the parsed copy drops fields the contract does not name
  } catch (e) {
    return { state: 'corrupt', error: (e as Error).message };
  }
  if (rec.cacheKey === key) return { state: 'fresh', record: rec };
  if (experiment && rec.unit && isLegacyUnit(experiment, String(rec.unit.key), rec.cacheKey)) return { state: 'fresh', record: rec, legacy: true };
  return { state: 'stale', record: rec };
}

/** Removes temp files a killed run left behind (atomic writes go through *.tmp-<pid>-*); a live writer's are kept. */
export function cleanTemps(dir: string): void {
  cleanDeadTemps(dir);
}
