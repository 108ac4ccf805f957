/**
 * The lab's input and its transforms, on 28×28 grey images in [0, 1].
 *
 * Input: a test image of the sample, or a cue-conflict image built from the sample with the
 * construction of models/data/cue-conflict.ts (the silhouette of an item of one class filled with
 * the tiled texture of an item of another).
 *
 * Transforms, in this order: occlusion (a mid-grey square), patch shuffling on the 4-px grid of the
 * ViT's patches (a fixed seed, so one setting is one image), Gaussian blur, the band of spatial
 * frequencies kept (high-pass cut-off ≤ r < low-pass cut-off, in cycles per pixel), Gaussian pixel
 * noise, clipping to [0, 1] (the range the models were trained on), and last band-limited noise,
 * not clipped, as the frequency-noise experiment adds it (clipping would leak it out of its band).
 * The filter and the noise are that experiment's own functions (models/data/noise.ts).
 */
import { bandFilter, bandNoise } from '../../../models/data/noise';
import { cueImage, cueRng, itemsByClass } from '../../../models/data/cue-conflict';

export const SIDE = 28;
/** The ViT-mini's patch side: shuffling moves whole patches, so each patch's content is intact. */
export const PATCH = 4;
/** Above the largest radius of a 28×28 DFT (√2/2 ≈ 0.707): a low-pass set here keeps every frequency. */
export const LOW_PASS_OFF = 0.71;
export const NOISE_SEED = 0;
/** The frequency-noise experiment's bands: 10 radial bands of width 0.05 cycles/px (0.1π) from 0 to 0.5. */
export const BANDS = 10;
export const bandRange = (band: number): [number, number] => [(0.5 * band) / BANDS, (0.5 * (band + 1)) / BANDS];
export const OCCLUDER_GREY = 0.5;

export type LabInputKind = 'sample' | 'cue' | 'draw';

export interface LabSettings {
  /** Keep frequencies below this radius; LOW_PASS_OFF keeps all. */
  lowPass: number;
  /** Keep frequencies at or above this radius; 0 keeps all. */
  highPass: number;
  /** Gaussian noise σ per pixel. */
  noise: number;
  /** Band of the band-limited noise, 0 (lowest) to BANDS − 1. */
  band: number;
  /** L2 norm of the band-limited noise over the image, the same in every band (matched energy); 0 is off. */
  bandNorm: number;
  /** Gaussian blur σ in px; 0 is off. */
  blur: number;
  /** Side of the occluding square in px; 0 is off. */
  occlusion: number;
  /** Centre of the occluding square, px from the left and from the top. */
  occlusionX: number;
  occlusionY: number;
  /** Fraction of the 49 patches that trade places; 0 is off. */
  shuffle: number;
}

export const DEFAULT_SETTINGS: LabSettings = {
  lowPass: LOW_PASS_OFF, highPass: 0, noise: 0, band: 0, bandNorm: 0, blur: 0, occlusion: 0, occlusionX: 14, occlusionY: 14, shuffle: 0,
};

function occlude(x: Float32Array, side: number, cx: number, cy: number): void {
  const x0 = Math.round(cx - side / 2), y0 = Math.round(cy - side / 2);
  for (let y = Math.max(0, y0); y < Math.min(SIDE, y0 + side); y++) for (let xx = Math.max(0, x0); xx < Math.min(SIDE, x0 + side); xx++) x[y * SIDE + xx] = OCCLUDER_GREY;
}

/** The patches that move: round(fraction·49) of them, chosen and cycled by a fixed seed. */
export function patchPermutation(fraction: number, seed = NOISE_SEED): Int32Array {
  const g = SIDE / PATCH, n = g * g, perm = Int32Array.from({ length: n }, (_, i) => i);
  const k = Math.round(fraction * n);
  if (k < 2) return perm;
  const rand = cueRng(seed + 1);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) { const j = Math.floor(rand() * (i + 1)); [order[i], order[j]] = [order[j]!, order[i]!]; }
  // A cycle over the chosen patches: every chosen patch leaves its place.
  const moved = order.slice(0, k);
  moved.forEach((p, i) => { perm[p] = moved[(i + 1) % k]!; });
  return perm;
}

function shufflePatches(x: Float32Array, fraction: number): Float32Array {
  const perm = patchPermutation(fraction), g = SIDE / PATCH, out = new Float32Array(x.length);
  for (let p = 0; p < g * g; p++) {
    const from = perm[p]!, py = Math.floor(p / g) * PATCH, px = (p % g) * PATCH, fy = Math.floor(from / g) * PATCH, fx = (from % g) * PATCH;
    for (let dy = 0; dy < PATCH; dy++) for (let dx = 0; dx < PATCH; dx++) out[(py + dy) * SIDE + px + dx] = x[(fy + dy) * SIDE + fx + dx]!;
  }
  return out;
}

