// The lab's build-time pieces: the committed input sample, the model list read from the pool's
// manifest, and the input transforms (src/lib/lab/).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSample, drawSample } from '../../scripts/lab-sample';
import { labModels } from '../../src/lib/lab/models';
import { BANDS, DEFAULT_SETTINGS, LOW_PASS_OFF, PATCH, bandRange, patchPermutation, sampleCount, sampleCueImage, sampleImage, transform } from '../../src/lib/lab/transform';
import { bandEnergyFraction } from '../../models/data/noise';
import { CUE_THRESHOLD, maskOf } from '../../models/data/cue-conflict';
import type { PoolManifest, PoolModel } from '../../contracts/pool';
import { hasFashionMnist } from '../helpers/quick-run';

const bin = new Uint8Array(readFileSync('generated/lab/fmnist-sample.bin'));
const meta = JSON.parse(readFileSync('generated/lab/fmnist-sample.json', 'utf8')) as { sha256: string; count: number; perClass: number; indices: number[] };

describe('the input sample', () => {
  it('matches its recorded sha256 and holds 30 images of each class', () => {
    expect(createHash('sha256').update(bin).digest('hex')).toBe(meta.sha256);
    expect(sampleCount(bin)).toBe(meta.count);
    const counts = new Array(10).fill(0);
    for (let k = 0; k < meta.count; k++) counts[sampleImage(bin, k).label]++;
    expect(counts).toEqual(new Array(10).fill(meta.perClass));
    expect(new Set(meta.indices).size).toBe(meta.count);
  });
  it('draws the first images of each class in a seeded order, and says when a class is short', () => {
    const labels = Array.from({ length: 50 }, (_, i) => i % 10);
    expect(drawSample(labels, 5, 3)).toEqual(drawSample(labels, 5, 3));
    expect(drawSample(labels, 5, 3)).not.toEqual(drawSample(labels, 5, 4));
    expect(() => drawSample(labels, 6, 3)).toThrow(/only 50 images/);
  });
  it.runIf(hasFashionMnist('lab sample'))('is what scripts/lab-sample.ts draws from the test split', () => {
    const { bytes, meta: m } = buildSample();
    expect(m.sha256).toBe(meta.sha256);
    expect(Buffer.from(bytes).equals(Buffer.from(bin))).toBe(true);
  });
});

const poolModel = (id: string, arch: string, regime: 'full' | 'small', seed: number, testAccuracy = 0.9): PoolModel => ({
  id, arch, regime, seed, epochs: 1, steps: 1, trainImages: regime === 'full' ? 55000 : 2000, bestEpoch: 1, valAccuracy: 0.9, testAccuracy, plateauGain: null, params: 1,
  weights: `weights/${id}.weights.json`, bin: `weights/${id}.weights.bin`, sha256: 'a'.repeat(64), bytes: 4, curve: [],
  provenance: { git: { revision: 'x', dirty: false }, engine: { tfjs: '4.22.0', backend: 'wasm', kernels: 'k' }, cpu: 'c', wallSeconds: 1 },
});
const manifest = (models: PoolModel[]): PoolManifest => ({ id: 'pool', recipe: {}, plateauLimit: 0.005, floors: {}, models });
const columns = (pool: PoolManifest | undefined) => labModels(pool).models.map((m) => [m.key, m.id, m.optional]);

