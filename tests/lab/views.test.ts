// The lab's heat maps (src/lib/lab/views.ts) on hand-made attention with known answers.
import { describe, expect, it } from 'vitest';
import { clsAttention, patchShares, rollout, saliencyMap, topCells } from '../../src/lib/lab/views';

// N = 3 tokens: the class token, then patches 1 and 2.
const tap = (rows: number[][][]) => ({ data: rows.flat(2), shape: [1, rows.length, 3, 3] });
const eye = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];

describe('the lab\'s views', () => {
  it('class-token attention: the chosen head without the class token, renormalised; 0 is the heads\' mean', () => {
    const t = tap([[[0.5, 0.4, 0.1], ...eye.slice(1)], [[0.2, 0.2, 0.6], ...eye.slice(1)]]);
    expect(Array.from(clsAttention(t, 1))).toEqual([0.4 / 0.5, 0.1 / 0.5].map((v) => expect.closeTo(v, 12)));
    expect(Array.from(clsAttention(t, 2))).toEqual([0.25, 0.75].map((v) => expect.closeTo(v, 12)));
    expect(Array.from(clsAttention(t, 0))).toEqual([0.3 / 0.65, 0.35 / 0.65].map((v) => expect.closeTo(v, 12)));
  });
  it('rollout: heads averaged, the residual added, layers multiplied', () => {
    // Layer 1: the class token looks at patch 1 only; layer 2: at patch 2 only.
    const l1 = tap([[[0, 1, 0], ...eye.slice(1)]]), l2 = tap([[[0, 0, 1], ...eye.slice(1)]]);
    expect(Array.from(rollout([l1, l2], 1))).toEqual([1, 0]);
    // (½·[0,0,1] + ½·I) · (½·[0,1,0] + ½·I), class row = [¼, ¼, ½] → patches [⅓, ⅔].
    expect(Array.from(rollout([l1, l2]))).toEqual([1 / 3, 2 / 3].map((v) => expect.closeTo(v, 12)));
  });
  it('saliency: |gradient| scaled to a maximum of 1; patch shares sum to 1; the top cells largest first', () => {
    const g = new Float32Array(784);
    g[0] = -2; g[5] = 1; g[783] = 0.5;
    const m = saliencyMap(g);
    expect([m[0], m[5], m[783]]).toEqual([1, 0.5, 0.25]);
    const shares = patchShares(m);
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    // Pixel 5 lies in patch 1 (columns 4–7), pixel 783 in patch 48.
    expect([shares[0], shares[1], shares[48]]).toEqual([1 / 1.75, 0.5 / 1.75, 0.25 / 1.75].map((v) => expect.closeTo(v, 12)));
    expect(topCells(shares, 2).map(([i]) => i)).toEqual([0, 1]);
  });
});