/** Separable Gaussian blur, kernel radius ⌈3σ⌉, edges extended (a border does not darken). */
export function gaussianBlur(x: Float32Array, sigma: number): Float32Array {
  const r = Math.ceil(3 * sigma), k = Array.from({ length: 2 * r + 1 }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)));
  const sum = k.reduce((a, b) => a + b, 0);
  const at = (v: number) => Math.min(SIDE - 1, Math.max(0, v));
  const tmp = new Float32Array(x.length), out = new Float32Array(x.length);
  for (let y = 0; y < SIDE; y++) for (let xx = 0; xx < SIDE; xx++) {
    let s = 0;
    for (let i = -r; i <= r; i++) s += k[i + r]! * x[y * SIDE + at(xx + i)]!;
    tmp[y * SIDE + xx] = s / sum;
  }
  for (let y = 0; y < SIDE; y++) for (let xx = 0; xx < SIDE; xx++) {
    let s = 0;
    for (let i = -r; i <= r; i++) s += k[i + r]! * tmp[at(y + i) * SIDE + xx]!;
    out[y * SIDE + xx] = s / sum;
  }
  return out;
}

export function transform(image: ArrayLike<number>, s: LabSettings): Float32Array {
  let x: Float32Array = Float32Array.from(image);
  if (s.occlusion > 0) occlude(x, s.occlusion, s.occlusionX, s.occlusionY);
  if (s.shuffle > 0) x = shufflePatches(x, s.shuffle);
  if (s.blur > 0) x = gaussianBlur(x, s.blur);
  const high = s.lowPass >= LOW_PASS_OFF ? Infinity : s.lowPass, low = s.highPass;
  if (low >= high) x = new Float32Array(SIDE * SIDE);
  else if (low > 0 || high !== Infinity) x = bandFilter(x, SIDE, SIDE, low, high);
  if (s.noise > 0) {
    // ‖z‖₂ = σ·√(28·28) gives a per-pixel RMS of σ.
    const z = bandNoise({ h: SIDE, w: SIDE, low: 0, high: Infinity, norm: s.noise * SIDE, seed: NOISE_SEED });
    for (let i = 0; i < x.length; i++) x[i]! += z[i]!;
  }
  for (let i = 0; i < x.length; i++) x[i] = Math.min(1, Math.max(0, x[i]!));
  if (s.bandNorm > 0) {
    const [lo, hi] = bandRange(s.band);
    const z = bandNoise({ h: SIDE, w: SIDE, low: lo, high: hi, norm: s.bandNorm, seed: NOISE_SEED + 1 + s.band });
    for (let i = 0; i < x.length; i++) x[i]! += z[i]!;
  }
  return x;
}

/** Image k of the sample file as floats in [0, 1], and its label. */
export function sampleImage(bytes: Uint8Array, k: number): { image: Float32Array; label: number } {
  const px = SIDE * SIDE, count = bytes.length / (px + 1);
  if (!Number.isInteger(count) || k < 0 || k >= count) throw new Error(`sample: no image ${k} in ${bytes.length} bytes`);
  const image = new Float32Array(px);
  for (let i = 0; i < px; i++) image[i] = bytes[k * px + i]! / 255;
  return { image, label: bytes[count * px + k]! };
}

export const sampleCount = (bytes: Uint8Array): number => bytes.length / (SIDE * SIDE + 1);

/** The whole sample as floats and its items per class, for the cue-conflict construction. */
const stacks = new WeakMap<Uint8Array, { images: Float32Array; items: number[][] }>();
function stackOf(bytes: Uint8Array) {
  let s = stacks.get(bytes);
  if (!s) {
    const n = sampleCount(bytes), px = SIDE * SIDE;
    s = { images: Float32Array.from(bytes.subarray(0, n * px), (v) => v / 255), items: itemsByClass(bytes.subarray(n * px), 10) };
    stacks.set(bytes, s);
  }
  return s;
}

/** A cue-conflict image from the sample: shape class s, texture class t, the draw of items given by `seed`. */
export function sampleCueImage(bytes: Uint8Array, s: number, t: number, seed: number): { image: Float32Array; shapeSource: number; textureSource: number } {
  const { images, items } = stackOf(bytes), image = new Float32Array(SIDE * SIDE);
  const used = cueImage({ images, H: SIDE, W: SIDE, items, s, t, rand: cueRng(seed) }, image, 0);
  return { image, ...used };
}
