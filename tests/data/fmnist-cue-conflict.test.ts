// Fashion-MNIST cue conflict on a hand-made split whose classes have known masks and textures.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fmnistCueConflict, itemMask, texturePatchOrigin, type FmnistCueOptions } from '../../scripts/lib/data/fmnist-cue-conflict';
import { fashionMnist } from '../../scripts/lib/data/fashion-mnist';
import type { Split } from '../../scripts/lib/train/batches';
import { hasFashionMnist } from '../helpers/quick-run';

const S = 12;
// Class 0: an 8×8 square (rows/cols 2..9) of flat 0.3. Class 1: the whole frame, a 1-px checker of 0.6/0.9.
// Class 2: a vertical bar (cols 4..7) of horizontal stripes 0.2/0.4. Two items per class.
function pixel(c: number, y: number, x: number): number {
  if (c === 0) return y >= 2 && y <= 9 && x >= 2 && x <= 9 ? 0.3 : 0;
  if (c === 1) return (x + y) % 2 ? 0.9 : 0.6;
  return x >= 4 && x <= 7 ? (y % 2 ? 0.4 : 0.2) : 0;
}
function toySplit(): Split {
  const n = 6, images = new Float32Array(n * S * S), labels = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    labels[k] = k % 3;
    for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) images[k * S * S + y * S + x] = pixel(k % 3, y, x);
  }
  return { images, labels, n, shape: [S, S, 1], numClasses: 3 };
}
const img = (sp: { images: Float32Array }, i: number) => Array.from(sp.images.subarray(i * S * S, (i + 1) * S * S));

describe('fmnistCueConflict', () => {
  const src = toySplit();

  it('cycles all ordered pairs (shape, texture) with shape ≠ texture, and labels by shape', () => {
    const d = fmnistCueConflict(src, { kind: 'conflict', n: 6, seed: 0, patch: 4 });
    const pairs = Array.from({ length: 6 }, (_, i) => `${d.shapeLabels[i]}${d.textureLabels[i]}`);
    expect(pairs).toEqual(['01', '02', '10', '12', '20', '21']);
    expect(Array.from(d.labels)).toEqual(Array.from(d.shapeLabels));
    for (let i = 0; i < 6; i++) {
      expect(src.labels[d.shapeSource[i]!]).toBe(d.shapeLabels[i]);
      expect(src.labels[d.textureSource[i]!]).toBe(d.textureLabels[i]);
    }
  });

  it('takes the mask from the shape class: square shape, checker texture → non-zero exactly on the square', () => {
    const d = fmnistCueConflict(src, { kind: 'conflict', n: 1, seed: 3, patch: 4 }); // pair (0, 1)
    const out = img(d, 0), mask = itemMask(src, 0, 0.05);
    expect(out.map((v) => (v > 0 ? 1 : 0))).toEqual(Array.from(mask));
  });

  it('takes the texture statistics from the texture class: the square holds the checker values, mean 0.75', () => {
    const d = fmnistCueConflict(src, { kind: 'conflict', n: 1, seed: 5, patch: 4 });
    const inside = img(d, 0).filter((v) => v > 0);
    expect(inside).toHaveLength(64);
    expect(new Set(inside.map((v) => v.toFixed(3)))).toEqual(new Set(['0.600', '0.900']));
    expect(inside.reduce((a, b) => a + b, 0) / 64).toBeCloseTo(0.75, 6);
    // and none of the shape item's own 0.3 fill survives
    expect(inside.some((v) => Math.abs(v - 0.3) < 1e-6)).toBe(false);
  });

  it('cuts the texture patch from inside the texture item: bar texture (class 2) in the whole-frame checker silhouette (class 1)', () => {
    const d = fmnistCueConflict(src, { kind: 'conflict', n: 6, seed: 1, patch: 4 });
    expect([d.shapeLabels[3], d.textureLabels[3]]).toEqual([1, 2]);
    const vals = new Set(img(d, 3).map((v) => v.toFixed(3)));
    expect(vals).toEqual(new Set(['0.200', '0.400'])); // whole-frame mask, stripes only: no background zero was tiled
  });

  it('probes: shape-only is a flat silhouette labelled by shape; texture-only fills the frame, labelled by texture', () => {
    const sh = fmnistCueConflict(src, { kind: 'shape', n: 3, seed: 0, patch: 4 });
    expect(Array.from(sh.textureLabels)).toEqual([-1, -1, -1]);
    expect(Array.from(sh.labels)).toEqual([0, 1, 2]);
    expect(new Set(img(sh, 1).map((v) => v.toFixed(3)))).toEqual(new Set(['0.750'])); // checker item's mean, flat
    expect(new Set(img(sh, 2).map((v) => v.toFixed(3)))).toEqual(new Set(['0.000', '0.300']));
    const tx = fmnistCueConflict(src, { kind: 'texture', n: 3, seed: 0, patch: 4 });
    expect(Array.from(tx.shapeLabels)).toEqual([-1, -1, -1]);
    expect(Array.from(tx.labels)).toEqual([0, 1, 2]);
    expect(img(tx, 0).every((v) => Math.abs(v - 0.3) < 1e-6)).toBe(true);
  });

  it('is deterministic by seed, and another seed draws other items or offsets', () => {
    const a = fmnistCueConflict(src, { kind: 'conflict', n: 12, seed: 7, patch: 4 });
    const b = fmnistCueConflict(src, { kind: 'conflict', n: 12, seed: 7, patch: 4 });
    const c = fmnistCueConflict(src, { kind: 'conflict', n: 12, seed: 8, patch: 4 });
    expect(Array.from(a.images)).toEqual(Array.from(b.images));
    expect(Array.from(a.images)).not.toEqual(Array.from(c.images));
  });

  it('texturePatchOrigin picks a window wholly inside the mask when one exists', () => {
    const mask = itemMask(src, 2, 0.05); // bar: cols 4..7
    for (let seed = 0; seed < 5; seed++) {
      const [y, x] = texturePatchOrigin(mask, S, S, 4, () => (seed + 0.5) / 5);
      expect(x).toBe(4);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(y).toBeLessThanOrEqual(8);
    }
  });
});

