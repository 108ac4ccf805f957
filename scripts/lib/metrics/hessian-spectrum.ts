/**
 * The Hessian's spectrum beyond its largest eigenvalue, from Hessian-vector products only:
 * Lanczos with full reorthogonalisation for the top-k eigenvalues, and stochastic Lanczos quadrature
 * (SLQ; Ghorbani, Krishnan & Xiao 2019, ICML, arXiv:1901.10159, §2; PyHessian's `density`) for the
 * spectral density, whose mass below zero is the share of negative eigenvalues.
 *
 *   const hvp = averagedHvp(batches.map((b) => (v) => modelHvp(b, v)));   // H of the mean loss over 20 batches
 *   const { top } = await lanczosTop(hvp, dim, 5, { steps: 40, seed: 0 });  // λ1 ≥ … ≥ λ5
 *   const s = await slq(hvp, dim, { steps: 60, probes: 8, seed: 1 });
 *   negativeMass(s, -0.01 * top[0]);  spectralDensity(s, grid, sigma);
 *
 * SLQ: for a probe v (unit Rademacher), m Lanczos steps give T = V diag(θ) Vᵀ; the nodes θ_j with
 * weights (V_0j)² are an m-point Gauss quadrature of vᵀ f(H) v, whose mean over probes estimates
 * tr f(H) / n. With f = 1[λ < c] it is the fraction of eigenvalues below c.
 */
import { dot, gaussian, norm, type Hvp } from './hessian';

/** Eigen-decomposition of a small symmetric matrix by cyclic Jacobi: ascending values, vectors[k] the k-th unit eigenvector. */
export function symmetricEigen(A: readonly (readonly number[])[]): { values: number[]; vectors: number[][] } {
  const n = A.length;
  const a = A.map((r) => Float64Array.from(r));
  const V = Array.from({ length: n }, (_, i) => Float64Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p]![q]! ** 2;
    if (off < 1e-24) break;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) {
      const apq = a[p]![q]!;
      if (Math.abs(apq) < 1e-300) continue;
      const theta = (a[q]![q]! - a[p]![p]!) / (2 * apq);
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(t * t + 1), s = t * c;
      for (let k = 0; k < n; k++) { const akp = a[k]![p]!, akq = a[k]![q]!; a[k]![p] = c * akp - s * akq; a[k]![q] = s * akp + c * akq; }
      for (let k = 0; k < n; k++) { const apk = a[p]![k]!, aqk = a[q]![k]!; a[p]![k] = c * apk - s * aqk; a[q]![k] = s * apk + c * aqk; }
      for (let k = 0; k < n; k++) { const vkp = V[k]![p]!, vkq = V[k]![q]!; V[k]![p] = c * vkp - s * vkq; V[k]![q] = s * vkp + c * vkq; }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[i]![i]! - a[j]![j]!);
  return { values: order.map((i) => a[i]![i]!), vectors: order.map((i) => Array.from({ length: n }, (_, k) => V[k]![i]!)) };
}

/** The Hessian of the mean loss over several batches: H v = mean_b H_b v (one HVP per batch). */
export function averagedHvp(hvps: readonly Hvp[]): Hvp {
  if (hvps.length === 0) throw new Error('averagedHvp: no batches');
  return async (v) => {
    const out = new Float64Array(v.length);
    for (const h of hvps) { const hv = await h(v); for (let i = 0; i < v.length; i++) out[i]! += hv[i]! / hvps.length; }
    return out;
  };
}

/**
 * Lanczos from the unit vector v0 for up to `steps` steps, every new vector reorthogonalised against all
 * earlier ones (twice: classical Gram–Schmidt loses orthogonality once a Ritz value converges). Stops early
 * on an invariant subspace. Returns the tridiagonal T's diagonal and off-diagonal.
 */
