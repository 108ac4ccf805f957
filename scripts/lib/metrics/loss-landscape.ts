/**
 * Loss-landscape geometry — Li et al. 2018, "Visualizing the Loss Landscape of Neural Nets",
 * NeurIPS, arXiv 1712.09913 (official code: tomgoldstein/loss-landscape, `net_plotter.py`).
 *
 *   const d = randomDirection(params, gaussian(seed));   // filter-normalised, biases/norms zeroed
 *   const s: Surface = { xs, ys, loss };                  // loss[iy][ix] = L(θ* + xs[ix]·d1 + ys[iy]·d2)
 *   meanRise(s, 0.5); negativeCurvatureFraction(s, 0.5); slices(s);
 *
 * Filter normalisation (§4): each filter d_{i,j} of a Gaussian direction is rescaled to the norm
 * of the matching filter θ_{i,j}, so a unit step moves every filter by its own size and
 * surfaces of different networks can be compared. Parameters with ≤ 1 dimension (biases,
 * BatchNorm/LayerNorm scales and shifts) get a zero direction ("ignore biasbn" in their code).
 *
 * Layout: our kernels are NHWC/HWIO ([kh, kw, in, out]) and dense weights [in, out], so a filter
 * (one output unit, PyTorch's first axis) is a slice along the LAST axis here. Position and class
 * embeddings ([1, N, D]) and relative-position tables ([(2w−1)², heads]) follow the same rule.
 */

export interface ParamSpec {
  path: string;
  shape: readonly number[];
}

/** Per-filter Euclidean norms of x with `shape`, filters along the last axis. */
export function filterNorms(x: ArrayLike<number>, shape: readonly number[]): Float64Array {
  const f = shape[shape.length - 1] ?? 1;
  const out = new Float64Array(f);
  for (let i = 0; i < x.length; i++) out[i % f]! += x[i]! * x[i]!;
  for (let j = 0; j < f; j++) out[j] = Math.sqrt(out[j]!);
  return out;
}

/** d_j ← d_j · ‖w_j‖ / (‖d_j‖ + 1e−10) for every filter j (rank ≥ 2); rank ≤ 1 → zeros. */
export function filterNormalize(d: ArrayLike<number>, w: ArrayLike<number>, shape: readonly number[]): Float32Array {
  if (d.length !== w.length) throw new Error(`filterNormalize: direction has ${d.length} entries, weights ${w.length}`);
  const out = new Float32Array(d.length);
  if (shape.length <= 1) return out; // biases and normalisation parameters: no movement
  const f = shape[shape.length - 1]!;
  const dn = filterNorms(d, shape), wn = filterNorms(w, shape);
  for (let i = 0; i < d.length; i++) out[i] = d[i]! * (wn[i % f]! / (dn[i % f]! + 1e-10));
  return out;
}

/** A random filter-normalised direction, one array per parameter (same order as `weights`). */
export function randomDirection(params: readonly ParamSpec[], weights: readonly ArrayLike<number>[], normal: () => number): Float32Array[] {
  return params.map((p, k) => {
    const w = weights[k]!;
    const g = new Float32Array(w.length);
    for (let i = 0; i < g.length; i++) g[i] = normal(); // draw for every parameter, so seeds line up
    return filterNormalize(g, w, p.shape);
  });
}

/** n points from lo to hi inclusive; an odd n puts 0 exactly at the centre of [−r, r]. */
export function linspace(lo: number, hi: number, n: number): number[] {
  if (n < 2) return [lo];
  return Array.from({ length: n }, (_, i) => (i === (n - 1) / 2 && lo === -hi ? 0 : lo + ((hi - lo) * i) / (n - 1)));
}

/** A sampled 2D surface: loss[iy][ix] at (xs[ix], ys[iy]); both axes odd-sized, centred on 0. */
export interface Surface {
  xs: number[];
  ys: number[];
  loss: number[][];
}

export function centreIndex(s: Surface): { ix: number; iy: number } {
  const ix = s.xs.findIndex((x) => x === 0), iy = s.ys.findIndex((y) => y === 0);
  if (ix < 0 || iy < 0) throw new Error('surface grid has no (0, 0) point: use an odd number of points on a symmetric range');
  return { ix, iy };
}

/** Loss at the trained weights (the grid centre). */
export function centreLoss(s: Surface): number {
  const { ix, iy } = centreIndex(s);
  return s.loss[iy]![ix]!;
}

/** The two 1D slices through the centre: along d1 (β = 0) and along d2 (α = 0). */
export function slices(s: Surface): { x: { t: number; loss: number }[]; y: { t: number; loss: number }[] } {
  const { ix, iy } = centreIndex(s);
  return {
    x: s.xs.map((t, i) => ({ t, loss: s.loss[iy]![i]! })),
    y: s.ys.map((t, j) => ({ t, loss: s.loss[j]![ix]! })),
  };
}

