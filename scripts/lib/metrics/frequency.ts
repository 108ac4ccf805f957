/**
 * Frequency probes for claim C2 ("CNNs lean on high frequencies, ViTs on low ones").
 *
 *   radialBands(10)                               // [{ index, low, high, centre }] in cycles/pixel, 0…π
 *   bandNoiseBatch(28, 28, band, 2.8, n, seed)    // n noise images limited to one band, ‖·‖₂ = 2.8 each
 *   heatMapCells(28, 28, 2)                        // the (u, v) cells of a coarse Fourier heat map
 *   yinBasis(28, 28, u, v, 2.8)                    // Yin et al.'s real Fourier basis image at (u, v)
 *   relativeLogAmplitude(feature, [B, H, W, C])   // Park & Kim's Δ log amplitude along the diagonal
 *
 * Frequencies: a DFT bin k of n has f = k/n cycles/pixel (|f| ≤ ½); the normalised angular
 * frequency is ω = 2πf, so ω = π is the Nyquist frequency along one axis. A radial band is
 * low ≤ √(fx² + fy²) < high, as in scripts/lib/data/noise.ts, whose DFT and band noise we reuse.
 *
 * Park & Kim 2022 (ICLR, arXiv:2202.06709) Fig. 2a; method from the authors' released notebook
 * (xxxnell/how-do-vits-work, fourier_analysis.ipynb): FFT each channel, log |·|, average over
 * images and channels, shift zero frequency to the centre, read the half diagonal from the
 * centre, subtract the value at frequency 0.
 * Yin et al. 2019 (NeurIPS, arXiv:1906.08988): Fourier heat maps; basis as in their released
 * code (google-research/frequency_analysis/freq_heatmap.py, `_get_fourier_basis`): the coefficient
 * (1+i)/2 at (u, v) and its conjugate at (−u, −v), i.e. √2·cos(θ + π/4) before normalising.
 */
import { bandNoise, binFreq, fft2, fourierBasis } from '../../../models/data/noise';

export interface Band { index: number; low: number; high: number; centre: number }

/** `n` equal-width rings covering radii 0…½ cycle/pixel (ω = 0…π). */
export function radialBands(n: number): Band[] {
  if (!(Number.isInteger(n) && n > 0)) throw new Error(`radialBands: n must be a positive integer, got ${n}`);
  return Array.from({ length: n }, (_, i) => {
    const low = (0.5 * i) / n, high = (0.5 * (i + 1)) / n;
    return { index: i, low, high, centre: (low + high) / 2 };
  });
}

/** Cycles/pixel → multiples of π (ω/π = 2f). */
export const toPi = (f: number): number => 2 * f;

/** Number of DFT bins of an h×w grid that fall in [low, high). */
export function binsInBand(h: number, w: number, low: number, high: number): number {
  let c = 0;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const r = Math.hypot(binFreq(x, w), binFreq(y, h));
    if (r >= low && r < high) c++;
  }
  return c;
}

/** `n` independent band-limited noise images (h×w×1), each with L2 norm `norm`, seeded. */
export function bandNoiseBatch(h: number, w: number, band: Pick<Band, 'low' | 'high'>, norm: number, n: number, seed: number): Float32Array {
  const out = new Float32Array(n * h * w);
  for (let i = 0; i < n; i++) {
    out.set(bandNoise({ h, w, low: band.low, high: band.high, norm, seed: (seed * 1_000_003 + i * 7919) >>> 0 }), i * h * w);
  }
  return out;
}

/** One cell of a Fourier heat map: integer frequencies (u along x, v along y), in bins. */
export interface HeatCell { u: number; v: number }

/**
 * The cells of a heat map on an h×w grid, every `step` bins, with u, v ∈ [−⌊w/2⌋, ⌈w/2⌉) —
 * the centred layout of the shifted spectrum. Cells (u, v) and (−u, −v) carry the same real
 * basis image, so `unique` keeps one of each pair (the chart mirrors them back).
 */
export function heatMapCells(h: number, w: number, step: number, unique = true): HeatCell[] {
  const axis = (n: number) => {
    const lo = -Math.floor(n / 2), out: number[] = [];
    for (let k = lo; k < lo + n; k += step) out.push(k);
    return out;
  };
  const cells: HeatCell[] = [];
  const seen = new Set<string>();
  const wrap = (k: number, n: number) => ((k % n) + n) % n;
  for (const v of axis(h)) for (const u of axis(w)) {
    if (unique) {
      const key = `${wrap(u, w)},${wrap(v, h)}`, mirror = `${wrap(-u, w)},${wrap(-v, h)}`;
      if (seen.has(mirror)) continue;
      seen.add(key);
    }
    cells.push({ u, v });
  }
  return cells;
}

