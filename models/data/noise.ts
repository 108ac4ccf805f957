// Frequency-limited noise for the "CNNs lean on high frequencies, ViTs on low ones" claim
// (Park & Kim 2022, arXiv:2202.06709; Fourier heat maps from Yin et al. 2019, arXiv:1906.08988).
//
//   bandNoise({ h: 28, w: 28, low: 0.25, high: 0.5, norm: 4, seed: 0 })  // radial band, ‖·‖₂ = 4
//   fourierBasis({ h: 32, w: 32, u: 3, v: -5, norm: 4 })                 // one 2-D Fourier mode
//
// Frequencies are in cycles per pixel: fx, fy ∈ [−0.5, 0.5), radius r = √(fx² + fy²) ≤ 0.5·√2.
// A band is low ≤ r < high. The tiny DFT below is exact and fast enough for ≤ 64×64 images.
// Pure (no tfjs, no Node): the experiments and the site's lab both import it.
import { mulberry32 as rng } from '../nn/rng';

/** In-place 1-D DFT of (re, im)[off + k·stride], k < n. O(n²), with cached twiddles. */
const twiddles = new Map<number, { cos: Float64Array; sin: Float64Array }>();
function dft1(re: Float64Array, im: Float64Array, off: number, stride: number, n: number, inverse: boolean, tmpR: Float64Array, tmpI: Float64Array): void {
  let t = twiddles.get(n);
  if (!t) {
    t = { cos: new Float64Array(n), sin: new Float64Array(n) };
    for (let k = 0; k < n; k++) { t.cos[k] = Math.cos((2 * Math.PI * k) / n); t.sin[k] = Math.sin((2 * Math.PI * k) / n); }
    twiddles.set(n, t);
  }
  const sgn = inverse ? 1 : -1;
  for (let k = 0; k < n; k++) {
    let sr = 0, si = 0;
    for (let j = 0, idx = 0; j < n; j++, idx = (idx + k) % n) {
      const xr = re[off + j * stride]!, xi = im[off + j * stride]!;
      const c = t.cos[idx]!, s = sgn * t.sin[idx]!;
      sr += xr * c - xi * s; si += xr * s + xi * c;
    }
    tmpR[k] = inverse ? sr / n : sr; tmpI[k] = inverse ? si / n : si;
  }
  for (let k = 0; k < n; k++) { re[off + k * stride] = tmpR[k]!; im[off + k * stride] = tmpI[k]!; }
}

/** 2-D DFT of an h×w complex image (row-major), in place. inverse includes the 1/(hw). */
export function fft2(re: Float64Array, im: Float64Array, h: number, w: number, inverse = false): void {
  const tr = new Float64Array(Math.max(h, w)), ti = new Float64Array(Math.max(h, w));
  for (let y = 0; y < h; y++) dft1(re, im, y * w, 1, w, inverse, tr, ti);
  for (let x = 0; x < w; x++) dft1(re, im, x, w, h, inverse, tr, ti);
}

/** Signed frequency (cycles/pixel) of DFT bin k of n. */
export const binFreq = (k: number, n: number): number => (k < n / 2 ? k : k - n) / n;

/** Power spectrum |X(fy, fx)|² of a real h×w image. */
export function powerSpectrum(img: ArrayLike<number>, h: number, w: number): Float64Array {
  const re = Float64Array.from(img), im = new Float64Array(h * w);
  fft2(re, im, h, w);
  const p = new Float64Array(h * w);
  for (let i = 0; i < p.length; i++) p[i] = re[i]! * re[i]! + im[i]! * im[i]!;
  return p;
}

/** Fraction of spectral energy with low ≤ r < high. */
export function bandEnergyFraction(img: ArrayLike<number>, h: number, w: number, low: number, high: number): number {
  const p = powerSpectrum(img, h, w);
  let inside = 0, total = 0;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const r = Math.hypot(binFreq(x, w), binFreq(y, h)), e = p[y * w + x]!;
    total += e;
    if (r >= low && r < high) inside += e;
  }
  return total > 0 ? inside / total : 0;
}

function scaleToNorm(x: Float32Array, norm: number): Float32Array {
  let s = 0;
  for (const v of x) s += v * v;
  const k = s > 0 ? norm / Math.sqrt(s) : 0;
  for (let i = 0; i < x.length; i++) x[i]! *= k;
  return x;
}

