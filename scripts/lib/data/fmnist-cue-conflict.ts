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
// and print statistics but none of its outline. Everything is drawn from `seed`. One image is
// models/data/cue-conflict.ts's cueImage, which the site's lab also uses.
import type { Split } from '../train/batches';
import { CUE_PATCH, CUE_THRESHOLD, cueImage, cueRng, itemsByClass, maskOf } from '../../../models/data/cue-conflict';

export { TEXTURE_TRIES, insidePatchOrigin, texturePatchOrigin } from '../../../models/data/cue-conflict';

export type FmnistCueKind = 'conflict' | 'shape' | 'texture';

export interface FmnistCueOptions {
  kind: FmnistCueKind;
  n: number;
  seed: number;
  /** Texture patch side in px (default CUE_PATCH, 8). */
  patch?: number;
  /** Mask threshold on [0, 1] intensities (default CUE_THRESHOLD, 0.05). */
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
  return maskOf(src.images, k, H, W, threshold);
}

export function fmnistCueConflict(src: Split, o: FmnistCueOptions): FmnistCueSplit {
  const [H, W] = src.shape, P = o.patch ?? CUE_PATCH, thr = o.threshold ?? CUE_THRESHOLD, K = src.numClasses;
  if (P > H || P > W) throw new Error(`fmnist-cue-conflict: patch ${P} larger than the ${H}×${W} image`);
  const items = itemsByClass(src.labels, K);
  const missing = items.findIndex((c) => c.length === 0);
  if (missing >= 0) throw new Error(`fmnist-cue-conflict: class ${missing} has no item in the given split`);
  const rand = cueRng(o.seed);
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
    const used = cueImage({ images: src.images, H, W, items, s, t, rand, patch: P, threshold: thr }, images, i * H * W);
    shapeSource[i] = used.shapeSource; textureSource[i] = used.textureSource;
    shapeLabels[i] = s; textureLabels[i] = t;
    labels[i] = o.kind === 'texture' ? t : s;
  }
  return { kind: o.kind, images, labels, shapeLabels, textureLabels, shapeSource, textureSource, n: o.n, shape: [H, W, 1], numClasses: K };
}
