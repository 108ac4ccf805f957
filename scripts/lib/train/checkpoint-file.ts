// A training checkpoint on disk: what `train()` hands its checkpoint hook, saved so that a killed run
// resumes exactly (weights, optimiser moments, evals so far, the best eval's weights).
//
//   saveCheckpoint(path, c, { trainSeconds });   const back = loadCheckpoint(path);  // null if absent
//
// Two files: <path>.bin (every Float32Array back to back) and <path>.json (step, evals, best, the
// lengths and the extras), each written atomically, the .json last: it marks the pair complete.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { writeFileAtomic } from '../io/json-file';
import type { Checkpoint } from './loop';

export interface SavedCheckpoint<E> { checkpoint: Checkpoint; extra: E }

interface Header<E> {
  step: number;
  evals: Checkpoint['evals'];
  best: { step: number; accuracy: number } | null;
  lengths: { weights: number[]; moments: number[] | null; best: number[] | null };
  /** Of the .bin: a crash between the two renames leaves an old header that must not pair with a new .bin. */
  sha256: string;
  extra: E;
}

export function saveCheckpoint<E>(path: string, c: Checkpoint, extra: E): void {
  const parts = [...c.weights, ...(c.moments ?? []), ...(c.best?.weights ?? [])];
  const all = new Float32Array(parts.reduce((s, a) => s + a.length, 0));
  let o = 0;
  for (const a of parts) { all.set(a, o); o += a.length; }
  const bytes = new Uint8Array(all.buffer);
  const header: Header<E> = {
    step: c.step, evals: c.evals, best: c.best ? { step: c.best.step, accuracy: c.best.accuracy } : null,
    lengths: { weights: c.weights.map((a) => a.length), moments: c.moments?.map((a) => a.length) ?? null, best: c.best?.weights.map((a) => a.length) ?? null },
    sha256: createHash('sha256').update(bytes).digest('hex'), extra,
  };
  writeFileAtomic(`${path}.bin`, bytes);
  writeFileAtomic(`${path}.json`, JSON.stringify(header));
}

/** The checkpoint at `path`, or null when there is none; a damaged one is reported and removed (the unit restarts). */
export function loadCheckpoint<E>(path: string, warn: (line: string) => void = () => {}): SavedCheckpoint<E> | null {
  if (!existsSync(`${path}.json`)) return null;
  try {
    const h = JSON.parse(readFileSync(`${path}.json`, 'utf8')) as Header<E>;
    const raw = readFileSync(`${path}.bin`);
    if (createHash('sha256').update(raw).digest('hex') !== h.sha256) throw new Error('the .bin does not match its header');
    const all = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
    let o = 0;
    const take = (lengths: number[]) => lengths.map((n) => { const a = all.slice(o, o + n); o += n; return a; });
    const weights = take(h.lengths.weights);
    const moments = h.lengths.moments ? take(h.lengths.moments) : null;
    const bestWeights = h.lengths.best ? take(h.lengths.best) : null;
    if (o !== all.length) throw new Error(`${all.length} values, the header names ${o}`);
    const best = h.best && bestWeights ? { ...h.best, weights: bestWeights } : null;
    return { checkpoint: { step: h.step, weights, moments, evals: h.evals, best }, extra: h.extra };
  } catch (e) {
    warn(`checkpoint ${path} unusable (${(e as Error).message}); removed, the unit starts over`);
    removeCheckpoint(path);
    return null;
  }
}

export function removeCheckpoint(path: string): void {
  rmSync(`${path}.json`, { force: true });
  rmSync(`${path}.bin`, { force: true });
}
