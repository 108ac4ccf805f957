// Frequency probes (scripts/lib/metrics/frequency.ts) against spectra known by construction.
import { describe, expect, it } from 'vitest';
import { addNoise, bandEnergyFraction, bandNoise, binFreq, powerSpectrum } from '../../models/data/noise';
import { bandNoiseBatch, binsInBand, cellRadius, heatMapCells, perturbationNorms, radialBands, radialProfile, relativeLogAmplitude, toPi, tokensToMap, yinBasis } from '../../scripts/lib/metrics/frequency';

const norm = (a: ArrayLike<number>) => Math.sqrt(Array.from(a).reduce((s, v) => s + v * v, 0));

describe('radial bands', () => {
  it('10 contiguous equal rings from 0 to π', () => {
    const b = radialBands(10);
    expect(b).toHaveLength(10);
    expect(b[0]!.low).toBe(0);
    expect(toPi(b[9]!.high)).toBeCloseTo(1, 12);
    for (let i = 1; i < 10; i++) expect(b[i]!.low).toBeCloseTo(b[i - 1]!.high, 12);
    expect(toPi(b[3]!.centre)).toBeCloseTo(0.35, 12);
  });

  it('every band holds DFT bins at 28×28, and together they hold every bin inside the Nyquist circle', () => {
    const bands = radialBands(10);
    const counts = bands.map((b) => binsInBand(28, 28, b.low, b.high));
    expect(Math.min(...counts)).toBeGreaterThan(0);
    let inside = 0;
    for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) if (Math.hypot(binFreq(x, 28), binFreq(y, 28)) < 0.5) inside++;
    expect(counts.reduce((a, b) => a + b, 0)).toBe(inside);
  });
});

describe('band-limited noise', () => {
  it('each image has the requested L2 norm and all its energy inside its band', () => {
    for (const band of radialBands(10)) {
      const z = bandNoiseBatch(28, 28, band, 2.5, 3, 7);
      for (let i = 0; i < 3; i++) {
        const img = z.subarray(i * 784, (i + 1) * 784);
        expect(norm(img)).toBeCloseTo(2.5, 4);
        expect(bandEnergyFraction(img, 28, 28, band.low, band.high)).toBeGreaterThan(0.999999);
      }
    }
  });

  it('is seeded: same seed, same noise; another seed or index, other noise', () => {
    const band = radialBands(10)[4]!;
    const a = bandNoiseBatch(28, 28, band, 1, 2, 3), b = bandNoiseBatch(28, 28, band, 1, 2, 3), c = bandNoiseBatch(28, 28, band, 1, 2, 4);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    expect(Array.from(a.subarray(0, 784))).not.toEqual(Array.from(a.subarray(784)));
  });
});

describe('Fourier heat map cells and basis (Yin et al. 2019)', () => {
  it('a step-2 grid at 28×28 has 196 cells, 100 up to conjugate symmetry', () => {
    const all = heatMapCells(28, 28, 2, false), uniq = heatMapCells(28, 28, 2, true);
    expect(all).toHaveLength(196);
    expect(uniq).toHaveLength(100); // (196 − 4 self-conjugate) / 2 + 4
    const w = (k: number) => ((k % 28) + 28) % 28;
    const covered = new Set(uniq.flatMap((c) => [`${w(c.u)},${w(c.v)}`, `${w(-c.u)},${w(-c.v)}`]));
    for (const c of all) expect(covered.has(`${w(c.u)},${w(c.v)}`)).toBe(true);
    expect(cellRadius({ u: 7, v: 0 }, 28, 28)).toBeCloseTo(0.25, 12);
  });

  it('the basis image has the given norm and all its power on (u, v) and (−u, −v)', () => {
    for (const [u, v] of [[3, -5], [0, 1], [-14, 0], [6, 6]] as const) {
      const img = yinBasis(28, 28, u, v, 3);
      expect(norm(img)).toBeCloseTo(3, 4);
      const p = powerSpectrum(img, 28, 28);
      const total = p.reduce((a, b) => a + b, 0);
      const at = (uu: number, vv: number) => p[(((vv % 28) + 28) % 28) * 28 + (((uu % 28) + 28) % 28)]!;
      const on = at(u, v) + ((u === -14 && v === 0) ? 0 : at(-u, -v));
      expect(on / total).toBeGreaterThan(0.999999);
    }
  });
});

