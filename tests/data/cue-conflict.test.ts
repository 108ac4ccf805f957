import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cueConflict, cueConsistentData, drawPeriod, periodOffGrid, SHAPES, TEXTURES, WIDE_PERIOD_RANGE } from '../../scripts/lib/data/cue-conflict';
import { rng } from '../../scripts/lib/train/batches';

describe('synthetic cue-conflict data', () => {
  it('has 8 shapes × 8 textures, balanced labels and values in [0, 1]', () => {
    expect(SHAPES.length).toBe(8);
    expect(TEXTURES.length).toBe(8);
    const d = cueConflict({ kind: 'consistent', n: 64, seed: 0 });
    expect(d.shape).toEqual([32, 32, 1]);
    expect(d.images.length).toBe(64 * 32 * 32);
    for (let k = 0; k < 8; k++) expect(Array.from(d.labels).filter((l) => l === k).length).toBe(8);
    expect(Array.from(d.labels)).toEqual(Array.from(d.shapeLabels));
    expect(Array.from(d.labels)).toEqual(Array.from(d.textureLabels));
    expect(Math.min(...d.images)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...d.images)).toBeLessThanOrEqual(1);
  });
  it('conflicts cover all 56 ordered pairs s ≠ t, labelled by shape', () => {
    const d = cueConflict({ kind: 'conflict', n: 56, seed: 1 });
    const pairs = new Set(Array.from(d.shapeLabels, (s, i) => `${s},${d.textureLabels[i]}`));
    expect(pairs.size).toBe(56);
    d.shapeLabels.forEach((s, i) => { expect(s).not.toBe(d.textureLabels[i]); expect(d.labels[i]).toBe(s); });
  });
  it('probes carry one cue: silhouettes have no texture, texture patches no shape', () => {
    const s = cueConflict({ kind: 'shape', n: 16, seed: 2 });
    expect(Array.from(s.textureLabels).every((t) => t === -1)).toBe(true);
    // A silhouette holds at most three grey levels (background, fill, anti-aliased edge mix).
    const img0 = s.images.subarray(0, 32 * 32);
    const interior = new Set(Array.from(img0).map((v) => v.toFixed(3)));
    expect(interior.size).toBeLessThan(10);
    const t = cueConflict({ kind: 'texture', n: 16, seed: 3 });
    expect(Array.from(t.shapeLabels).every((x) => x === -1)).toBe(true);
    expect(Array.from(t.labels)).toEqual(Array.from(t.textureLabels));
  });
  it('is seeded, and colour gives 3 channels', () => {
    const a = cueConflict({ kind: 'conflict', n: 8, seed: 5, colour: true });
    const b = cueConflict({ kind: 'conflict', n: 8, seed: 5, colour: true });
    const c = cueConflict({ kind: 'conflict', n: 8, seed: 6, colour: true });
    expect(a.shape).toEqual([32, 32, 3]);
    expect(a.images).toEqual(b.images);
    expect(a.images).not.toEqual(c.images);
  });
  it('shapes and textures are distinguishable: images of one class differ from other classes more than within', () => {
    // Mean silhouette per shape: nearest-mean classification of fresh silhouettes beats chance by far.
    const train = cueConflict({ kind: 'shape', n: 160, seed: 10 }), test = cueConflict({ kind: 'shape', n: 80, seed: 11 });
    const D = 32 * 32, means = Array.from({ length: 8 }, () => new Float64Array(D)), fg = (v: number) => Math.abs(v - 0.5);
    for (let i = 0; i < train.n; i++) for (let j = 0; j < D; j++) means[train.labels[i]!]![j]! += fg(train.images[i * D + j]!) / 20;
    let hit = 0;
    for (let i = 0; i < test.n; i++) {
      let best = -1, bd = Infinity;
      means.forEach((m, k) => { let d = 0; for (let j = 0; j < D; j++) d += (fg(test.images[i * D + j]!) - m[j]!) ** 2; if (d < bd) { bd = d; best = k; } });
      if (best === test.labels[i]) hit++;
    }
    expect(hit / test.n).toBeGreaterThan(0.5); // chance is 0.125
  });
  it('consistent train/test splits use distinct seeds', () => {
    const d = cueConsistentData({ trainN: 16, testN: 16, seed: 0 });
    expect(d.train.images).not.toEqual(d.test.images);
  });
});

describe('cue conflict: texture period off the patch grid', () => {
  it('leaves the default images unchanged (hashes taken before periodRange existed)', () => {
    const h = (kind: 'consistent' | 'conflict') => createHash('sha256').update(Buffer.from(cueConflict({ kind, n: 64, seed: 3 }).images.buffer)).digest('hex');
    expect(h('consistent')).toBe('c328736dbfe3c71dc8ed11b3412c94e50dc85334a56a4ebd4a95d7d158dfa885');
    expect(h('conflict')).toBe('70cf860fa1233d6301d03f6d4c8b2e06bce7a63114a4d5207852100605f654ab');
  });

  it('periodOffGrid: multiples of 2 px (and their ±0.25 px neighbourhoods) line up, others do not', () => {
    for (const p of [2, 4, 6, 8, 12, 4.2, 7.8]) expect(periodOffGrid(p)).toBe(false);
    for (const p of [3, 5, 4.3, 9.5, 13]) expect(periodOffGrid(p)).toBe(true);
  });

  it('drawPeriod spreads over the wide range, log-uniformly, and never on the grid', () => {
    const rand = rng(11);
    const ps = Array.from({ length: 4000 }, () => drawPeriod(rand, WIDE_PERIOD_RANGE));
    expect(ps.every((p) => p >= WIDE_PERIOD_RANGE[0] && p <= WIDE_PERIOD_RANGE[1] && periodOffGrid(p))).toBe(true);
    expect(Math.min(...ps)).toBeLessThan(2.8);
    expect(Math.max(...ps)).toBeGreaterThan(13);
    // log-uniform: about as many periods below the geometric middle (≈5.9 px) as above it
    const mid = Math.sqrt(WIDE_PERIOD_RANGE[0] * WIDE_PERIOD_RANGE[1]);
    const below = ps.filter((p) => p < mid).length / ps.length;
    expect(below).toBeGreaterThan(0.42);
    expect(below).toBeLessThan(0.58);
    expect(() => drawPeriod(rand, [3.9, 4.1])).toThrow(/no off-grid period/);
  });

  it('periodRange changes the images and stays deterministic by seed', () => {
    const a = cueConflict({ kind: 'conflict', n: 16, seed: 3, periodRange: WIDE_PERIOD_RANGE });
    const b = cueConflict({ kind: 'conflict', n: 16, seed: 3, periodRange: WIDE_PERIOD_RANGE });
    const d = cueConflict({ kind: 'conflict', n: 16, seed: 3 });
    expect(Array.from(a.images)).toEqual(Array.from(b.images));
    expect(Array.from(a.images)).not.toEqual(Array.from(d.images));
    expect(Array.from(a.shapeLabels)).toEqual(Array.from(d.shapeLabels));
  });
});