/** Radial frequency of a heat-map cell in cycles/pixel. */
export const cellRadius = (c: HeatCell, h: number, w: number): number => Math.hypot(c.u / w, c.v / h);

/** Yin et al.'s basis image at (u, v) with L2 norm `norm` (phase π/4; a pure cosine on self-conjugate bins). */
export function yinBasis(h: number, w: number, u: number, v: number, norm: number): Float32Array {
  return fourierBasis({ h, w, u, v, norm, phase: Math.PI / 4 });
}

/**
 * Δ log amplitude of a feature map along the half diagonal of its centred spectrum:
 * out[k] = mean_{b,c} log(|F_{b,c}(k, k)| + 1e-6) − (same at k = 0), for k = 0 … ⌈h/2⌉ − 1.
 * `feature` is [B, H, W, C] (row-major, NHWC); H must equal W (as in the notebook).
 * out[last] is the value the paper plots against depth ("1.0π").
 */
export function relativeLogAmplitude(feature: ArrayLike<number>, shape: readonly [number, number, number, number]): Float64Array {
  const [b, h, w, c] = shape;
  if (h !== w) throw new Error(`relativeLogAmplitude: needs a square map, got ${h}×${w}`);
  if (feature.length !== b * h * w * c) throw new Error(`relativeLogAmplitude: ${feature.length} values for shape [${shape}]`);
  // Half diagonal of torch.roll(x, (⌊h/2⌋, ⌊w/2⌋)): bins (k, k) for k = 0 … h − 1 − ⌊h/2⌋.
  const m = h - Math.floor(h / 2);
  const acc = new Float64Array(m);
  const re = new Float64Array(h * w), im = new Float64Array(h * w);
  for (let bi = 0; bi < b; bi++) for (let ci = 0; ci < c; ci++) {
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) re[y * w + x] = feature[((bi * h + y) * w + x) * c + ci]!;
    im.fill(0);
    fft2(re, im, h, w);
    for (let k = 0; k < m; k++) acc[k]! += Math.log(Math.hypot(re[k * w + k]!, im[k * w + k]!) + 1e-6);
  }
  const out = new Float64Array(m);
  for (let k = 0; k < m; k++) out[k] = (acc[k]! - acc[0]!) / (b * c);
  return out;
}

/**
 * Token features [B, N, C] → a square map [B, S, S, C], dropping `prefix` leading tokens (the
 * class token) as the notebook does. Throws unless N − prefix is a perfect square.
 */
export function tokensToMap(tokens: Float32Array, shape: readonly [number, number, number], prefix: number): { data: Float32Array; shape: [number, number, number, number] } {
  const [b, n, c] = shape;
  const s = Math.round(Math.sqrt(n - prefix));
  if (s * s !== n - prefix) throw new Error(`tokensToMap: ${n} tokens minus ${prefix} is not a square`);
  const data = new Float32Array(b * s * s * c);
  for (let bi = 0; bi < b; bi++) data.set(tokens.subarray((bi * n + prefix) * c, (bi * n + n) * c), bi * s * s * c);
  return { data, shape: [b, s, s, c] };
}

/**
 * A heat map folded to one dimension: the mean of `value` over the cells whose radius lies in each
 * [edges[i], edges[i+1]) (the last bin closed, so the corner cell at r = √2/2 counts). NaN for an empty bin.
 */
export function radialProfile(cells: ReadonlyArray<{ radius: number; value: number }>, edges: readonly number[]): number[] {
  return edges.slice(0, -1).map((lo, i) => {
    const hi = edges[i + 1]!, last = i === edges.length - 2;
    const xs = cells.filter((c) => c.radius >= lo && (c.radius < hi || (last && c.radius <= hi))).map((c) => c.value);
    return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;
  });
}

/** L2 norm of what was actually added to each of n images (noisy − clean), e.g. after clipping to [0, 1]. */
export function perturbationNorms(clean: ArrayLike<number>, noisy: ArrayLike<number>, n: number): number[] {
  if (clean.length !== noisy.length || clean.length % n !== 0) throw new Error(`perturbationNorms: ${clean.length} vs ${noisy.length} values for ${n} images`);
  const sz = clean.length / n;
  return Array.from({ length: n }, (_, i) => {
    let s = 0;
    for (let j = i * sz; j < (i + 1) * sz; j++) s += (noisy[j]! - clean[j]!) ** 2;
    return Math.sqrt(s);
  });
}
