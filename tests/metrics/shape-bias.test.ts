// Shape bias on hand-made decision tables with known answers.
import { describe, expect, it } from 'vitest';
import { perShapeBias, probeAccuracy, tallyCueConflict, tallyFromArrays } from '../../scripts/lib/metrics/shape-bias';

describe('shape bias (Geirhos et al. 2019)', () => {
  it('is shape hits / (shape + texture hits): the article example 30 / (30 + 90) = 0.25', () => {
    const trials = [
      ...Array.from({ length: 30 }, () => ({ prediction: 1, shape: 1, texture: 2 })), // shape decisions
      ...Array.from({ length: 90 }, () => ({ prediction: 2, shape: 1, texture: 2 })), // texture decisions
    ];
    const t = tallyCueConflict(trials);
    expect(t).toMatchObject({ trials: 120, excluded: 0, shapeHits: 30, textureHits: 90, other: 0 });
    expect(t.shapeBias).toBe(0.25);
    expect(t.shapeFraction).toBe(0.25);
    expect(t.textureFraction).toBe(0.75);
  });

  it('ignores answers that match neither cue in the ratio, but counts them in the fractions', () => {
    // 3 shape, 1 texture, 4 neither → bias 3/4; fractions of the 8 conflict trials 3/8 and 1/8.
    const t = tallyFromArrays([0, 0, 0, 5, 7, 7, 7, 7], [0, 0, 0, 1, 1, 1, 1, 1], [5, 5, 5, 5, 2, 3, 4, 6]);
    expect(t).toMatchObject({ shapeHits: 3, textureHits: 1, other: 4, excluded: 0 });
    expect(t.shapeBias).toBe(0.75);
    expect(t.shapeFraction).toBe(3 / 8);
    expect(t.textureFraction).toBe(1 / 8);
  });

  it('drops trials without a conflict (shape = texture), as the texture-vs-shape analysis does', () => {
    const t = tallyFromArrays([3, 3, 4, 1], [3, 3, 4, 2], [3, 5, 6, 1]);
    // Trial 0 has no conflict; of the rest: one shape hit (1), one shape hit (2), one texture hit (3).
    expect(t).toMatchObject({ trials: 4, excluded: 1, shapeHits: 2, textureHits: 1, other: 0 });
    expect(t.shapeBias).toBeCloseTo(2 / 3, 12);
  });

  it('is null, not NaN, when no decision matches either cue', () => {
    const t = tallyFromArrays([7, 7], [0, 1], [2, 3]);
    expect(t.shapeBias).toBeNull();
    expect(t.shapeFraction).toBe(0);
    expect(tallyCueConflict([]).shapeBias).toBeNull();
  });

  it('all-shape and all-texture deciders give 1 and 0', () => {
    const shape = Array.from({ length: 8 }, (_, s) => s), texture = shape.map((s) => (s + 3) % 8);
    expect(tallyFromArrays(shape, shape, texture).shapeBias).toBe(1);
    expect(tallyFromArrays(texture, shape, texture).shapeBias).toBe(0);
  });

  it('per shape category (Geirhos Fig. 4 style): one ratio per shape class, null where a class has no cue decision', () => {
    // trial:        0  1  2  3  4  5
    // prediction:   0  4  0  5  1  9
    // shape:        0  0  0  1  1  2
    // texture:      4  4  3  5  6  7
    // class 0: shape, texture, shape → 2/3; class 1: texture, shape → 1/2; class 2: neither → null.
    const r = perShapeBias([0, 4, 0, 5, 1, 9], [0, 0, 0, 1, 1, 2], [4, 4, 3, 5, 6, 7], 3);
    expect(r[0]).toBeCloseTo(2 / 3, 12);
    expect(r[1]).toBe(0.5);
    expect(r[2]).toBeNull();
  });

  it('probe accuracy is the plain hit rate', () => {
    expect(probeAccuracy([1, 2, 3, 4], [1, 2, 0, 0])).toBe(0.5);
    expect(() => probeAccuracy([1], [1, 2])).toThrow(/length/);
  });
});
