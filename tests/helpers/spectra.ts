// Symmetric matrices with a known spectrum, for the Hessian and spectrum tests.
import { gaussian } from '../../scripts/lib/metrics/hessian';

export const matVec = (A: number[][]) => (v: Float64Array) => Float64Array.from(A.map((row) => row.reduce((s, a, j) => s + a * v[j]!, 0)));

/** Q diag(eigs) Qᵀ with a seeded random orthogonal Q (Gram–Schmidt on Gaussian vectors). */
export function withEigenvalues(eigs: number[], seed: number): number[][] {
  const n = eigs.length, g = gaussian(seed);
  const Q: number[][] = [];
  for (let i = 0; i < n; i++) {
    let v = Array.from({ length: n }, () => g());
    for (const q of Q) { const c = v.reduce((s, x, k) => s + x * q[k]!, 0); v = v.map((x, k) => x - c * q[k]!); }
    const nv = Math.hypot(...v);
    Q.push(v.map((x) => x / nv));
  }
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => eigs.reduce((s, e, k) => s + Q[k]![i]! * e * Q[k]![j]!, 0)));
}
