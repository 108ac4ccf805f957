// A seeded synthetic cue-conflict dataset: 8 shapes × 8 textures at 32×32 (Geirhos et al.
// 2019, arXiv:1811.12231, made small enough to train on a CPU).
//
//   cueConflict({ kind: 'consistent', n: 4096, seed: 0 })   // shape k filled with texture k, label k
//   cueConflict({ kind: 'conflict',   n: 560,  seed: 1 })   // shape s, texture t ≠ s (all 56 pairs)
//   cueConflict({ kind: 'shape',      n: 256,  seed: 2 })   // silhouettes: shape only
//   cueConflict({ kind: 'texture',    n: 256,  seed: 3 })   // whole-image texture patches: texture only
//
// A model trained on consistent images (where shape and texture are redundant cues) and then
// shown conflicts reveals which cue it learned: its "shape bias" = shape hits / (shape + texture hits).
// Every image draws its own scale, rotation, position, texture phase/period and (with
// `colour`) foreground/background colours, so neither cue is a pixel-exact template.
import { rng } from '../train';
import type { Data, Split } from '../train';

export const SHAPES = ['circle', 'square', 'triangle', 'cross', 'star', 'diamond', 'ring', 'ell'] as const;
export const TEXTURES = ['hstripes', 'vstripes', 'diagonal', 'checker', 'dots', 'grid', 'waves', 'noise'] as const;
export type CueKind = 'consistent' | 'conflict' | 'shape' | 'texture';

export interface CueSplit extends Split {
  kind: CueKind;
  /** Shape id per image (−1 for texture-only probes). */
  shapeLabels: Int32Array;
  /** Texture id per image (−1 for silhouettes). */
  textureLabels: Int32Array;
}

export interface CueOptions {
  kind: CueKind; n: number; seed: number; colour?: boolean; size?: number;
  /**
   * Texture period range [min, max] in px, drawn log-uniformly per image and kept off the 4-px patch
   * grid (periodOffGrid). Unset: the original 4–6.5 px, uniform (committed results depend on it).
   */
  periodRange?: readonly [number, number];
}

/** The ViT-mini patch side that a texture period should not line up with. */
export const PATCH_GRID = 4;
/** A period within this many px of a multiple of half the patch (2, 4, 6, 8, …) repeats in step with the grid. */
export const GRID_MARGIN = 0.25;
/** A wide range for periodRange: from finer than a patch to about half the image. */
export const WIDE_PERIOD_RANGE: readonly [number, number] = [2.5, 14];

/** True when p is more than GRID_MARGIN px away from every multiple of PATCH_GRID / 2. */
export function periodOffGrid(p: number, grid = PATCH_GRID, margin = GRID_MARGIN): boolean {
  const h = grid / 2;
  return Math.abs(p - h * Math.round(p / h)) > margin;
}

/** A log-uniform period in [min, max], redrawn (at most 100 times) while it lines up with the grid. */
export function drawPeriod(rand: () => number, range: readonly [number, number]): number {
  const [lo, hi] = range;
  if (!(lo > 0 && hi >= lo)) throw new Error(`cue-conflict: bad period range [${lo}, ${hi}]`);
  let p = lo;
  for (let tries = 0; tries < 100; tries++) {
    p = lo * Math.exp(Math.log(hi / lo) * rand());
    if (periodOffGrid(p)) return p;
  }
  throw new Error(`cue-conflict: no off-grid period in [${lo}, ${hi}]`);
}

