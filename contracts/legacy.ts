// Committed full-profile units computed before results were required to be reproducible: most
// from a dirty tree, all without the engine revision in their cache key. They are accepted as they
// are (whatever the code now gives as their key) until the model-pool rebuild replaces them; the
// "How figures are made" page says which results these are. Each entry pins the cache key that
// is in the committed file, so a unit rewritten since is judged like any other.
//
// "<experiment>/<unit key>": cache key recorded in generated/<experiment>/<unit key>.json
export const LEGACY_UNITS: Readonly<Record<string, string>> = {
};

export const isLegacyUnit = (experiment: string, unitKey: string, recordedCacheKey: string): boolean =>
  LEGACY_UNITS[`${experiment}/${unitKey}`] === recordedCacheKey;
