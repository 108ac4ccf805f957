/**
 * Hessian spectra without forming the Hessian: power iteration on Hessian-vector products,
 * as PyHessian does (Yao et al. 2020, arXiv 2012.13749; `pyhessian/hessian.py`, `eigenvalues`),
 * which is what Park & Kim (2022, ICLR, "How Do Vision Transformers Work?") used for their
 * "Hessian max eigenvalue spectra" (maintainer's note, xxxnell/how-do-vits-work issue #12).
 *
 *   const hvp = (v) => centralDifferenceHvp(grad, w, v, 1e-3);     // H·v from two gradients
 *   const [top] = await topEigenvalues(hvp, w.length, 1, { maxIter: 20, tol: 1e-3, seed: 0 });
 *   nep([top.eigenvalue, …]); ape([…]);
 *
 * What the iteration finds: v ← Hv/‖Hv‖ converges to the eigenvector of the eigenvalue of
 * LARGEST MAGNITUDE, and the Rayleigh quotient vᵀHv keeps its sign. So the "max eigenvalue"
 * is the dominant one: negative exactly when the most negative eigenvalue outweighs the most
 * positive one. That is PyHessian's definition, and the one NEP/APE below count.
 *
 * Everything here is plain numbers (no tfjs), so it is tested against hand-made matrices and
 * against the exact Hessian of a tiny model (tests/metrics/hessian.test.ts).
 */

export type Vec = Float32Array | Float64Array;
export type Hvp = (v: Float64Array) => Vec | Promise<Vec>;

export function dot(a: Vec, b: Vec): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

export function norm(a: Vec): number {
  return Math.sqrt(dot(a, a));
}

/** Seeded standard normals (mulberry32 + Box–Muller); the same seed gives the same vector. */
export function gaussian(seed: number): () => number {
  let a = seed >>> 0;
  const u = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  let spare: number | null = null;
  return () => {
    if (spare !== null) { const s = spare; spare = null; return s; }
    let r = 0, x = 0;
    do { x = u(); } while (x <= 1e-12);
    r = Math.sqrt(-2 * Math.log(x));
    const th = 2 * Math.PI * u();
    spare = r * Math.sin(th);
    return r * Math.cos(th);
  };
}

/** Gram–Schmidt against unit vectors `basis`, then normalise (PyHessian's `orthnormal`). */
export function orthonormalize(v: Float64Array, basis: readonly Float64Array[]): Float64Array {
  const out = Float64Array.from(v);
  for (const b of basis) {
    const c = dot(out, b);
    for (let i = 0; i < out.length; i++) out[i]! -= c * b[i]!;
  }
  const n = norm(out);
  if (n === 0) throw new Error('orthonormalize: vector vanished (it lies in the span of the basis)');
  for (let i = 0; i < out.length; i++) out[i]! /= n;
  return out;
}

export interface PowerOptions {
  /** Most Hessian-vector products per eigenvalue (PyHessian default 100). */
  maxIter: number;
  /** Stop when |λ_k − λ_{k−1}| / (|λ_{k−1}| + 1e−6) < tol (PyHessian default 1e−3). */
  tol: number;
  /** Seed of the random start vector. */
  seed: number;
}

export interface PowerResult {
  /** Rayleigh quotient vᵀHv at the last iterate: the dominant eigenvalue, with its sign. */
  eigenvalue: number;
  vector: Float64Array;
  iterations: number;
  converged: boolean;
}

/**
 * Power iteration for the eigenvalue of largest magnitude of the symmetric operator `hvp`,
 * deflated against the unit vectors `found` (earlier eigenvectors), as PyHessian does.
 */
export async function powerIteration(hvp: Hvp, dim: number, opts: PowerOptions, found: readonly Float64Array[] = []): Promise<PowerResult> {
  const rand = gaussian(opts.seed);
  let v: Float64Array = new Float64Array(dim);
  for (let i = 0; i < dim; i++) v[i] = rand();
  v = orthonormalize(v, []);
  let eigenvalue: number | null = null;
  for (let it = 1; it <= opts.maxIter; it++) {
    v = orthonormalize(v, found);
    const hv = await hvp(v);
    const lambda = dot(hv, v);
    const n = norm(hv);
    const next = new Float64Array(dim);
    if (n > 0) for (let i = 0; i < dim; i++) next[i] = hv[i]! / n;
    const prev = eigenvalue;
    eigenvalue = lambda;
    if (n === 0) return { eigenvalue: 0, vector: v, iterations: it, converged: true };
    v = next;
    if (prev !== null && Math.abs(prev - lambda) / (Math.abs(prev) + 1e-6) < opts.tol) {
      return { eigenvalue: lambda, vector: v, iterations: it, converged: true };
    }
  }
  return { eigenvalue: eigenvalue ?? 0, vector: v, iterations: opts.maxIter, converged: false };
}

/** The top-k eigenvalues by magnitude, each by deflated power iteration (PyHessian `top_n`). */
export async function topEigenvalues(hvp: Hvp, dim: number, k: number, opts: PowerOptions): Promise<PowerResult[]> {
  const out: PowerResult[] = [];
  for (let j = 0; j < k; j++) {
    out.push(await powerIteration(hvp, dim, { ...opts, seed: opts.seed + 7919 * j }, out.map((r) => r.vector)));
  }
  return out;
}