// Star polygon: 5 outer points at radius 0.9, inner radius 0.38.
const STAR: Array<[number, number]> = Array.from({ length: 10 }, (_, i) => {
  const a = -Math.PI / 2 + (i * Math.PI) / 5, r = i % 2 ? 0.38 : 0.9;
  return [r * Math.cos(a), r * Math.sin(a)];
});
function inPolygon(u: number, v: number, poly: Array<[number, number]>): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i]!, [xj, yj] = poly[j]!;
    if (yi > v !== yj > v && u < ((xj - xi) * (v - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
const TRIANGLE: Array<[number, number]> = [[0, -0.85], [0.85, 0.65], [-0.85, 0.65]];

/** Is (u, v) ∈ [−1, 1]² (y down) inside shape s? */
export function insideShape(s: number, u: number, v: number): boolean {
  const r2 = u * u + v * v;
  switch (SHAPES[s]) {
    case 'circle': return r2 < 0.8 * 0.8;
    case 'square': return Math.max(Math.abs(u), Math.abs(v)) < 0.68;
    case 'triangle': return inPolygon(u, v, TRIANGLE);
    case 'cross': return (Math.abs(u) < 0.26 && Math.abs(v) < 0.85) || (Math.abs(v) < 0.26 && Math.abs(u) < 0.85);
    case 'star': return inPolygon(u, v, STAR);
    case 'diamond': return Math.abs(u) + Math.abs(v) < 0.9;
    case 'ring': return r2 < 0.85 * 0.85 && r2 > 0.45 * 0.45;
    case 'ell': return (u > -0.7 && u < -0.2 && v > -0.85 && v < 0.85) || (u > -0.7 && u < 0.7 && v > 0.35 && v < 0.85);
    default: throw new Error(`unknown shape ${s}`);
  }
}

interface TexParams { period: number; phase: number; phase2: number; angle: number; noise: Uint8Array; size: number }

/** Texture t's value in [0, 1] at pixel (x, y). */
export function textureValue(t: number, x: number, y: number, p: TexParams): number {
  // A small random rotation keeps stripes from being pixel-exact templates.
  const c = Math.cos(p.angle), s = Math.sin(p.angle);
  const xr = c * x - s * y, yr = s * x + c * y;
  const w = (2 * Math.PI) / p.period;
  const sq = (a: number) => (Math.sin(a) >= 0 ? 1 : 0);
  switch (TEXTURES[t]) {
    case 'hstripes': return sq(w * yr + p.phase);
    case 'vstripes': return sq(w * xr + p.phase);
    case 'diagonal': return sq((w * (xr + yr)) / Math.SQRT2 + p.phase);
    case 'checker': return sq(w * xr + p.phase) ^ sq(w * yr + p.phase2);
    case 'dots': {
      const fx = ((xr + (p.phase / w)) / p.period) % 1, fy = ((yr + (p.phase2 / w)) / p.period) % 1;
      const dx = (fx < 0 ? fx + 1 : fx) - 0.5, dy = (fy < 0 ? fy + 1 : fy) - 0.5;
      return dx * dx + dy * dy < 0.09 ? 1 : 0;
    }
    case 'grid': {
      const gx = Math.abs(Math.sin((w * xr) / 2 + p.phase)), gy = Math.abs(Math.sin((w * yr) / 2 + p.phase2));
      return gx < 0.3 || gy < 0.3 ? 1 : 0;
    }
    case 'waves': return sq(w * (yr + 2.2 * Math.sin((w * xr) / 2.5 + p.phase2)) + p.phase);
    case 'noise': {
      const xi = Math.min(p.size - 1, Math.max(0, Math.floor(x))) >> 1, yi = Math.min(p.size - 1, Math.max(0, Math.floor(y))) >> 1;
      return p.noise[yi * (p.size >> 1) + xi]!;
    }
    default: throw new Error(`unknown texture ${t}`);
  }
}

/** Renders one image into `out` at `off` (size² × channels floats). */
function render(out: Float32Array, off: number, shape: number, texture: number, kind: CueKind, size: number, channels: number, rand: () => number, periodRange?: readonly [number, number]): void {
  // Per-image nuisances: scale, rotation, translation; texture period/phase/angle; colours.
  const scale = 0.62 + 0.25 * rand(), rot = (rand() - 0.5) * 0.6;
  const tx = (rand() - 0.5) * 0.3, ty = (rand() - 0.5) * 0.3;
  const noise = new Uint8Array((size >> 1) * (size >> 1));
  for (let i = 0; i < noise.length; i++) noise[i] = rand() < 0.5 ? 1 : 0;
  const tp: TexParams = { period: periodRange ? drawPeriod(rand, periodRange) : 4 + 2.5 * rand(), phase: 2 * Math.PI * rand(), phase2: 2 * Math.PI * rand(), angle: (rand() - 0.5) * 0.3, noise, size };
  const grey = () => { const g = rand(); return [g, g, g]; };
  const colour = () => [rand(), rand(), rand()];
  const pick = channels === 3 ? colour : grey;
  // Texture is drawn between two colours with enough contrast to be visible.
  let lo = pick(), hi = pick();
  for (let tries = 0; tries < 20 && Math.abs(lo.reduce((a, b) => a + b) - hi.reduce((a, b) => a + b)) < 0.9; tries++) { lo = pick(); hi = pick(); }
  const bgBase = kind === 'texture' ? lo : [0.5, 0.5, 0.5].map((v) => v + (rand() - 0.5) * 0.2);
  const fill = rand() < 0.5 ? [0.1, 0.1, 0.1] : [0.9, 0.9, 0.9];
  const solid = channels === 3 ? colour() : fill;
  const cr = Math.cos(rot), sr = Math.sin(rot);
  const SS = 2; // 2×2 supersampling for anti-aliased edges
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) {
    let cover = 0;
    if (kind === 'texture') cover = 1;
    else for (let sy = 0; sy < SS; sy++) for (let sx = 0; sx < SS; sx++) {
      const px = ((x + (sx + 0.5) / SS) / size) * 2 - 1 - tx, py = ((y + (sy + 0.5) / SS) / size) * 2 - 1 - ty;
      const u = (cr * px + sr * py) / scale, v = (-sr * px + cr * py) / scale;
      if (insideShape(shape, u, v)) cover += 1 / (SS * SS);
    }
    const tv = kind === 'shape' ? 0 : textureValue(texture, x, y, tp);
    for (let ch = 0; ch < channels; ch++) {
      const fg = kind === 'shape' ? solid[ch]! : lo[ch]! + (hi[ch]! - lo[ch]!) * tv;
      out[off + (y * size + x) * channels + ch] = bgBase[ch]! * (1 - cover) + fg * cover;
    }
  }
}

export function cueConflict(o: CueOptions): CueSplit {
  const size = o.size ?? 32, channels = o.colour ? 3 : 1;
  const rand = rng((o.seed * 2654435761) ^ 0x5eed);
  const images = new Float32Array(o.n * size * size * channels);
  const labels = new Int32Array(o.n), shapeLabels = new Int32Array(o.n), textureLabels = new Int32Array(o.n);
  const K = SHAPES.length;
  for (let i = 0; i < o.n; i++) {
    // Balanced: cycle classes (and, for conflicts, all 56 ordered pairs s ≠ t).
    let s: number, t: number;
    switch (o.kind) {
      case 'consistent': s = t = i % K; break;
      case 'conflict': { const p = i % (K * (K - 1)); s = Math.floor(p / (K - 1)); t = p % (K - 1); if (t >= s) t++; break; }
      case 'shape': s = i % K; t = -1; break;
      case 'texture': s = -1; t = i % K; break;
    }
    render(images, i * size * size * channels, Math.max(0, s), Math.max(0, t), o.kind, size, channels, rand, o.periodRange);
    shapeLabels[i] = s; textureLabels[i] = t;
    labels[i] = o.kind === 'texture' ? t : s;
  }
  return { kind: o.kind, images, labels, shapeLabels, textureLabels, n: o.n, shape: [size, size, channels], numClasses: K };
}

/** Train/test splits of consistent images (shape = texture = label), distinct seeds. */
export function cueConsistentData(o: { trainN: number; testN: number; seed: number; colour?: boolean; size?: number; periodRange?: readonly [number, number] }): Data {
  return {
    train: cueConflict({ kind: 'consistent', n: o.trainN, seed: 2 * o.seed + 1, colour: o.colour, size: o.size, periodRange: o.periodRange }),
    test: cueConflict({ kind: 'consistent', n: o.testN, seed: 2 * o.seed + 2, colour: o.colour, size: o.size, periodRange: o.periodRange }),
  };
}
