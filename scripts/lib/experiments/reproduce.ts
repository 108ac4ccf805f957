// `npm run experiments -- --reproduce` (CI): recompute the cheapest committed full-profile unit
// that is not legacy, at HEAD, and require the same numbers.
//
// Tolerance. On the CPU model the record names, none: the engine is deterministic for a seed on
// one backend (tests/engine/determinism.test.ts), tfjs-wasm runs single-threaded float32 SIMD, and
// the same XNNPACK micro-kernels are chosen on the same CPU, so every number must be bit-identical;
// any difference is a real change (code, engine, dependency). On another CPU model XNNPACK may pick
// other micro-kernels (AVX-512 vs AVX2 on AMD and Intel), and rounding differences of ~1e-7 grow
// through training; there we compare with |a − b| ≤ 1e-2 · max(1, |a|, |b|), which catches a
// broken pipeline (wrong data, wrong model, a lost step) but not a last-digit change, and we say so.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { machineFacts, plan, runStamp, runTask, type PlannedTask, type RunOptions } from './runner';
import type { Json, UnitRecord } from './types';

export const CROSS_CPU_TOLERANCE = 1e-2;

/** Wall-clock fields differ between any two runs: they are not results. */
const WALL_TIME = /^(timing|wallMs|startedAt)$|PerSec$|Ms$/;

export interface Difference { path: string; committed: Json | undefined; now: Json | undefined }

/**
 * Every place where two results differ: numbers beyond `tolerance` (relative, floor 1) or, with
 * tolerance 0, not identical; any other value not equal. Wall-clock fields are skipped.
 */
export function compareResults(a: Json | undefined, b: Json | undefined, tolerance: number, path = 'result'): Difference[] {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Object.is(a, b)) return [];
    if (tolerance > 0 && Number.isFinite(a) && Number.isFinite(b) && Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(a), Math.abs(b))) return [];
    return [{ path, committed: a, now: b }];
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return [{ path: `${path}.length`, committed: a.length, now: b.length }];
    return a.flatMap((x, i) => compareResults(x, b[i], tolerance, `${path}[${i}]`));
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !WALL_TIME.test(k)).sort();
    return keys.flatMap((k) => compareResults(a[k], b[k], tolerance, `${path}.${k}`));
  }
  return a === b ? [] : [{ path, committed: a, now: b }];
}

export type ReproduceReport =
  | { status: 'none'; message: string }
  | { status: 'unavailable'; message: string }
  | { status: 'match' | 'differ'; message: string; unit: string; sameCpu: boolean; tolerance: number; differences: Difference[] };

/** Recomputes the cheapest fresh, non-legacy committed unit (selected experiments) and compares. */
export async function reproduce(opts: Pick<RunOptions, 'only' | 'experimentsDir' | 'repoDir'> = {}): Promise<ReproduceReport> {
  const tasks = await plan({ ...opts, profile: 'full' });
  const committed = tasks.filter((t) => t.cache.state !== 'missing' && !(t.cache.state === 'fresh' && t.cache.legacy));
  if (!committed.length) {
    const legacy = tasks.filter((t) => t.cache.state === 'fresh' && t.cache.legacy).length;
    return { status: 'none', message: `reproduce: nothing to check: no committed full-profile unit outside contracts/legacy.ts (${legacy} legacy unit(s) are not recomputed here)` };
  }
  const fresh = committed.filter((t): t is PlannedTask & { cache: { state: 'fresh'; record: UnitRecord } } => t.cache.state === 'fresh');
  if (!fresh.length) {
    return { status: 'unavailable', message: `reproduce: ${committed.length} committed non-legacy unit(s) exist but none matches the code (${committed.map((t) => `${t.id}/${t.unit.key}: ${t.cache.state}`).slice(0, 5).join(', ')}); \`npm run experiments -- --check-stale\` says how to fix them` };
  }
  const target = fresh.reduce((best, t) => (t.cache.record.provenance.wallMs < best.cache.record.provenance.wallMs ? t : best));
  const record = target.cache.record;
  const recordedCpu = record.provenance.machine?.cpu;
  const cpu = machineFacts().cpu;
  const sameCpu = recordedCpu === cpu;
  const tolerance = sameCpu ? 0 : CROSS_CPU_TOLERANCE;
  const scratch = mkdtempSync(join(tmpdir(), 'atlas-reproduce-'));
  let now: UnitRecord;
  try {
    const { cache: _cache, ...task } = target;
    now = await runTask({ ...task, path: join(scratch, `${task.unit.key}.json`) }, runStamp(opts.repoDir), () => {}, opts.experimentsDir);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const differences = compareResults(record.result, now.result, tolerance);
  const unit = `${target.id}/${target.unit.key}`;
  const how = sameCpu
    ? `bit-identical numbers required (same CPU model: ${cpu})`
    : `numbers within ${tolerance} relative (recorded on ${recordedCpu ?? 'an unrecorded CPU'}, recomputed on ${cpu}: a different CPU may take other SIMD kernels, so the last digits are not compared)`;
  const message = differences.length
    ? `reproduce: ${unit} does NOT reproduce at HEAD, ${how}; ${differences.length} difference(s): ${differences.slice(0, 5).map((d) => `${d.path} committed ${JSON.stringify(d.committed)} now ${JSON.stringify(d.now)}`).join('; ')}`
    : `reproduce: ${unit} reproduces at HEAD (${(record.provenance.wallMs / 1000).toFixed(1)} s unit), ${how}`;
  return { status: differences.length ? 'differ' : 'match', message, unit, sameCpu, tolerance, differences };
}
