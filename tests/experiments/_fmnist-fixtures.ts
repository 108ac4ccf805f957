// Hand-made unit records for the frequency-noise and robustness summaries (known answers).
import type { UnitRecord } from '../../scripts/lib/experiments/types';

export function record(experiment: string, model: string, seed: number, result: unknown): UnitRecord {
  return {
    experiment, unit: { key: `${model}-s${seed}`, seed, model }, cacheKey: 'test', codeVersion: 'test', config: {}, claims: [], result: result as never,
    provenance: { backend: 'cpu', device: 'test', kernels: [], packages: {}, seed, profile: 'full', git: { revision: 'unknown', dirty: false }, startedAt: '2026-01-01T00:00:00Z', wallMs: 60_000 },
  };
}

/** Small deterministic jitter per seed so seed spreads are non-zero. */
export const jitter = (seed: number, k = 0) => 0.004 * (((seed * 7 + k * 3) % 5) - 2);
