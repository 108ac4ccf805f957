// What an experiment module exports (scripts/experiments/<id>.ts). The runner does the rest:
// caching per unit, workers, progress, provenance.
//
//   export const id = 'shape-bias';
//   export const claims = ['C1'];
//   export const codeVersion = '1';            // bump when a unit's result would change
//   export const defaults = { models: ['vit_mini_patch4_28'], seeds: 3, steps: 2000 };
//   export const profiles = { quick: { seeds: 1, steps: 20 }, full: {} };  // only differences
//   export function units(profile, cfg) { return cfg.models.map((m) => ({ key: `${m}-s0`, seed: 0, model: m })); }
//   export async function runUnit(unit, cfg, ctx) { …; return { accuracy: 0.9 }; }   // plain JSON
//   export function summarize(records, cfg, profile) { return { values, verdict, curves }; }  // optional
//
// `summarize` turns the fresh unit records into the files the site reads: each returned key K is
// written to generated/<id>/K.json by the build's data step (scripts/generate.ts) once every full
// unit is fresh. By convention: `values` ({ id, values: { key: { value, unit? } } }, for <Value> in prose),
// `verdict` (contracts/verdict.ts), and any chart data files the charts load.
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type ProfileName = 'quick' | 'full';
export const PROFILES: readonly ProfileName[] = ['quick', 'full'];

/** One cacheable piece of work. `key` names its file: generated/<id>/<key>.json. */
export interface Unit {
  key: string;
  seed: number;
  [param: string]: Json;
}

export interface RunContext {
  profile: ProfileName;
  /** Report progress inside the unit (drives the ETA); cheap, call freely. */
  progress(done: number, total: number): void;
  log(line: string): void;
}

export interface Experiment<C extends Record<string, Json> = Record<string, Json>> {
  id: string;
  claims: readonly string[];
  codeVersion: string;
  defaults: C;
  profiles: { quick: Partial<C>; full: Partial<C> };
  /** Units that take hours (the model pool): `npm run build` never trains them, only `npm run experiments` does. */
  long?: boolean;
  /** Experiments whose unit records this one's units load (the pool): a run computes those first. */
  reads?: readonly string[];
  /** Optional: number ranges where the rule read from the default does not fit (see cache.ts limitFor). */
  limits?: Partial<Record<string, { min?: number; integer?: boolean; positive?: boolean }>>;
  units(profile: ProfileName, cfg: C): Unit[];
  runUnit(unit: Unit, cfg: C, ctx: RunContext): Promise<Json> | Json;
  /** Optional: fresh unit records → site files (generated/<id>/<name>.json), see the header. */
  summarize?(records: UnitRecord[], cfg: C, profile: ProfileName): Record<string, Json>;
}

export interface Provenance {
  backend: string;
  device: string;
  kernels: string[];
  packages: Record<string, string>;
  seed: number;
  profile: ProfileName;
  git: { revision: string; dirty: boolean };
  /** Computed from a dirty tree on purpose (--allow-dirty); such results fail --check-stale. */
  allowDirty?: boolean;
  /** tfjs version, backend and kernel-source hash (absent in legacy records). */
  engine?: { tfjs: string; backend: string; kernels: string };
  /** CPU model, cores, arch, platform, memory; no host name (absent in legacy records). */
  machine?: { cpu: string; cores: number; arch: string; platform: string; memoryGiB: number };
  startedAt: string;
  wallMs: number;
}

/** The JSON file the runner writes per unit. */
export interface UnitRecord {
  experiment: string;
  unit: Unit;
  cacheKey: string;
  codeVersion: string;
  config: Record<string, Json>;
  claims: readonly string[];
  result: Json;
  provenance: Provenance;
}
