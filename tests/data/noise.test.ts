import { describe, expect, it } from 'vitest';
import { addNoise, bandEnergyFraction, bandFilter, bandNoise, binFreq, fft2, fourierBasis, powerSpectrum } from '../../models/data/noise';

const norm = (x: Float32Array) => Math.sqrt(x.reduce((s, v) => s + v * v, 0));

describe('DFT helper', () => {
  it('round-trips and matches a known spectrum', () => {
    const h = 6, w = 10, re = new Float64Array(h * w), im = new Float64Array(h * w);
    for (let i = 0; i < re.length; i++) re[i] = Math.sin(i * 1.3) + (i % 3);
    const orig = Float64Array.from(re);
    fft2(re, im, h, w); fft2(re, im, h, w, true);
    re.forEach((v, i) => expect(v).toBeCloseTo(orig[i]!, 9));
    im.forEach((v) => expect(Math.abs(v)).toBeLessThan(1e-9));
    // A constant image has all energy at DC: |X(0,0)|² = (h·w·c)².
    const p = powerSpectrum(new Float32Array(h * w).fill(2), h, w);
    expect(p[0]).toBeCloseTo((2 * h * w) ** 2, 6);
    expect(p.slice(1).reduce((a, b) => a + b, 0)).toBeLessThan(1e-12);
  });
  it('bins map to signed frequencies', () => {
    expect([0, 1, 13, 14, 15, 27].map((k) => binFreq(k, 28))).toEqual([0, 1 / 28, 13 / 28, -14 / 28, -13 / 28, -1 / 28]);
  });
});

describe('band-limited noise', () => {
  for (const [low, high] of [[0, 0.1], [0.1, 0.25], [0.25, 0.5], [0.4, 0.71]] as const) {
    it(`keeps ≥99% of its energy in [${low}, ${high}) at 28×28 and 32×32, with the asked L2 norm`, () => {
      for (const side of [28, 32]) {
        const z = bandNoise({ h: side, w: side, low, high, norm: 3, seed: 7 });
        expect(norm(z)).toBeCloseTo(3, 4);
        expect(bandEnergyFraction(z, side, side, low, high)).toBeGreaterThanOrEqual(0.99);
        // …and the complementary band holds (almost) nothing.
        expect(bandEnergyFraction(z, side, side, high, 1)).toBeLessThan(0.01);
      }
    });
  }
  it('is seeded and channel-independent', () => {
    const a = bandNoise({ h: 16, w: 16, channels: 3, low: 0.1, high: 0.3, norm: 1, seed: 1 });
    const b = bandNoise({ h: 16, w: 16, channels: 3, low: 0.1, high: 0.3, norm: 1, seed: 1 });
    const c = bandNoise({ h: 16, w: 16, channels: 3, low: 0.1, high: 0.3, norm: 1, seed: 2 });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a[0]).not.toBe(a[1]); // channels interleaved HWC, independent
  });
  it('rejects an empty band', () => {
    expect(() => bandNoise({ h: 8, w: 8, low: 0.01, high: 0.02, norm: 1, seed: 0 })).toThrow(/holds no DFT bin/);
  });
});

describe('Fourier basis noise', () => {
  it('puts all its energy on ±(u, v)', () => {
    const h = 32, w = 32, u = 3, v = -5;
    const z = fourierBasis({ h, w, u, v, norm: 2 });
    expect(norm(z)).toBeCloseTo(2, 5);
    const p = powerSpectrum(z, h, w);
    const at = (fx: number, fy: number) => p[((fy + h) % h) * w + ((fx + w) % w)]!;
    const total = p.reduce((a, b) => a + b, 0);
    expect((at(u, v) + at(-u, -v)) / total).toBeGreaterThan(0.999999);
  });
  it('addNoise clips to the valid range', () => {
    const imgs = new Float32Array([0.1, 0.9, 0.5, 0.5]);
    const out = addNoise(imgs, () => new Float32Array([0.5, 0.5]), 2);
    expect(Array.from(out)).toEqual([0.6000000238418579, 1, 1, 1]);
  });
});

describe('bandFilter', () => {
  const h = 12, w = 10, img = Float32Array.from({ length: h * w }, (_, i) => ((i * 37) % 17) / 17);
  const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);
  it('keeps the image when the band holds every bin, and the two halves of a split add up to it', () => {
    const all = bandFilter(img, h, w, 0, Infinity);
    const low = bandFilter(img, h, w, 0, 0.2), high = bandFilter(img, h, w, 0.2, Infinity);
    for (let i = 0; i < img.length; i++) {
      expect(all[i]).toBeCloseTo(img[i]!, 6);
      expect(low[i]! + high[i]!).toBeCloseTo(img[i]!, 6);
    }
  });
  it('a low-pass keeps the mean, a high-pass removes it and has no energy below its cut-off', () => {
    expect(sum(bandFilter(img, h, w, 0, 0.1))).toBeCloseTo(sum(img), 4);
    const high = bandFilter(img, h, w, 0.25, Infinity);
    expect(sum(high)).toBeCloseTo(0, 4);
    expect(bandEnergyFraction(high, h, w, 0, 0.25)).toBeLessThan(1e-10);
  });
  it('rejects an empty band', () => {
    expect(() => bandFilter(img, h, w, 0.3, 0.3)).toThrow(/low < high/);
  });
});