export async function lanczos(hvp: Hvp, v0: Float64Array, steps: number): Promise<{ alpha: number[]; beta: number[] }> {
  const dim = v0.length, m = Math.min(steps, dim);
  const Q: Float64Array[] = [Float64Array.from(v0)];
  const alpha: number[] = [], beta: number[] = [];
  for (let j = 0; j < m; j++) {
    const q = Q[j]!;
    const w = Float64Array.from(await hvp(q));
    const a = dot(w, q);
    alpha.push(a);
    if (j === m - 1) break;
    for (let i = 0; i < dim; i++) w[i]! -= a * q[i]! + (j > 0 ? beta[j - 1]! * Q[j - 1]![i]! : 0);
    for (let pass = 0; pass < 2; pass++) for (const b of Q) { const c = dot(w, b); for (let i = 0; i < dim; i++) w[i]! -= c * b[i]!; }
    const b = norm(w);
    if (b < 1e-10 * Math.max(1, Math.abs(a))) break;
    beta.push(b);
    for (let i = 0; i < dim; i++) w[i]! /= b;
    Q.push(w);
  }
  return { alpha, beta: beta.slice(0, alpha.length - 1) };
}

const tridiagonal = (alpha: readonly number[], beta: readonly number[]): number[][] =>
  alpha.map((a, i) => alpha.map((_, j) => (i === j ? a : Math.abs(i - j) === 1 ? beta[Math.min(i, j)]! : 0)));

function unitGaussian(dim: number, seed: number): Float64Array {
  const g = gaussian(seed), v = Float64Array.from({ length: dim }, () => g());
  const n = norm(v);
  for (let i = 0; i < dim; i++) v[i]! /= n;
  return v;
}

/**
 * The k largest (algebraic) eigenvalues as Ritz values of `steps` Lanczos steps from a seeded Gaussian
 * start, descending, with the smallest Ritz value (the most negative end). Extreme eigenvalues converge
 * first; `steps` of 3–4 × k is usually enough for well-separated top eigenvalues.
 */
export async function lanczosTop(hvp: Hvp, dim: number, k: number, o: { steps: number; seed: number }): Promise<{ top: number[]; min: number; steps: number }> {
  const { alpha, beta } = await lanczos(hvp, unitGaussian(dim, o.seed), Math.max(o.steps, k));
  const { values } = symmetricEigen(tridiagonal(alpha, beta));
  return { top: values.slice().reverse().slice(0, k), min: values[0]!, steps: alpha.length };
}

/** Per probe: Gauss quadrature nodes (Ritz values) and weights (summing to 1). */
export interface SlqResult { nodes: number[][]; weights: number[][] }

/** Stochastic Lanczos quadrature with `probes` unit Rademacher probes of `steps` Lanczos steps each. */
export async function slq(hvp: Hvp, dim: number, o: { steps: number; probes: number; seed: number }): Promise<SlqResult> {
  const nodes: number[][] = [], weights: number[][] = [];
  for (let p = 0; p < o.probes; p++) {
    const g = gaussian(o.seed * 7919 + p), s = 1 / Math.sqrt(dim);
    const v = Float64Array.from({ length: dim }, () => (g() < 0 ? -s : s));
    const { alpha, beta } = await lanczos(hvp, v, o.steps);
    const { values, vectors } = symmetricEigen(tridiagonal(alpha, beta));
    nodes.push(values);
    weights.push(vectors.map((u) => u[0]! ** 2));
  }
  return { nodes, weights };
}

/** Estimated fraction of eigenvalues below `below` (default 0): mean over probes of the weights of nodes < below. */
export function negativeMass(s: SlqResult, below = 0): number {
  if (s.nodes.length === 0) return NaN;
  let sum = 0;
  s.nodes.forEach((ns, p) => ns.forEach((t, j) => { if (t < below) sum += s.weights[p]![j]!; }));
  return sum / s.nodes.length;
}

/** Spectral density on `grid`: each node a Gaussian of width sigma with its weight, averaged over probes (integrates to ≈ 1). */
export function spectralDensity(s: SlqResult, grid: readonly number[], sigma: number): number[] {
  const c = 1 / (sigma * Math.sqrt(2 * Math.PI) * s.nodes.length);
  return grid.map((x) => {
    let d = 0;
    s.nodes.forEach((ns, p) => ns.forEach((t, j) => { d += s.weights[p]![j]! * Math.exp(-(((x - t) / sigma) ** 2) / 2); }));
    return d * c;
  });
}
