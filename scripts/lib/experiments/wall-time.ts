// What a set of unit results cost: each unit's own wall time from its provenance, summed (a unit
// runs on one worker, so this is compute time; training counts in the unit that did it).
import type { UnitRecord } from './types';

export const unitWallMs = (records: readonly UnitRecord[]): number => records.reduce((s, r) => s + r.provenance.wallMs, 0);

/** Summed unit wall time in whole seconds. */
export const wallSeconds = (records: readonly UnitRecord[]): number => Math.round(unitWallMs(records) / 1000);