/**
 * H·v ≈ (∇L(w + εv) − ∇L(w − εv)) / 2ε: two gradients, error O(ε²) from third derivatives
 * plus O(δ/ε) from rounding δ in the gradients; ε ≈ 1e−3 balances them for float32 gradients
 * of unit-norm v (checked against the exact Hessian in the tests).
 */
export async function centralDifferenceHvp(grad: (w: Float32Array) => Vec | Promise<Vec>, w: Float32Array, v: Vec, eps: number): Promise<Float64Array> {
  const plus = new Float32Array(w.length), minus = new Float32Array(w.length);
  for (let i = 0; i < w.length; i++) { plus[i] = w[i]! + eps * v[i]!; minus[i] = w[i]! - eps * v[i]!; }
  const gp = await grad(plus);
  const gm = await grad(minus);
  const out = new Float64Array(w.length);
  for (let i = 0; i < w.length; i++) out[i] = (gp[i]! - gm[i]!) / (2 * eps);
  return out;
}

/**
 * Both ends of the spectrum from k Lanczos steps (with full reorthogonalisation): the extreme
 * Ritz values of the k×k tridiagonal matrix. Power iteration only ever reports the eigenvalue of
 * largest magnitude; Lanczos also finds the most negative one when it is much smaller than the
 * largest positive one (PyHessian uses the same recurrence for its spectral density).
 */
export async function lanczosExtremes(hvp: Hvp, dim: number, k: number, seed: number): Promise<{ min: number; max: number; steps: number }> {
  const rand = gaussian(seed);
  let q: Float64Array = new Float64Array(dim);
  for (let i = 0; i < dim; i++) q[i] = rand();
  q = orthonormalize(q, []);
  const Q: Float64Array[] = [q];
  const alpha: number[] = [], beta: number[] = [];
  for (let j = 0; j < Math.min(k, dim); j++) {
    const w = Float64Array.from(await hvp(Q[j]!));
    const a = dot(w, Q[j]!);
    alpha.push(a);
    for (let i = 0; i < dim; i++) w[i]! -= a * Q[j]![i]! + (j > 0 ? beta[j - 1]! * Q[j - 1]![i]! : 0);
    for (let pass = 0; pass < 2; pass++) for (const b of Q) { const c = dot(w, b); for (let i = 0; i < dim; i++) w[i]! -= c * b[i]!; }
    const b = norm(w);
    if (j === Math.min(k, dim) - 1 || b < 1e-10 * Math.max(1, Math.abs(a))) break;
    beta.push(b);
    for (let i = 0; i < dim; i++) w[i]! /= b;
    Q.push(w);
  }
  const n = alpha.length;
  const T = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? alpha[i]! : Math.abs(i - j) === 1 ? beta[Math.min(i, j)]! : 0)));
  const ev = symmetricEigenvalues(T);
  return { min: ev[0]!, max: ev[n - 1]!, steps: n };
}

/** NEP, negative eigenvalue proportion: the share of (dominant) eigenvalues below zero. */
export function nep(eigs: readonly number[]): number {
  if (eigs.length === 0) return NaN;
  return eigs.filter((e) => e < 0).length / eigs.length;
}

/** APE, average positive eigenvalue: the mean of the eigenvalues above zero (NaN if none). */
export function ape(eigs: readonly number[]): number {
  const pos = eigs.filter((e) => e > 0);
  return pos.length ? pos.reduce((a, b) => a + b, 0) / pos.length : NaN;
}

/** Mean and 95% t-interval over seeds, over the finite values (one value: a zero-width interval). */
export { meanCi95Finite as meanCi95 } from './seed-stats';

/** Eigenvalues of a small symmetric matrix by cyclic Jacobi rotations (ascending). */
export function symmetricEigenvalues(A: readonly (readonly number[])[]): number[] {
  const n = A.length;
  const a = A.map((r) => Float64Array.from(r));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p]![q]! ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p]![q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q]![q]! - a[p]![p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k]![p]!, akq = a[k]![q]!;
          a[k]![p] = c * akp - s * akq;
          a[k]![q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p]![k]!, aqk = a[q]![k]!;
          a[p]![k] = c * apk - s * aqk;
          a[q]![k] = s * apk + c * aqk;
        }
      }
    }
  }
  return a.map((r, i) => r[i]!).sort((x, y) => x - y);
}

/** Exact-to-O(h²) Hessian from an analytic gradient: column j = (g(w + h e_j) − g(w − h e_j)) / 2h, symmetrised. */
export function finiteDifferenceHessian(grad: (w: Float64Array) => Float64Array, w: Float64Array, h = 1e-5): number[][] {
  const n = w.length;
  const H = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let j = 0; j < n; j++) {
    const p = Float64Array.from(w), m = Float64Array.from(w);
    p[j]! += h; m[j]! -= h;
    const gp = grad(p), gm = grad(m);
    for (let i = 0; i < n; i++) H[i]![j] = (gp[i]! - gm[i]!) / (2 * h);
  }
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) { const s = (H[i]![j]! + H[j]![i]!) / 2; H[i]![j] = s; H[j]![i] = s; }
  return H;
}
