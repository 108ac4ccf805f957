/**
 * An image of any size turned into a Fashion-MNIST-like input: grey, light item on a dark
 * background, cropped to the item, scaled so its longer side is 20 px (aspect kept) and placed in
 * the 28×28 frame with its centre of mass at the centre (the MNIST recipe; Fashion-MNIST items
 * fill more of the frame, but the models see both as in-distribution enough to answer).
 * Pure: the lab runs it on the pixels of an uploaded file, which never leave the browser.
 */
import { SIDE } from './transform';

/** Longer side of the item after scaling, in px. */
export const FIT = 20;
/** Pixels above this (after inversion, in [0, 1]) belong to the item when cropping. */
export const ITEM_THRESHOLD = 0.1;

/** Luminance in [0, 1] of RGBA bytes (Rec. 601 weights; transparent counts as background). */
export function toGrey(rgba: ArrayLike<number>, w: number, h: number): Float32Array {
  const out = new Float32Array(w * h);
  for (let i = 0; i < w * h; i++) {
    const a = rgba[i * 4 + 3]! / 255;
    const lum = (0.299 * rgba[i * 4]! + 0.587 * rgba[i * 4 + 1]! + 0.114 * rgba[i * 4 + 2]!) / 255;
    out[i] = a * lum + (1 - a) * bgOf(rgba, w, h);
  }
  return out;
}

// The colour a transparent pixel stands for: the opaque border's mean, so a cut-out keeps its backdrop.
const bgCache = new WeakMap<object, number>();
function bgOf(rgba: ArrayLike<number>, w: number, h: number): number {
  const key = rgba as object;
  if (bgCache.has(key)) return bgCache.get(key)!;
  let s = 0, n = 0;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    if (y !== 0 && y !== h - 1 && x !== 0 && x !== w - 1) continue;
    const i = (y * w + x) * 4;
    if (rgba[i + 3]! < 128) continue;
    s += (0.299 * rgba[i]! + 0.587 * rgba[i + 1]! + 0.114 * rgba[i + 2]!) / 255; n++;
  }
  const v = n ? s / n : 0;
  bgCache.set(key, v);
  return v;
}

/** Grey w×h in [0, 1] → 28×28 in [0, 1]; `inverted` says whether a light background was turned dark. */
export function toFashionMnist(grey: Float32Array, w: number, h: number): { image: Float32Array; inverted: boolean; box: [number, number, number, number] | null } {
  // A light border means a dark item on a light background (a photo, a scan): invert.
  let border = 0, nb = 0;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (y === 0 || y === h - 1 || x === 0 || x === w - 1) { border += grey[y * w + x]!; nb++; }
  const inverted = border / nb > 0.5;
  // The background's level goes to 0 (Fashion-MNIST backgrounds are 0), the range above it stretched to [0, 1].
  const bg = inverted ? 1 - border / nb : border / nb;
  const g = grey.map((v) => Math.min(1, Math.max(0, ((inverted ? 1 - v : v) - bg) / Math.max(1e-6, 1 - bg))));
  let x0 = w, y0 = h, x1 = -1, y1 = -1;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (g[y * w + x]! > ITEM_THRESHOLD) { x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y); }
  const out = new Float32Array(SIDE * SIDE);
  if (x1 < 0) return { image: out, inverted, box: null };
  const bw = x1 - x0 + 1, bh = y1 - y0 + 1, scale = FIT / Math.max(bw, bh);
  const sw = Math.max(1, Math.round(bw * scale)), sh = Math.max(1, Math.round(bh * scale));
  // Area averaging from the box to sw×sh (each output pixel the mean of the source pixels it covers).
  const small = new Float32Array(sw * sh);
  for (let y = 0; y < sh; y++) for (let x = 0; x < sw; x++) {
    const ya = y0 + (y * bh) / sh, yb = y0 + ((y + 1) * bh) / sh, xa = x0 + (x * bw) / sw, xb = x0 + ((x + 1) * bw) / sw;
    let s = 0, a = 0;
    for (let sy = Math.floor(ya); sy < Math.ceil(yb); sy++) for (let sx = Math.floor(xa); sx < Math.ceil(xb); sx++) {
      const wy = Math.min(yb, sy + 1) - Math.max(ya, sy), wx = Math.min(xb, sx + 1) - Math.max(xa, sx);
      s += wy * wx * g[sy * w + sx]!; a += wy * wx;
    }
    small[y * sw + x] = a ? s / a : 0;
  }
  // Centre of mass to the frame's centre.
  let m = 0, cx = 0, cy = 0;
  for (let y = 0; y < sh; y++) for (let x = 0; x < sw; x++) { const v = small[y * sw + x]!; m += v; cx += v * x; cy += v * y; }
  const ox = Math.round(SIDE / 2 - (m ? cx / m : sw / 2) - 0.5), oy = Math.round(SIDE / 2 - (m ? cy / m : sh / 2) - 0.5);
  for (let y = 0; y < sh; y++) for (let x = 0; x < sw; x++) {
    const ty = y + oy, tx = x + ox;
    if (ty >= 0 && ty < SIDE && tx >= 0 && tx < SIDE) out[ty * SIDE + tx] = Math.min(1, Math.max(0, small[y * sw + x]!));
  }
  return { image: out, inverted, box: [x0, y0, bw, bh] };
}

/** A 28×28 image in the URL: one byte per pixel, base64url (about 1 KB of text). */
export function encodeImage(image: ArrayLike<number>): string {
  let bin = '';
  for (let i = 0; i < SIDE * SIDE; i++) bin += String.fromCharCode(Math.round(Math.min(1, Math.max(0, image[i]!)) * 255));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The inverse of encodeImage; null for anything that is not 784 bytes. */
export function decodeImage(s: string): Float32Array | null {
  try {
    const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
    if (bin.length !== SIDE * SIDE) return null;
    return Float32Array.from(bin, (c) => c.charCodeAt(0) / 255);
  } catch {
    return null;
  }
}