/** Mean of L(α, β) − L(0, 0) over grid points with 0 < √(α² + β²) ≤ radius: a sharpness. */
export function meanRise(s: Surface, radius: number): number {
  const c = centreLoss(s);
  let sum = 0, n = 0;
  s.ys.forEach((y, j) => s.xs.forEach((x, i) => {
    const r = Math.hypot(x, y);
    if (r > 0 && r <= radius + 1e-12) { sum += s.loss[j]![i]! - c; n++; }
  }));
  return n ? sum / n : NaN;
}

/** Second differences at an interior grid point: the 2×2 Hessian of the surface and its eigenvalues. */
export function curvatureAt(s: Surface, ix: number, iy: number): { fxx: number; fyy: number; fxy: number; min: number; max: number } {
  const L = s.loss;
  const hx = s.xs[ix + 1]! - s.xs[ix]!, hy = s.ys[iy + 1]! - s.ys[iy]!;
  const f = (i: number, j: number) => L[iy + j]![ix + i]!;
  const fxx = (f(1, 0) - 2 * f(0, 0) + f(-1, 0)) / (hx * hx);
  const fyy = (f(0, 1) - 2 * f(0, 0) + f(0, -1)) / (hy * hy);
  const fxy = (f(1, 1) - f(1, -1) - f(-1, 1) + f(-1, -1)) / (4 * hx * hy);
  const mid = (fxx + fyy) / 2, rad = Math.hypot((fxx - fyy) / 2, fxy);
  return { fxx, fyy, fxy, min: mid - rad, max: mid + rad };
}

/** Mean curvature along the two directions at the centre, (f_xx + f_yy)/2 = mean of dᵀHd. */
export function centreCurvature(s: Surface): number {
  const { ix, iy } = centreIndex(s);
  const c = curvatureAt(s, ix, iy);
  return (c.fxx + c.fyy) / 2;
}

/**
 * Share of interior grid points within `radius` of the centre where the surface's 2×2 Hessian
 * has a negative eigenvalue: how much of the drawn neighbourhood is non-convex (the 2D version
 * of Li et al.'s |λ_min/λ_max| maps, §6). `tol` ignores |λ_min| below tol·|λ_max| (rounding).
 */
export function negativeCurvatureFraction(s: Surface, radius: number, tol = 1e-3): number {
  let neg = 0, n = 0;
  for (let j = 1; j < s.ys.length - 1; j++) {
    for (let i = 1; i < s.xs.length - 1; i++) {
      if (Math.hypot(s.xs[i]!, s.ys[j]!) > radius + 1e-12) continue;
      const c = curvatureAt(s, i, j);
      n++;
      if (c.min < -tol * Math.max(Math.abs(c.max), 1e-12)) neg++;
    }
  }
  return n ? neg / n : NaN;
}

/** A 1D slice through the centre: points (t, loss) with t = 0 included. */
export type Slice = readonly { t: number; loss: number }[];

function sliceCentre(s: Slice): number {
  const c = s.find((p) => p.t === 0);
  if (!c) throw new Error('slice has no t = 0 point');
  return c.loss;
}

/** Mean of L(t) − L(0) over slice points with 0 < |t| ≤ radius (averaged over all given slices). */
export function sliceRise(slices: readonly Slice[], radius: number): number {
  let sum = 0, n = 0;
  for (const s of slices) {
    const c = sliceCentre(s);
    for (const p of s) if (p.t !== 0 && Math.abs(p.t) <= radius + 1e-12) { sum += p.loss - c; n++; }
  }
  return n ? sum / n : NaN;
}

/** Share of interior slice points with |t| ≤ radius where the second difference is negative (concave). */
export function sliceNegativeCurvatureFraction(slices: readonly Slice[], radius: number, tol = 1e-6): number {
  let neg = 0, n = 0;
  for (const s of slices) {
    for (let i = 1; i < s.length - 1; i++) {
      if (Math.abs(s[i]!.t) > radius + 1e-12) continue;
      const h = s[i + 1]!.t - s[i]!.t;
      const d2 = (s[i + 1]!.loss - 2 * s[i]!.loss + s[i - 1]!.loss) / (h * h);
      n++;
      if (d2 < -tol) neg++;
    }
  }
  return n ? neg / n : NaN;
}

/** Second difference at t = 0, averaged over the slices: the mean curvature dᵀHd along the directions. */
export function sliceCentreCurvature(slices: readonly Slice[]): number {
  const ks = slices.map((s) => {
    const i = s.findIndex((p) => p.t === 0);
    if (i < 1 || i > s.length - 2) throw new Error('slice centre must be an interior point');
    const h = s[i + 1]!.t - s[i]!.t;
    return (s[i + 1]!.loss - 2 * s[i]!.loss + s[i - 1]!.loss) / (h * h);
  });
  return ks.reduce((a, b) => a + b, 0) / ks.length;
}