describe('the lab\'s models', () => {
  // The pool as committed when this was written: the ViT-mini in both regimes, the ResNet- and Hybrid-mini on small data only.
  const today = [
    poolModel('hybrid-small-s0', 'hybrid_mini_28', 'small', 0, 0.8485), poolModel('resnet-small-s0', 'resnet_mini_28', 'small', 0, 0.8585),
    poolModel('vit-full-s0', 'vit_mini_patch4_28', 'full', 0, 0.892), poolModel('vit-small-s0', 'vit_mini_patch4_28', 'small', 0, 0.8189),
  ];
  it('with an empty pool, every main column is pending (no weights) and there is no optional column', () => {
    expect(labModels(manifest([])).models.map((m) => [m.key, m.weights, m.regime])).toEqual([
      ['resnet_mini_28', null, null], ['vit_mini_patch4_28', null, null], ['hybrid_mini_28', null, null],
    ]);
  });
  it('every architecture answers from the pool: the full-regime model when there is one, else the small-regime one; the small-data ViT as an optional fourth', () => {
    const got = labModels(manifest(today)).models;
    expect(got.map((m) => [m.key, m.id, m.optional])).toEqual([
      ['resnet_mini_28', 'resnet-small-s0', false], ['vit_mini_patch4_28', 'vit-full-s0', false], ['hybrid_mini_28', 'hybrid-small-s0', false],
      ['vit_mini_patch4_28.small', 'vit-small-s0', true],
    ]);
    // The regime, the training images and the test accuracy come from the manifest, for the page to word.
    expect(got.map((m) => [m.regime, m.trainImages, m.testAccuracy])).toEqual([['small', 2000, 0.8585], ['full', 55000, 0.892], ['small', 2000, 0.8485], ['small', 2000, 0.8189]]);
    expect(got[3]!.weights).toBe('/pool/weights/vit-small-s0.weights.json');
  });
  it('moves to the full-regime units when they land (lowest seed first), with no code change', () => {
    const later = manifest([...today, poolModel('resnet-full-s1', 'resnet_mini_28', 'full', 1), poolModel('hybrid-full-s0', 'hybrid_mini_28', 'full', 0), poolModel('resnet-full-s0', 'resnet_mini_28', 'full', 0)]);
    expect(columns(later)).toEqual([
      ['resnet_mini_28', 'resnet-full-s0', false], ['vit_mini_patch4_28', 'vit-full-s0', false], ['hybrid_mini_28', 'hybrid-full-s0', false],
      ['vit_mini_patch4_28.small', 'vit-small-s0', true],
    ]);
  });
  it('offers the optional column only beside a full-regime ViT: never the same weights twice, never without weights', () => {
    expect(columns(manifest([poolModel('vit-small-s0', 'vit_mini_patch4_28', 'small', 0)]))).toEqual([
      ['resnet_mini_28', null, false], ['vit_mini_patch4_28', 'vit-small-s0', false], ['hybrid_mini_28', null, false],
    ]);
    expect(columns(manifest([poolModel('vit-full-s0', 'vit_mini_patch4_28', 'full', 0)]))).toEqual([
      ['resnet_mini_28', null, false], ['vit_mini_patch4_28', 'vit-full-s0', false], ['hybrid_mini_28', null, false],
    ]);
  });
});

describe('the input transforms', () => {
  const { image } = sampleImage(bin, 0);
  const mean = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0) / a.length;
  it('leave the image alone at their defaults', () => {
    expect(Array.from(transform(image, DEFAULT_SETTINGS))).toEqual(Array.from(image));
  });
  it('a low-pass blurs, a high-pass leaves only edges, and an empty band leaves nothing', () => {
    const low = transform(image, { ...DEFAULT_SETTINGS, lowPass: 0.1 });
    const rough = (a: ArrayLike<number>) => { let s = 0; for (let i = 1; i < a.length; i++) s += Math.abs(a[i]! - a[i - 1]!); return s; };
    expect(rough(low)).toBeLessThan(0.5 * rough(image));
    const high = transform(image, { ...DEFAULT_SETTINGS, highPass: 0.2 });
    expect(mean(high)).toBeLessThan(0.5 * mean(image));
    expect(Math.max(...transform(image, { ...DEFAULT_SETTINGS, lowPass: 0.2, highPass: 0.3 }))).toBe(0);
  });
  it('adds Gaussian noise of standard deviation σ, the same each time, clipped to [0, 1]', () => {
    const grey = new Float32Array(28 * 28).fill(0.5);
    const a = transform(grey, { ...DEFAULT_SETTINGS, noise: 0.1 }), b = transform(grey, { ...DEFAULT_SETTINGS, noise: 0.1 });
    expect(Array.from(a)).toEqual(Array.from(b));
    const rms = Math.sqrt(mean(Array.from(a, (v) => (v - 0.5) ** 2)));
    expect(rms).toBeGreaterThan(0.09);
    expect(rms).toBeLessThan(0.101);
    const loud = transform(image, { ...DEFAULT_SETTINGS, noise: 0.5 });
    expect(Math.min(...loud)).toBe(0);
    expect(Math.max(...loud)).toBe(1);
  });
  it('keeps every frequency with the low-pass at its off position', () => {
    expect(LOW_PASS_OFF).toBeGreaterThan(Math.SQRT1_2);
  });
});