describe('relative log amplitude (Park & Kim 2022, Fig. 2a)', () => {
  it('an impulse has a flat spectrum: Δ log amplitude is 0 at every frequency', () => {
    const n = 8, f = new Float32Array(2 * n * n * 3);
    for (let b = 0; b < 2; b++) for (let c = 0; c < 3; c++) f[(b * n * n) * 3 + c] = c + 1; // δ at (0,0), any scale
    const r = relativeLogAmplitude(f, [2, n, n, 3]);
    expect(r).toHaveLength(4);
    for (const v of r) expect(Math.abs(v)).toBeLessThan(1e-5);
  });

  it('a + b·cos(2π k0 (x + y)/n) gives log(b / 2a) at the diagonal bin k0', () => {
    const n = 12, k0 = 3, a = 2, b = 0.5, f = new Float32Array(n * n);
    for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) f[y * n + x] = a + b * Math.cos((2 * Math.PI * k0 * (x + y)) / n);
    const r = relativeLogAmplitude(f, [1, n, n, 1]);
    expect(r).toHaveLength(6);
    expect(r[0]).toBe(0);
    expect(r[k0]).toBeCloseTo(Math.log(b / (2 * a)), 4);
    expect(r[1]!).toBeLessThan(-15); // nothing there but the 1e-6 floor
  });

  it('odd sides (7×7 token grids) keep ⌈n/2⌉ = 4 points; token maps drop the class token', () => {
    expect(relativeLogAmplitude(new Float32Array(49).fill(1), [1, 7, 7, 1])).toHaveLength(4);
    const tokens = Float32Array.from({ length: 2 * 50 * 2 }, (_, i) => i);
    const m = tokensToMap(tokens, [2, 50, 2], 1);
    expect(m.shape).toEqual([2, 7, 7, 2]);
    expect(m.data[0]).toBe(2); // first patch token of image 0
    expect(m.data[98]).toBe(102); // first patch token of image 1
    expect(() => tokensToMap(tokens, [2, 50, 2], 0)).toThrow(/square/);
  });
});

describe('matched energy per band', () => {
  it('with 3 channels too, every band delivers exactly the same L2 energy per image', () => {
    for (const band of radialBands(10)) {
      const z = bandNoise({ h: 28, w: 28, channels: 3, low: band.low, high: band.high, norm: 3, seed: 11 });
      expect(norm(z)).toBeCloseTo(3, 4);
    }
  });

  it('unclipped, the perturbation a model sees is the noise itself; clipped to [0, 1] on a half-dark image, every band loses about the same share', () => {
    const n = 40, sz = 784, img = new Float32Array(n * sz);
    for (let i = 0; i < n; i++) for (let j = 0; j < sz; j++) img[i * sz + j] = (j % 28) < 14 ? 0 : 0.6; // background | object
    const bands = radialBands(10);
    const realised = bands.map((b) => {
      const z = bandNoiseBatch(28, 28, b, 3, n, 5);
      expect(perturbationNorms(img, img.map((v, k) => v + z[k]!), n).every((x) => Math.abs(x - 3) < 1e-4)).toBe(true);
      const clipped = addNoise(img, (i) => z.subarray(i * sz, (i + 1) * sz), n);
      const e = perturbationNorms(img, clipped, n);
      return e.reduce((s, x) => s + x * x, 0) / n; // mean energy
    });
    // Each pixel's noise is N(0, 9/784) whatever the band, so clipping removes the same share in expectation
    // (about half on the dark half: only positive noise survives there).
    const lo = Math.min(...realised), hi = Math.max(...realised);
    expect(hi / lo).toBeLessThan(1.15);
    expect(hi).toBeLessThan(9 * 0.85);
  });
});

describe('radial profile of a heat map', () => {
  it('averages cells per radius bin, the last bin closed', () => {
    const cells = [{ radius: 0, value: 1 }, { radius: 0.1, value: 3 }, { radius: 0.3, value: 10 }, { radius: Math.SQRT1_2, value: 20 }];
    expect(radialProfile(cells, [0, 0.25, 0.5, Math.SQRT1_2])).toEqual([2, 10, 20]);
    expect(radialProfile(cells, [0, 0.05, 0.25])[0]).toBe(1);
    expect(radialProfile([], [0, 1])[0]).toBeNaN();
  });

  it('perturbationNorms checks its shapes', () => {
    expect(perturbationNorms([0, 0, 0, 0], [3, 4, 0, 1], 2)).toEqual([5, 1]);
    expect(() => perturbationNorms([0, 0], [0], 1)).toThrow();
  });
});
