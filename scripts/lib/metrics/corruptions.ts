/**
 * Common corruptions in the style of ImageNet-C / CIFAR-10-C (Hendrycks & Dietterich 2019, ICLR,
 * arXiv:1903.12261), for small grey images (Fashion-MNIST, 28×28×1) with values in [0, 1].
 *
 *   corrupt('gaussian_noise', img, 28, 28, 1, 3, rand)   // severity 1…5 → a new Float32Array
 *
 * Severity tables, following the authors' generators (hendrycks/robustness, ImageNet-C/create_c):
 * - gaussian_noise σ, the contrast factor and the pixelate factor do not depend on the image size
 *   (a pixelate factor keeps the same fraction of the spectrum at any size): the ImageNet-C values
 *   (make_imagenet_c.py). CIFAR-10-C's milder pixelate factors (0.95…0.65) are not monotone in
 *   damage at 28 px: box-resampling to 26 px distorts more than to 25 px.
 * - gaussian_blur σ is in pixels: the CIFAR-10-C values (make_cifar_c.py), the nearest image size.
 * - elastic: the benchmark's elastic transform couples a random affine jitter with a displacement
 *   field, and its severities are not monotone in displacement at 32 px; we use Simard et al.'s
 *   (2003) smooth random field alone, scaled to an RMS displacement of 0.5…2.5 px.
 * Every corruption clips to [0, 1], as the generators do.
 */

export const CORRUPTIONS = ['gaussian_noise', 'gaussian_blur', 'contrast', 'pixelate', 'elastic'] as const;
export type Corruption = (typeof CORRUPTIONS)[number];

export const SEVERITY: Readonly<Record<Corruption, readonly number[]>> = {
  gaussian_noise: [0.08, 0.12, 0.18, 0.26, 0.38], // σ, ImageNet-C
  gaussian_blur: [0.4, 0.6, 0.7, 0.8, 1.0],       // σ in px, CIFAR-10-C
  contrast: [0.4, 0.3, 0.2, 0.1, 0.05],           // factor on (x − mean), ImageNet-C
  pixelate: [0.6, 0.5, 0.4, 0.3, 0.25],           // box-downsample factor, ImageNet-C (28 px → 16, 14, 11, 8, 7)
  elastic: [0.5, 1.0, 1.5, 2.0, 2.5],             // RMS displacement in px (ours)
};

/** Smoothing σ (px) of the elastic displacement field. */
export const ELASTIC_SIGMA = 3;

const clip01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);

/** Standard normal from a uniform source (Box–Muller). */
export function normal(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

export function gaussianNoise(img: Float32Array, sigma: number, rand: () => number): Float32Array {
  const out = new Float32Array(img.length);
  for (let i = 0; i < img.length; i++) out[i] = clip01(img[i]! + sigma * normal(rand));
  return out;
}

/** 1-D Gaussian kernel truncated at ±⌈truncate·σ⌉ (skimage's default truncate = 4), sum 1. */
export function gaussianKernel(sigma: number, truncate = 4): Float64Array {
  const r = Math.max(1, Math.ceil(truncate * sigma));
  const k = new Float64Array(2 * r + 1);
  let s = 0;
  for (let i = -r; i <= r; i++) { k[i + r] = Math.exp(-(i * i) / (2 * sigma * sigma)); s += k[i + r]!; }
  for (let i = 0; i < k.length; i++) k[i]! /= s;
  return k;
}

type Border = 'nearest' | 'reflect';
/** Index into [0, n) under a border mode: 'nearest' repeats the edge, 'reflect' mirrors (d c b a | a b c d). */
function borderIndex(i: number, n: number, mode: Border): number {
  if (mode === 'nearest') return i < 0 ? 0 : i >= n ? n - 1 : i;
  const p = 2 * n;
  let j = ((i % p) + p) % p;
  if (j >= n) j = p - 1 - j;
  return j;
}

/** Separable Gaussian filter of an h×w×c (HWC) array; no clipping. */
export function gaussianFilter(img: Float32Array | Float64Array, h: number, w: number, c: number, sigma: number, mode: Border = 'nearest'): Float64Array {
  const k = gaussianKernel(sigma), r = (k.length - 1) / 2;
  const tmp = new Float64Array(h * w * c), out = new Float64Array(h * w * c);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let ch = 0; ch < c; ch++) {
    let s = 0;
    for (let t = -r; t <= r; t++) s += k[t + r]! * img[(y * w + borderIndex(x + t, w, mode)) * c + ch]!;
    tmp[(y * w + x) * c + ch] = s;
  }
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let ch = 0; ch < c; ch++) {
    let s = 0;
    for (let t = -r; t <= r; t++) s += k[t + r]! * tmp[(borderIndex(y + t, h, mode) * w + x) * c + ch]!;
    out[(y * w + x) * c + ch] = s;
  }
  return out;
}

export function gaussianBlur(img: Float32Array, h: number, w: number, c: number, sigma: number): Float32Array {
  return Float32Array.from(gaussianFilter(img, h, w, c, sigma, 'nearest'), clip01);
}

/** (x − mean)·factor + mean, the mean taken per image and channel over space. */
export function contrast(img: Float32Array, h: number, w: number, c: number, factor: number): Float32Array {
  const out = new Float32Array(img.length);
  for (let ch = 0; ch < c; ch++) {
    let m = 0;
    for (let i = 0; i < h * w; i++) m += img[i * c + ch]!;
    m /= h * w;
    for (let i = 0; i < h * w; i++) out[i * c + ch] = clip01((img[i * c + ch]! - m) * factor + m);
  }
  return out;
}