/** Box–Muller standard normal from a uniform source. */
function gaussian(rand: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

export interface BandNoiseOptions { h: number; w: number; channels?: number; low: number; high: number; norm: number; seed: number }

/**
 * Gaussian noise filtered to the radial band [low, high) cycles/pixel, scaled so the whole
 * (h×w×channels) array has L2 norm `norm`. Channels are independent draws, interleaved (HWC).
 */
export function bandNoise(o: BandNoiseOptions): Float32Array {
  const c = o.channels ?? 1, n = o.h * o.w;
  if (!(o.low >= 0 && o.high > o.low)) throw new Error(`bandNoise: need 0 ≤ low < high, got [${o.low}, ${o.high})`);
  const g = gaussian(rng(o.seed ^ 0xb4d5));
  const out = new Float32Array(n * c);
  let any = false;
  for (let ch = 0; ch < c; ch++) {
    const re = new Float64Array(n), im = new Float64Array(n);
    for (let i = 0; i < n; i++) re[i] = g();
    fft2(re, im, o.h, o.w);
    // The band mask is symmetric under f → −f, so the filtered image stays real.
    for (let y = 0; y < o.h; y++) for (let x = 0; x < o.w; x++) {
      const r = Math.hypot(binFreq(x, o.w), binFreq(y, o.h));
      if (r < o.low || r >= o.high) { re[y * o.w + x] = 0; im[y * o.w + x] = 0; } else any = true;
    }
    fft2(re, im, o.h, o.w, true);
    for (let i = 0; i < n; i++) out[i * c + ch] = re[i]!;
  }
  if (!any) throw new Error(`bandNoise: band [${o.low}, ${o.high}) holds no DFT bin at ${o.h}×${o.w}`);
  return scaleToNorm(out, o.norm);
}

export interface FourierBasisOptions { h: number; w: number; u: number; v: number; norm: number; phase?: number; channels?: number }

/**
 * The real Fourier basis image cos(2π(u·x/w + v·y/h) + phase) for integer (u, v) (bins,
 * as in Yin et al.'s heat maps), repeated over channels and scaled to L2 norm `norm`.
 */
export function fourierBasis(o: FourierBasisOptions): Float32Array {
  const c = o.channels ?? 1, out = new Float32Array(o.h * o.w * c);
  for (let y = 0; y < o.h; y++) for (let x = 0; x < o.w; x++) {
    const val = Math.cos(2 * Math.PI * ((o.u * x) / o.w + (o.v * y) / o.h) + (o.phase ?? 0));
    for (let ch = 0; ch < c; ch++) out[(y * o.w + x) * c + ch] = val;
  }
  return scaleToNorm(out, o.norm);
}

/**
 * The image (h×w×channels, HWC) with only its DFT bins in the radial band [low, high) kept.
 * low = 0 is a low-pass filter with cut-off `high`; a high-pass filter with cut-off `low` takes
 * high = Infinity (the mean, r = 0, goes with the low frequencies).
 */
export function bandFilter(img: ArrayLike<number>, h: number, w: number, low: number, high: number, channels = 1): Float32Array {
  if (!(low >= 0 && high > low)) throw new Error(`bandFilter: need 0 ≤ low < high, got [${low}, ${high})`);
  const c = channels, n = h * w, out = new Float32Array(n * c);
  for (let ch = 0; ch < c; ch++) {
    const re = new Float64Array(n), im = new Float64Array(n);
    for (let i = 0; i < n; i++) re[i] = img[i * c + ch]!;
    fft2(re, im, h, w);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      const r = Math.hypot(binFreq(x, w), binFreq(y, h));
      if (r < low || r >= high) { re[y * w + x] = 0; im[y * w + x] = 0; }
    }
    fft2(re, im, h, w, true);
    for (let i = 0; i < n; i++) out[i * c + ch] = re[i]!;
  }
  return out;
}

/** Adds noise to a batch of images (n×h×w×c, HWC), clipping to [lo, hi]. Returns a new array. */
export function addNoise(images: Float32Array, noise: (i: number) => Float32Array, n: number, lo = 0, hi = 1): Float32Array {
  const out = new Float32Array(images.length), sz = images.length / n;
  for (let i = 0; i < n; i++) {
    const z = noise(i);
    if (z.length !== sz) throw new Error(`addNoise: noise has ${z.length} values, image has ${sz}`);
    for (let j = 0; j < sz; j++) out[i * sz + j] = Math.min(hi, Math.max(lo, images[i * sz + j]! + z[j]!));
  }
  return out;
}
