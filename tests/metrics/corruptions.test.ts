// Corruptions (scripts/lib/metrics/corruptions.ts): exact values on hand-made images, range and
// shape, and monotone damage with severity.
import { describe, expect, it } from 'vitest';
import { bandEnergyFraction } from '../../models/data/noise';
import {
  boxWeights, contrast, corrupt, CORRUPTIONS, gaussianBlur, gaussianKernel, gaussianNoise, pixelate, SEVERITY, warp,
} from '../../scripts/lib/metrics/corruptions';
import { rng } from '../../scripts/lib/train';

const N = 28;
/** A garment-like test image: a bright blob with a textured band on a black background. */
function testImage(seed: number): Float32Array {
  const r = rng(seed), cx = 10 + 8 * r(), cy = 10 + 8 * r(), rad = 6 + 4 * r();
  return Float32Array.from({ length: N * N }, (_, i) => {
    const x = i % N, y = Math.floor(i / N), d = Math.hypot(x - cx, y - cy);
    const body = d < rad ? 0.7 : d < rad + 1.5 ? 0.7 * (rad + 1.5 - d) / 1.5 : 0;
    return Math.min(1, body + (d < rad && (x + y) % 4 < 2 ? 0.25 : 0));
  });
}
const l2 = (a: Float32Array, b: Float32Array) => Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]!) ** 2, 0));
const mean = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0) / a.length;
const std = (a: ArrayLike<number>) => { const m = mean(a); return Math.sqrt(Array.from(a).reduce((s, v) => s + (v - m) ** 2, 0) / a.length); };

describe('building blocks', () => {
  it('Gaussian kernel sums to 1 and spans ±4σ', () => {
    const k = gaussianKernel(1);
    expect(k).toHaveLength(9);
    expect(k.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(k[4]!).toBeGreaterThan(k[3]!);
  });

  it('box weights: each output averages exactly its share of the input', () => {
    for (const [n, m] of [[28, 26], [28, 18], [26, 28], [4, 2]] as const) {
      for (const row of boxWeights(n, m)) expect(row.reduce((s, [, w]) => s + w, 0)).toBeCloseTo(1, 12);
    }
    expect(boxWeights(4, 2)).toEqual([[[0, 0.5], [1, 0.5]], [[2, 0.5], [3, 0.5]]]);
  });

  it('pixelate by ½ on 4×4 gives the 2×2 block means', () => {
    const img = Float32Array.from({ length: 16 }, (_, i) => i / 16);
    const out = pixelate(img, 4, 4, 1, 0.5);
    const block = (y: number, x: number) => (img[y * 8 + x * 2]! + img[y * 8 + x * 2 + 1]! + img[y * 8 + x * 2 + 4]! + img[y * 8 + x * 2 + 5]!) / 4;
    expect(out[0]).toBeCloseTo(block(0, 0), 6);
    expect(out[5]).toBeCloseTo(block(0, 0), 6);
    expect(out[15]).toBeCloseTo(block(1, 1), 6);
  });

  it('contrast scales the deviation from the mean by the factor (no clipping in [0.25, 0.75])', () => {
    const r = rng(1), img = Float32Array.from({ length: 64 }, () => 0.25 + 0.5 * r());
    const out = contrast(img, 8, 8, 1, 0.3);
    expect(mean(out)).toBeCloseTo(mean(img), 5);
    expect(std(out)).toBeCloseTo(0.3 * std(img), 5);
  });

  it('Gaussian noise on mid-grey has the requested σ', () => {
    const img = new Float32Array(20000).fill(0.5);
    const out = gaussianNoise(img, 0.08, rng(2));
    expect(mean(out)).toBeCloseTo(0.5, 2);
    expect(std(out)).toBeCloseTo(0.08, 2);
  });

  it('warping a horizontal ramp by a constant 0.5 px shifts it by exactly 0.5 px away from the borders', () => {
    const img = Float32Array.from({ length: N * N }, (_, i) => (i % N) / 40);
    const out = warp(img, N, N, 1, { dx: new Float64Array(N * N).fill(0.5), dy: new Float64Array(N * N) });
    for (let y = 0; y < N; y++) for (let x = 0; x < N - 1; x++) expect(out[y * N + x]).toBeCloseTo((x + 0.5) / 40, 6);
  });

  it('blur only removes high frequencies: more blur, less energy above 0.25 cycles/pixel', () => {
    const img = testImage(3);
    const hi = SEVERITY.gaussian_blur.map((s) => bandEnergyFraction(gaussianBlur(img, N, N, 1, s), N, N, 0.25, 1));
    const clean = bandEnergyFraction(img, N, N, 0.25, 1);
    expect(hi[0]!).toBeLessThan(clean);
    for (let i = 1; i < hi.length; i++) expect(hi[i]!).toBeLessThan(hi[i - 1]!);
  });
});

describe('the five corruptions', () => {
  it('keep the shape and the [0, 1] range at every severity', () => {
    const img = testImage(4);
    for (const kind of CORRUPTIONS) for (let s = 1; s <= 5; s++) {
      const out = corrupt(kind, img, N, N, 1, s, rng(s));
      expect(out).toHaveLength(img.length);
      for (const v of out) { expect(v).toBeGreaterThanOrEqual(0); expect(v).toBeLessThanOrEqual(1); }
    }
    expect(() => corrupt('contrast', img, N, N, 1, 6, rng(0))).toThrow(/severity/);
  });

  it('damage grows with severity: the mean L2 distance from the clean image rises strictly from 1 to 5', () => {
    const imgs = [0, 1, 2, 3, 4, 5].map(testImage);
    for (const kind of CORRUPTIONS) {
      const dist = [1, 2, 3, 4, 5].map((s) => mean(imgs.map((img, k) => l2(corrupt(kind, img, N, N, 1, s, rng(100 + k)), img))));
      for (let s = 1; s < 5; s++) expect(dist[s]!, `${kind} severity ${s + 1} vs ${s}`).toBeGreaterThan(dist[s - 1]!);
      expect(dist[0]!, `${kind} severity 1 changes the image`).toBeGreaterThan(0);
    }
  });
});
