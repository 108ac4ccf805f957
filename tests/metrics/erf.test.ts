import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { centreUnit, erfMap, erfRadii, massInside } from '../../scripts/lib/metrics/erf';

describe('effective receptive field: radii', () => {
  it('finds the centre unit and its footprint centre', () => {
    expect(centreUnit([7, 7], [28, 28])).toEqual({ unit: [3, 3], centrePx: [14, 14] });
    expect(centreUnit([14, 14], [28, 28])).toEqual({ unit: [7, 7], centrePx: [15, 15] });
    expect(centreUnit([28, 28], [28, 28])).toEqual({ unit: [14, 14], centrePx: [14.5, 14.5] });
  });

  it('a delta on the centre pixel has radius ½√2 from a pixel corner, 0 from its centre', () => {
    const m = new Float64Array(9); m[4] = 1;
    expect(erfRadii(m, 3, 3, [1.5, 1.5], [0.5, 0.9])).toEqual([0, 0]);
    const e = new Float64Array(16); e[5] = 1; // pixel (1,1), centre (1.5, 1.5); disc centred on the corner (2, 2)
    expect(erfRadii(e, 4, 4, [2, 2], [0.5])[0]).toBeCloseTo(Math.SQRT1_2, 12);
  });

  it('splits known mass between two rings', () => {
    // 5×5, centre pixel (2,2): mass 1 at the centre, mass 1 spread over the 4 pixels at distance 2.
    const m = new Float64Array(25); m[12] = 1; for (const k of [2, 10, 14, 22]) m[k] = 0.25;
    expect(erfRadii(m, 5, 5, [2.5, 2.5], [0.5, 0.51, 0.9, 1])).toEqual([0, 2, 2, 2]);
  });

  it('uniform mass: the 50% disc holds half the pixels', () => {
    const H = 28, m = new Float64Array(H * H).fill(1);
    const [r50] = erfRadii(m, H, H, [14, 14], [0.5]);
    let inside = 0;
    for (let y = 0; y < H; y++) for (let x = 0; x < H; x++) if (Math.hypot(y + 0.5 - 14, x + 0.5 - 14) <= r50!) inside++;
    expect(inside).toBeGreaterThanOrEqual(H * H / 2);
    expect(r50).toBeGreaterThan(Math.sqrt(H * H / 2 / Math.PI) - 1);
    expect(r50).toBeLessThan(Math.sqrt(H * H / 2 / Math.PI) + 1);
  });

  it('massInside counts a window', () => {
    const m = new Float64Array(16).fill(1);
    expect(massInside(m, 4, 4, [0, 2, 0, 2])).toBeCloseTo(0.25, 12);
  });
});

describe('effective receptive field: gradients', () => {
  beforeAll(async () => { await tf.setBackend('cpu'); });

  it('a 3×3 box filter has a 3×3 square ERF around the centre unit', () => {
    const k = tf.ones([3, 3, 1, 1]) as tf.Tensor4D;
    const x = tf.randomNormal([2, 9, 9, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
    const c = centreUnit([9, 9], [9, 9]);
    const map = erfMap((t) => tf.conv2d(t, k, 1, 'same'), x, c.unit);
    for (let y = 0; y < 9; y++) for (let z = 0; z < 9; z++) expect(map[y * 9 + z]).toBe(Math.abs(y - 4) <= 1 && Math.abs(z - 4) <= 1 ? 1 : 0);
    const [r50, r100] = erfRadii(map, 9, 9, c.centrePx, [0.5, 1]);
    expect(r50).toBeCloseTo(1, 12); // centre + 4 edge neighbours = 5/9 ≥ ½
    expect(r100).toBeCloseTo(Math.SQRT2, 12);
  });

  it('reads a token from a [B, T, C] output', () => {
    const x = tf.randomNormal([1, 2, 2, 1], 0, 1, 'float32', 2) as tf.Tensor4D;
    // Tokens: [class = mean of pixels, then the 4 pixels]; token 2 is pixel (0, 1).
    const f = (t: tf.Tensor4D) => tf.concat([tf.mean(t, [1, 2], true).reshape([1, 1, 1]), t.reshape([1, 4, 1])], 1);
    expect(Array.from(erfMap(f, x, [2, 0]))).toEqual([0, 1, 0, 0]);
    expect(Array.from(erfMap(f, x, [0, 0]))).toEqual([0.25, 0.25, 0.25, 0.25]);
  });
});
