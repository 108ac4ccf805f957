// Fashion-MNIST cue-conflict images, one at a time (the construction of Geirhos et al. 2019,
// arXiv:1811.12231, on a dataset whose models we train): the silhouette of an item of class s
// filled with the tiled texture of an item of class t.
//
//   cueImage({ images, H: 28, W: 28, items, s: 0, t: 8, rand: cueRng(0) }, out, 0)
//
// Mask: pixels of the shape item above `threshold` (Fashion-MNIST backgrounds are 0). Texture: a
// P×P patch cut from inside the texture item's own mask (a window wholly inside it when one exists,
// else the most covered one), tiled with a random offset, so the texture carries the item's fabric
// and print statistics but none of its outline. Every draw comes from `rand`, in a fixed order.
// Pure (no tfjs, no Node): scripts/lib/data/fmnist-cue-conflict.ts builds its splits with it, and
// the site's lab builds single images from its sample with it.
import { mulberry32 } from '../nn/rng';

/** Texture patch side in px: large enough for a print's repeat, small enough to fit inside most items. */
export const CUE_PATCH = 8;
/** Mask threshold on [0, 1] intensities. */
export const CUE_THRESHOLD = 0.05;
/** Items of class t drawn until one holds a P×P window wholly inside its mask (sandals and sneakers often do not). */
export const TEXTURE_TRIES = 20;

/** The stream a seed gives (the same mixing as every split built from a seed). */
export const cueRng = (seed: number): (() => number) => mulberry32((seed * 2654435761) ^ 0xc0ffee);

/** The mask of item `k` of a stack of H×W grey images: 1 where intensity > threshold. */
export function maskOf(images: ArrayLike<number>, k: number, H: number, W: number, threshold: number): Uint8Array {
  const m = new Uint8Array(H * W), off = k * H * W;
  for (let p = 0; p < H * W; p++) m[p] = images[off + p]! > threshold ? 1 : 0;
  return m;
}

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

/** Indices of the items of each class. */
export function itemsByClass(labels: ArrayLike<number>, numClasses: number): number[][] {
  const out: number[][] = Array.from({ length: numClasses }, () => []);
  for (let k = 0; k < labels.length; k++) out[labels[k]!]!.push(k);
  return out;
}

export interface CueSpec {
  /** A stack of H×W grey images in [0, 1]. */
  images: ArrayLike<number>;
  H: number;
  W: number;
  /** itemsByClass of the stack's labels. */
  items: number[][];
  /** Shape class, or −1 for a texture-only image (tiled over the whole frame). */
  s: number;
  /** Texture class, or −1 for a shape-only image (the silhouette in its own mean grey). */
  t: number;
  rand: () => number;
  patch?: number;
  threshold?: number;
}

/** Writes one H×W image at out[off…]; returns the items used (−1 where unused). */
export function cueImage(c: CueSpec, out: Float32Array, off: number): { shapeSource: number; textureSource: number } {
  const { images, H, W, items, s, t, rand } = c, P = c.patch ?? CUE_PATCH, thr = c.threshold ?? CUE_THRESHOLD;
  const pick = (cls: number) => items[cls]![Math.floor(rand() * items[cls]!.length)]!;
  const shapeSource = s >= 0 ? pick(s) : -1;
  const shapeMask = s >= 0 ? maskOf(images, shapeSource, H, W, thr) : null;
  let textureSource = -1;
  let tile: ((y: number, x: number) => number) | null = null;
  if (t >= 0) {
    // Another item of class t while none of its P×P windows lies wholly inside it; the last one drawn
    // keeps its most covered window (some background tiled in) if all TEXTURE_TRIES fail.
    let k = pick(t), origin = insidePatchOrigin(maskOf(images, k, H, W, thr), H, W, P, rand);
    for (let tries = 1; !origin && tries < TEXTURE_TRIES; tries++) { k = pick(t); origin = insidePatchOrigin(maskOf(images, k, H, W, thr), H, W, P, rand); }
    const [py, px] = origin ?? texturePatchOrigin(maskOf(images, k, H, W, thr), H, W, P, rand);
    textureSource = k;
    const oy = Math.floor(rand() * P), ox = Math.floor(rand() * P);
    tile = (y, x) => images[k * H * W + (py + ((y + oy) % P)) * W + px + ((x + ox) % P)]!;
  }
  // Shape-only fill: the shape item's own mean intensity inside its mask, flat (no texture left).
  let flat = 0;
  if (shapeMask && !tile) {
    let sum = 0, cnt = 0;
    for (let p = 0; p < H * W; p++) if (shapeMask[p]) { sum += images[shapeSource * H * W + p]!; cnt++; }
    flat = cnt ? sum / cnt : 0;
  }
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const inMask = shapeMask ? shapeMask[y * W + x] === 1 : true;
    out[off + y * W + x] = inMask ? (tile ? tile(y, x) : flat) : 0;
  }
  return { shapeSource, textureSource };
}
