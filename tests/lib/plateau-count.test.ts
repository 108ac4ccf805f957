import { describe, expect, it } from 'vitest';
import { plateauCount, type PoolManifest, type PoolModel } from '../../src/lib/experiments/load-pool';

// Only the fields plateauCount reads; the rest of a model does not take part.
const model = (id: string, plateauGain: number | null, valAccuracy = 0.9) => ({ id, plateauGain, valAccuracy }) as PoolModel;
const manifest = (models: PoolModel[], valImages: unknown = 5000) =>
  ({ models, plateauLimit: 0.005, recipe: { valImages } }) as unknown as PoolManifest;

describe('plateauCount', () => {
  it('counts every model as plateaued when all gains are below the limit, a drop included', () => {
    const c = plateauCount(manifest([model('a-full-s0', 0.001), model('a-full-s1', -0.002)]));
    expect(c).toEqual({ total: 2, missed: [] });
  });
  it('lists a gain at or above the limit, and an unmeasured gain, as not plateaued', () => {
    const c = plateauCount(manifest([model('a-full-s0', 0.001), model('a-full-s1', 0.005), model('a-small-s0', null)]));
    expect(c.total).toBe(3);
    expect(c.missed.map((m) => m.id)).toEqual(['a-full-s1', 'a-small-s0']);
  });
  it('gives the binomial standard error of one validation accuracy at the missed models\' mean', () => {
    const c = plateauCount(manifest([model('a-full-s0', 0.01, 0.88), model('a-full-s1', 0.02, 0.92)]));
    expect(c.missedSe).toBeCloseTo(Math.sqrt((0.9 * 0.1) / 5000), 12);
    expect(plateauCount(manifest([model('a-full-s0', 0.01)], null)).missedSe).toBeUndefined();
  });
});
