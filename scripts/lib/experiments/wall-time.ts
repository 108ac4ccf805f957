// What a set of unit results cost: each unit's own wall time, summed (a unit runs on one worker, so
// this is compute time; training counts in the unit that did it). The provenance holds the wall time
// of the process that finished the unit; a unit resumed across runs (the pool) also reports the sum
// over its runs as result.timing.wallMs, and the larger of the two counts.
import type { UnitRecord } from './types';

function ownWallMs(r: UnitRecord): number {
  const res = r.result as { timing?: { wallMs?: unknown } } | null;
  const summed = typeof res?.timing?.wallMs === 'number' ? res.timing.wallMs : 0;
  return Math.max(r.provenance.wallMs, summed);
}

export const unitWallMs = (records: readonly UnitRecord[]): number => records.reduce((s, r) => s + ownWallMs(r), 0);

/** Summed unit wall time in whole seconds. */
export const wallSeconds = (records: readonly UnitRecord[]): number => Math.round(unitWallMs(records) / 1000);