describe('fmnistCueConflict: texture items without an inside window', () => {
  it('draws another item of the class when the first has no P×P window inside its mask', () => {
    // Class 1 has two items: a 2-px frame (no 4×4 window inside) and a solid 0.8 block. Texture 1 must come from the block.
    const n = 4, images = new Float32Array(n * S * S), labels = Int32Array.from([0, 1, 1, 0]);
    for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) {
      images[0 * S * S + y * S + x] = pixel(0, y, x);
      images[1 * S * S + y * S + x] = y < 2 || x < 2 ? 0.5 : 0;
      images[2 * S * S + y * S + x] = 0.8;
      images[3 * S * S + y * S + x] = pixel(0, y, x);
    }
    const src: Split = { images, labels, n, shape: [S, S, 1], numClasses: 2 };
    for (let seed = 0; seed < 8; seed++) {
      const d = fmnistCueConflict(src, { kind: 'conflict', n: 1, seed, patch: 4 }); // pair (0, 1)
      expect(d.textureSource[0]).toBe(2);
      expect(new Set(img(d, 0).filter((v) => v > 0).map((v) => v.toFixed(3)))).toEqual(new Set(['0.800']));
    }
  });
});

// The per-image construction moved to models/data/cue-conflict.ts (the site's lab uses it); the splits
// must stay byte for byte what they were. The digests were taken with the code before the move.
describe('fmnistCueConflict: output unchanged by the move of its per-image code to models/', () => {
  const digest = (src: Split, opts: FmnistCueOptions[]) => {
    const h = createHash('sha256');
    for (const o of opts) {
      const d = fmnistCueConflict(src, o);
      for (const a of [d.images, d.labels, d.shapeLabels, d.textureLabels, d.shapeSource, d.textureSource]) h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    }
    return h.digest('hex');
  };
  it('on the hand-made split', () => {
    const opts = (['conflict', 'shape', 'texture'] as const).map((kind) => ({ kind, n: 12, seed: 7, patch: 4 }));
    expect(digest(toySplit(), opts)).toBe('5c0c06cc614bdb1d91ae63353929fb1153f068b51c2f7a32123e2ab473495b97');
  });
  it.runIf(hasFashionMnist('cue-conflict digests'))('on the Fashion-MNIST test split', () => {
    const test = fashionMnist({ trainLimit: 1 }).test;
    expect(digest(test, [{ kind: 'conflict', n: 900, seed: 0 }])).toBe('ab8b81e8063d1d80059fc97c3be983b7747be3742d6bbb065b63fe44c16ed988');
    expect(digest(test, [{ kind: 'shape', n: 500, seed: 1 }])).toBe('df2b5f9b4be838474559a9e8918064a8f0de5c6ab1eb6ea8aa8c4b266cb52672');
    expect(digest(test, [{ kind: 'texture', n: 500, seed: 2 }])).toBe('a145d6dc7af31e03719176581d2c3c81b58820bda5b30b4be8f96d3f978de10a');
  });
});
