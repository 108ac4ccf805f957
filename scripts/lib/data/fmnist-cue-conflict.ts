// Cue-conflict images built from Fashion-MNIST itself (the construction of Geirhos et al. 2019,
// arXiv:1811.12231, on a dataset whose models we train): the silhouette of an item of class i
// filled with the tiled texture of an item of class j ≠ i.
//
//   fmnistCueConflict(test, { kind: 'conflict', n: 900, seed: 0 })  // shape i, texture j ≠ i (all 90 pairs)
//   fmnistCueConflict(test, { kind: 'shape',    n: 500, seed: 1 })  // silhouette in flat grey: shape only
//   fmnistCueConflict(test, { kind: 'texture',  n: 500, seed: 2 })  // tiled texture over the frame: texture only
//
// Mask: pixels of the shape item above `threshold` (Fashion-MNIST backgrounds are 0). Texture: a
// P×P patch cut from inside the texture item's own mask (a window wholly inside it when one exists,
// else the most covered one), tiled with a random offset, so the texture carries the item's fabric
// and print statistics but none of its outline. Everything is drawn from `seed`.
import { rng, type Split } from '../train/batches';

export type FmnistCueKind = 'conflict' | 'shape' | 'texture';

export interface FmnistCueOptions {
  kind: FmnistCueKind;
  n: number;
  seed: number;
  /** Texture patch side in px (default 8: large enough for a print's repeat, small enough to fit inside most items). */
  patch?: number;
  /** Mask threshold on [0, 1] intensities (default 0.05). */
  threshold?: number;
}

export interface FmnistCueSplit extends Split {
  kind: FmnistCueKind;
  /** Shape class per image (−1 for texture-only probes). */
  shapeLabels: Int32Array;
  /** Texture class per image (−1 for shape-only probes). */
  textureLabels: Int32Array;
  /** Source item (index into the given split) of the shape and of the texture (−1 where unused). */
  shapeSource: Int32Array;
  textureSource: Int32Array;
}

/** The mask of image `k` of a split: 1 where intensity > threshold. */
export function itemMask(src: Split, k: number, threshold: number): Uint8Array {
  const [H, W, C] = src.shape;
  if (C !== 1) throw new Error(`fmnist-cue-conflict: grey images expected, got ${C} channels`);
  const m = new Uint8Array(H * W), off = k * H * W;
  for (let p = 0; p < H * W; p++) m[p] = src.images[off + p]! > threshold ? 1 : 0;
  return m;
}

/** Items of class j drawn until one holds a P×P window wholly inside its mask (sandals and sneakers often do not). */
export const TEXTURE_TRIES = 20;

/** A random P×P window wholly inside the mask; null when there is none. */
export function insidePatchOrigin(mask: Uint8Array, H: number, W: number, P: number, rand: () => number): [number, number] | null {
  const [y, x] = texturePatchOrigin(mask, H, W, P, rand);
  for (let dy = 0; dy < P; dy++) for (let dx = 0; dx < P; dx++) if (!mask[(y + dy) * W + x + dx]) return null;
  return [y, x];
}

/** Top-left corner of a P×P window inside the mask: a random one wholly inside, else the most covered. */
export function texturePatchOrigin(mask: Uint8Array, H: number, W: number, P: number, rand: () => number): [number, number] {
  const inside: Array<[number, number]> = [];
  let best: [number, number] = [0, 0], bestCover = -1;
  for (let y = 0; y + P <= H; y++) for (let x = 0; x + P <= W; x++) {
    let c = 0;
    for (let dy = 0; dy < P; dy++) for (let dx = 0; dx < P; dx++) c += mask[(y + dy) * W + x + dx]!;
    if (c === P * P) inside.push([y, x]);
    if (c > bestCover) { bestCover = c; best = [y, x]; }
  }
  return inside.length ? inside[Math.floor(rand() * inside.length)]! : best;
}

/** Indices of the split's items per class. */
function byClass(src: Split): number[][] {
  const out: number[][] = Array.from({ length: src.numClasses }, () => []);
  for (let k = 0; k < src.n; k++) out[src.labels[k]!]!.push(k);
  return out;
}

export function fmnistCueConflict(src: Split, o: FmnistCueOptions): FmnistCueSplit {
  const [H, W] = src.shape, P = o.patch ?? 8, thr = o.threshold ?? 0.05, K = src.numClasses;
  if (P > H || P > W) throw new Error(`fmnist-cue-conflict: patch ${P} larger than the ${H}×${W} image`);
  const items = byClass(src);
  const missing = items.findIndex((c) => c.length === 0);
  if (missing >= 0) throw new Error(`fmnist-cue-conflict: class ${missing} has no item in the given split`);
  const rand = rng((o.seed * 2654435761) ^ 0xc0ffee);
  const pick = (c: number) => items[c]![Math.floor(rand() * items[c]!.length)]!;
  const images = new Float32Array(o.n * H * W);
  const labels = new Int32Array(o.n), shapeLabels = new Int32Array(o.n), textureLabels = new Int32Array(o.n);
  const shapeSource = new Int32Array(o.n).fill(-1), textureSource = new Int32Array(o.n).fill(-1);
  for (let i = 0; i < o.n; i++) {
    // Balanced: cycle classes (and, for conflicts, all K(K−1) ordered pairs s ≠ t).
    let s = -1, t = -1;
    switch (o.kind) {
      case 'conflict': { const p = i % (K * (K - 1)); s = Math.floor(p / (K - 1)); t = p % (K - 1); if (t >= s) t++; break; }
      case 'shape': s = i % K; break;
      case 'texture': t = i % K; break;
    }
    const off = i * H * W;
    const shapeMask = s >= 0 ? itemMask(src, (shapeSource[i] = pick(s)), thr) : null;
    let tile: ((y: number, x: number) => number) | null = null;
    if (t >= 0) {
      // Another item of class t while none of its P×P windows lies wholly inside it; the last one drawn
      // keeps its most covered window (some background tiled in) if all TEXTURE_TRIES fail.
      let k = pick(t), origin = insidePatchOrigin(itemMask(src, k, thr), H, W, P, rand);
      for (let tries = 1; !origin && tries < TEXTURE_TRIES; tries++) { k = pick(t); origin = insidePatchOrigin(itemMask(src, k, thr), H, W, P, rand); }
      const [py, px] = origin ?? texturePatchOrigin(itemMask(src, k, thr), H, W, P, rand);
      textureSource[i] = k;
      const oy = Math.floor(rand() * P), ox = Math.floor(rand() * P);
      tile = (y, x) => src.images[k * H * W + (py + ((y + oy) % P)) * W + px + ((x + ox) % P)]!;
    }
    // Shape-only fill: the shape item's own mean intensity inside its mask, flat (no texture left).
    let flat = 0;
    if (shapeMask && !tile) {
      let sum = 0, cnt = 0;
      for (let p = 0; p < H * W; p++) if (shapeMask[p]) { sum += src.images[shapeSource[i]! * H * W + p]!; cnt++; }
      flat = cnt ? sum / cnt : 0;
    }
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
      const inMask = shapeMask ? shapeMask[y * W + x] === 1 : true;
      images[off + y * W + x] = inMask ? (tile ? tile(y, x) : flat) : 0;
    }
    shapeLabels[i] = s; textureLabels[i] = t;
    labels[i] = o.kind === 'texture' ? t : s;
  }
  return { kind: o.kind, images, labels, shapeLabels, textureLabels, shapeSource, textureSource, n: o.n, shape: [H, W, 1], numClasses: K };
}
