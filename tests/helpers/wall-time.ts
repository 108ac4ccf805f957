// Records compared across runs: everything but wall-clock fields.
/** Drops wall-time fields (timing blocks, wallMs, startedAt, *PerSec, *Ms). */
export function withoutWallTime(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutWallTime);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).filter(([k]) => !/^(timing|wallMs|startedAt)$|PerSec$|Ms$/.test(k)).map(([k, x]) => [k, withoutWallTime(x)]));
  }
  return v;
}