describe('the lab\'s further transforms', () => {
  const { image } = sampleImage(bin, 0);
  const mean = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0) / a.length;
  const diff = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]!)));
  it('occlusion paints a mid-grey square of the given side around the given centre', () => {
    const x = transform(image, { ...DEFAULT_SETTINGS, occlusion: 6, occlusionX: 10, occlusionY: 20 });
    for (let y = 0; y < 28; y++) for (let c = 0; c < 28; c++) {
      const inside = y >= 17 && y < 23 && c >= 7 && c < 13;
      if (inside) expect(x[y * 28 + c]).toBe(0.5); else expect(x[y * 28 + c]).toBe(image[y * 28 + c]);
    }
  });
  it('patch shuffling moves whole 4-px patches: the fraction asked for leave their place, the rest stay', () => {
    const perm = patchPermutation(0.5);
    const moved = Array.from(perm).filter((p, i) => p !== i).length;
    expect(moved).toBe(Math.round(0.5 * 49));
    expect([...perm].sort((a, b) => a - b)).toEqual(Array.from({ length: 49 }, (_, i) => i));
    const x = transform(image, { ...DEFAULT_SETTINGS, shuffle: 0.5 });
    const g = 28 / PATCH;
    for (let p = 0; p < 49; p++) for (let dy = 0; dy < PATCH; dy++) for (let dx = 0; dx < PATCH; dx++) {
      const to = (Math.floor(p / g) * PATCH + dy) * 28 + (p % g) * PATCH + dx, from = (Math.floor(perm[p]! / g) * PATCH + dy) * 28 + (perm[p]! % g) * PATCH + dx;
      expect(x[to]).toBe(image[from]);
    }
    expect(Array.from(transform(image, { ...DEFAULT_SETTINGS, shuffle: 0.5 }))).toEqual(Array.from(x));
  });
  it('blur keeps the mean and smooths', () => {
    const b = transform(image, { ...DEFAULT_SETTINGS, blur: 1.5 });
    const rough = (a: ArrayLike<number>) => { let s = 0; for (let i = 1; i < a.length; i++) s += Math.abs(a[i]! - a[i - 1]!); return s; };
    expect(rough(b)).toBeLessThan(0.6 * rough(image));
    expect(mean(b)).toBeCloseTo(mean(image), 1);
  });
  it('band-limited noise: the same L2 norm in every band (matched energy), its energy in its band, not clipped', () => {
    const grey = new Float32Array(28 * 28).fill(0.5);
    for (const band of [0, 4, BANDS - 1]) {
      const z = transform(grey, { ...DEFAULT_SETTINGS, band, bandNorm: 3 }).map((v) => v - 0.5);
      expect(Math.hypot(...z)).toBeCloseTo(3, 4);
      expect(bandEnergyFraction(z, 28, 28, ...bandRange(band))).toBeGreaterThan(0.999);
    }
    expect(Math.min(...transform(image, { ...DEFAULT_SETTINGS, band: 9, bandNorm: 9 }))).toBeLessThan(0);
  });
  it('every transform changes the image', () => {
    for (const s of [{ blur: 1 }, { occlusion: 8 }, { shuffle: 0.3 }, { bandNorm: 3 }, { noise: 0.1 }, { lowPass: 0.2 }, { highPass: 0.1 }]) {
      expect(diff(transform(image, { ...DEFAULT_SETTINGS, ...s }), image), JSON.stringify(s)).toBeGreaterThan(0.01);
    }
  });
});

describe('cue-conflict input from the sample', () => {
  it('the silhouette of an item of the shape class filled with the texture of an item of the texture class', () => {
    const { image, shapeSource, textureSource } = sampleCueImage(bin, 7, 8, 0);
    expect(sampleImage(bin, shapeSource).label).toBe(7);
    expect(sampleImage(bin, textureSource).label).toBe(8);
    const shape = sampleImage(bin, shapeSource).image;
    const mask = maskOf(shape, 0, 28, 28, CUE_THRESHOLD);
    expect(Array.from(image, (v) => (v > 0 ? 1 : 0)).filter((v, i) => v === 1 && !mask[i])).toEqual([]);
    // Texture values come from the texture item, not from the shape item.
    const tex = new Set(Array.from(sampleImage(bin, textureSource).image, (v) => v.toFixed(4)));
    expect(Array.from(image).filter((v) => v > 0).every((v) => tex.has(v.toFixed(4)))).toBe(true);
  });
  it('the seed draws other items; the same seed the same image', () => {
    expect(Array.from(sampleCueImage(bin, 7, 8, 0).image)).toEqual(Array.from(sampleCueImage(bin, 7, 8, 0).image));
    expect(Array.from(sampleCueImage(bin, 7, 8, 1).image)).not.toEqual(Array.from(sampleCueImage(bin, 7, 8, 0).image));
  });
});