/**
 * Area-weighted ("box") resampling of one axis from n to m samples, as PIL's BOX filter:
 * output sample j averages the input over [j·n/m, (j+1)·n/m), weighting partly covered pixels.
 */
export function boxWeights(n: number, m: number): Array<Array<[number, number]>> {
  const scale = n / m, rows: Array<Array<[number, number]>> = [];
  for (let j = 0; j < m; j++) {
    const a = j * scale, b = (j + 1) * scale, row: Array<[number, number]> = [];
    for (let i = Math.floor(a); i < Math.ceil(b - 1e-12); i++) {
      const wgt = Math.min(b, i + 1) - Math.max(a, i);
      if (wgt > 1e-12) row.push([i, wgt / scale]);
    }
    rows.push(row);
  }
  return rows;
}

function resizeBox(img: Float32Array | Float64Array, h: number, w: number, c: number, h2: number, w2: number): Float64Array {
  const wx = boxWeights(w, w2), wy = boxWeights(h, h2);
  const tmp = new Float64Array(h * w2 * c), out = new Float64Array(h2 * w2 * c);
  for (let y = 0; y < h; y++) for (let x = 0; x < w2; x++) for (let ch = 0; ch < c; ch++) {
    let s = 0;
    for (const [i, wt] of wx[x]!) s += wt * img[(y * w + i) * c + ch]!;
    tmp[(y * w2 + x) * c + ch] = s;
  }
  for (let y = 0; y < h2; y++) for (let x = 0; x < w2; x++) for (let ch = 0; ch < c; ch++) {
    let s = 0;
    for (const [i, wt] of wy[y]!) s += wt * tmp[(i * w2 + x) * c + ch]!;
    out[(y * w2 + x) * c + ch] = s;
  }
  return out;
}

/** Box-downsample to ⌊side·factor⌋ and box-upsample back, as ImageNet-C's pixelate. */
export function pixelate(img: Float32Array, h: number, w: number, c: number, factor: number): Float32Array {
  const h2 = Math.max(1, Math.floor(h * factor)), w2 = Math.max(1, Math.floor(w * factor));
  const small = resizeBox(img, h, w, c, h2, w2);
  return Float32Array.from(resizeBox(small, h2, w2, c, h, w), clip01);
}

/** Bilinear sample of channel ch at (y, x) with mirrored borders. */
function bilinear(img: Float32Array, h: number, w: number, c: number, ch: number, y: number, x: number): number {
  const y0 = Math.floor(y), x0 = Math.floor(x), fy = y - y0, fx = x - x0;
  const at = (yy: number, xx: number) => img[(borderIndex(yy, h, 'reflect') * w + borderIndex(xx, w, 'reflect')) * c + ch]!;
  return (1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x0 + 1)) + fy * ((1 - fx) * at(y0 + 1, x0) + fx * at(y0 + 1, x0 + 1));
}

/** A smooth random displacement field (dx, dy), scaled so the RMS of |(dx, dy)| is `rms` px. */
export function displacementField(h: number, w: number, rms: number, rand: () => number, sigma = ELASTIC_SIGMA): { dx: Float64Array; dy: Float64Array } {
  const ux = new Float64Array(h * w), uy = new Float64Array(h * w);
  for (let i = 0; i < h * w; i++) { ux[i] = 2 * rand() - 1; uy[i] = 2 * rand() - 1; }
  const dx = gaussianFilter(ux, h, w, 1, sigma, 'reflect'), dy = gaussianFilter(uy, h, w, 1, sigma, 'reflect');
  let s = 0;
  for (let i = 0; i < h * w; i++) s += dx[i]! * dx[i]! + dy[i]! * dy[i]!;
  const k = s > 0 ? rms / Math.sqrt(s / (h * w)) : 0;
  for (let i = 0; i < h * w; i++) { dx[i]! *= k; dy[i]! *= k; }
  return { dx, dy };
}

/** Resample the image at (y + dy, x + dx), bilinear with mirrored borders. */
export function warp(img: Float32Array, h: number, w: number, c: number, field: { dx: ArrayLike<number>; dy: ArrayLike<number> }): Float32Array {
  const out = new Float32Array(img.length);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let ch = 0; ch < c; ch++) {
    out[(y * w + x) * c + ch] = clip01(bilinear(img, h, w, c, ch, y + field.dy[y * w + x]!, x + field.dx[y * w + x]!));
  }
  return out;
}

export function elastic(img: Float32Array, h: number, w: number, c: number, rms: number, rand: () => number): Float32Array {
  return warp(img, h, w, c, displacementField(h, w, rms, rand));
}

/** One corruption at severity 1…5 on one image (h×w×c, HWC). `rand` feeds the random ones. */
export function corrupt(kind: Corruption, img: Float32Array, h: number, w: number, c: number, severity: number, rand: () => number): Float32Array {
  if (!(Number.isInteger(severity) && severity >= 1 && severity <= 5)) throw new Error(`corrupt: severity must be 1…5, got ${severity}`);
  const p = SEVERITY[kind][severity - 1]!;
  switch (kind) {
    case 'gaussian_noise': return gaussianNoise(img, p, rand);
    case 'gaussian_blur': return gaussianBlur(img, h, w, c, p);
    case 'contrast': return contrast(img, h, w, c, p);
    case 'pixelate': return pixelate(img, h, w, c, p);
    case 'elastic': return elastic(img, h, w, c, p, rand);
    default: { const never: never = kind; throw new Error(`unknown corruption ${String(never)}`); }
  }
}
