import { describe, expect, it } from 'vitest';
import { meanAttentionDistance, patchCentres, patchDistances, tokenGrid, uniformDistance } from '../../scripts/lib/metrics/attention-distance';

/** Attention [1, H, T, T] from one T×T matrix per head. */
const stack = (...heads: number[][][]) => {
  const T = heads[0]!.length;
  return { probs: Float64Array.from(heads.flatMap((m) => m.flat())), shape: [1, heads.length, T, T] as [number, number, number, number] };
};
const identity = (T: number) => Array.from({ length: T }, (_, i) => Array.from({ length: T }, (_, j) => (i === j ? 1 : 0)));
const uniform = (T: number) => Array.from({ length: T }, () => Array.from({ length: T }, () => 1 / T));

describe('mean attention distance', () => {
  it('places patch centres at (k + ½) · cell size', () => {
    expect(Array.from(patchCentres(tokenGrid(2, 2, 4)))).toEqual([2, 2, 2, 6, 6, 2, 6, 6]);
    const d = patchDistances(tokenGrid(1, 3, 5));
    expect(Array.from(d)).toEqual([0, 5, 10, 5, 0, 5, 10, 5, 0]);
  });

  it('is 0 when every patch attends only to itself', () => {
    const { probs, shape } = stack(identity(49));
    const [h] = meanAttentionDistance(probs, shape, tokenGrid(7, 7, 4));
    expect(h!.patch).toBe(0);
  });

  it('gives the known mean for uniform attention on a 2×2 grid: (2s + s√2)/4', () => {
    const s = 4;
    const { probs, shape } = stack(uniform(4));
    const [h] = meanAttentionDistance(probs, shape, tokenGrid(2, 2, s));
    expect(h!.patch).toBeCloseTo((2 * s + s * Math.SQRT2) / 4, 12);
    expect(uniformDistance(tokenGrid(2, 2, s))).toBeCloseTo((2 * s + s * Math.SQRT2) / 4, 12);
  });

  it('gives the known mean for uniform attention on a 1×3 row: (0+5+10 + 5+0+5 + 10+5+0)/9', () => {
    const { probs, shape } = stack(uniform(3));
    expect(meanAttentionDistance(probs, shape, tokenGrid(1, 3, 5))[0]!.patch).toBeCloseTo(40 / 9, 12);
  });

  it('reads a neighbour at one cell as one cell size, per head', () => {
    // Head 0: each patch of a 1×4 row attends to its right neighbour (the last to its left one).
    const T = 4;
    const right = Array.from({ length: T }, (_, i) => Array.from({ length: T }, (_, j) => (j === (i === T - 1 ? i - 1 : i + 1) ? 1 : 0)));
    const { probs, shape } = stack(right, identity(T));
    const [a, b] = meanAttentionDistance(probs, shape, tokenGrid(1, 4, 8));
    expect(a!.patch).toBe(8);
    expect(b!.patch).toBe(0);
  });

  it('reports the class token apart and renormalises patch rows without it', () => {
    // 1 class token + 1×2 grid (cell 10 px). Patch rows: half on the class token, half on the other patch.
    const A = [
      [0, 0.5, 0.5], // class query: both patches equally (each 5 px from the image centre)
      [0.5, 0, 0.5], // patch 0 → patch 1 (10 px) and class token
      [0.5, 0.5, 0], // patch 1 → patch 0 and class token
    ];
    const { probs, shape } = stack(A);
    const [h] = meanAttentionDistance(probs, shape, tokenGrid(1, 2, 10, 1));
    expect(h!.patch).toBeCloseTo(10, 12); // renormalised over patches: all of it at 10 px
    expect(h!.clsKeyMass).toBeCloseTo(0.5, 12);
    expect(h!.clsQuery).toBeCloseTo(5, 12);
  });

  it('averages over images', () => {
    const T = 4;
    const probs = Float64Array.from([...identity(T).flat(), ...uniform(T).flat()]);
    const [h] = meanAttentionDistance(probs, [2, 1, T, T], tokenGrid(2, 2, 2));
    expect(h!.patch).toBeCloseTo((0 + (2 * 2 + 2 * Math.SQRT2) / 4) / 2, 12);
  });

  it('rejects a shape that does not match the grid', () => {
    expect(() => meanAttentionDistance(new Float64Array(16), [1, 1, 4, 4], tokenGrid(2, 2, 4, 1))).toThrow(/does not match/);
  });
});
