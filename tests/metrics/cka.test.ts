import { describe, expect, it } from 'vitest';
import { addBatch, ckaMatrix, gram, hsicAccumulator, hsicBiased, hsicUnbiased, linearCka, minibatchCka, minibatchCkaMatrix } from '../../scripts/lib/metrics/cka';

/** Seeded normal samples (Box–Muller on mulberry32). */
function randn(n: number, seed: number): Float64Array {
  let a = seed >>> 0;
  const u = () => { a = (a + 0x6d2b79f5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296; };
  return Float64Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()));
}
/** X [n, d] times a d×d matrix Q. */
function matmul(X: Float64Array, n: number, d: number, Q: Float64Array, e: number): Float64Array {
  const Y = new Float64Array(n * e);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) for (let j = 0; j < e; j++) Y[i * e + j]! += X[i * d + k]! * Q[k * e + j]!;
  return Y;
}
/** A random orthogonal d×d matrix (Gram–Schmidt on a Gaussian matrix). */
function orthogonal(d: number, seed: number): Float64Array {
  const A = randn(d * d, seed);
  const cols: Float64Array[] = [];
  for (let c = 0; c < d; c++) {
    const v = Float64Array.from({ length: d }, (_, r) => A[r * d + c]!);
    for (const u of cols) { const p = v.reduce((s, x, i) => s + x * u[i]!, 0); v.forEach((_, i) => (v[i]! -= p * u[i]!)); }
    const norm = Math.hypot(...v); v.forEach((_, i) => (v[i]! /= norm));
    cols.push(v);
  }
  return Float64Array.from({ length: d * d }, (_, k) => cols[k % d]![Math.floor(k / d)]!);
}

const n = 24, d = 6;
const X = randn(n * d, 1), Y = randn(n * 3, 2);

describe('linear CKA', () => {
  for (const est of ['biased', 'unbiased'] as const) {
    it(`${est}: identical representations give 1`, () => {
      const K = gram(X, n, d);
      expect(linearCka(K, K, n, est)).toBeCloseTo(1, 12);
    });
    it(`${est}: invariant to an orthogonal transform and to isotropic scaling`, () => {
      const Q = orthogonal(d, 7);
      // Q really is orthogonal.
      const QtQ = matmul(Float64Array.from({ length: d * d }, (_, k) => Q[(k % d) * d + Math.floor(k / d)]!), d, d, Q, d);
      QtQ.forEach((v, k) => expect(v).toBeCloseTo(k % (d + 1) === 0 ? 1 : 0, 10));
      const K = gram(X, n, d), L = gram(Y, n, 3);
      const XQ = gram(matmul(X, n, d, Q, d), n, d);
      const X5 = gram(X.map((v) => 5 * v), n, d);
      const base = linearCka(K, L, n, est);
      expect(linearCka(XQ, L, n, est)).toBeCloseTo(base, 10);
      expect(linearCka(X5, L, n, est)).toBeCloseTo(base, 10);
      expect(linearCka(K, XQ, n, est)).toBeCloseTo(1, 10);
    });
    it(`${est}: symmetric and unaffected by a constant offset of the features`, () => {
      const K = gram(X, n, d), L = gram(Y, n, 3);
      expect(linearCka(K, L, n, est)).toBeCloseTo(linearCka(L, K, n, est), 12);
      expect(linearCka(gram(X.map((v) => v + 3), n, d), L, n, est)).toBeCloseTo(linearCka(K, L, n, est), 9);
    });
  }

  it('biased: one feature each gives the squared Pearson correlation (known example)', () => {
    // x = 1..4, y = x²: centred x·y = 25, |x|² = 5, |y|² = 129 → r² = 625/645.
    const x = [1, 2, 3, 4], y = [1, 4, 9, 16];
    expect(linearCka(gram(x, 4, 1), gram(y, 4, 1), 4, 'biased')).toBeCloseTo(625 / 645, 12);
    // Unrelated and anti-related features.
    expect(linearCka(gram([1, -1, 1, -1], 4, 1), gram([1, 1, -1, -1], 4, 1), 4, 'biased')).toBeCloseTo(0, 12);
    expect(linearCka(gram(x, 4, 1), gram(x.map((v) => -v), 4, 1), 4, 'biased')).toBeCloseTo(1, 12);
  });

  it('biased HSIC matches the explicit tr(KHLH)/(n−1)² on a tiny example', () => {
    const K = [2, 1, 0, 1, 3, 1, 0, 1, 4], L = [1, 0, 0, 0, 1, 0, 0, 0, 1];
    // H = I − 1/3; tr(KHLH) = tr(HKH) for L = I; tr(HKH) = tr(K) − 1ᵀK1/3 = 9 − 13/3.
    expect(hsicBiased(K, L, 3)).toBeCloseTo((9 - 13 / 3) / 4, 12);
  });

  it('unbiased HSIC is near 0 for independent wide features where the biased one is not', () => {
    const m = 40, wide = 400;
    const A = gram(randn(m * wide, 11), m, wide), B = gram(randn(m * wide, 12), m, wide);
    expect(Math.abs(linearCka(A, B, m, 'unbiased'))).toBeLessThan(0.1);
    expect(linearCka(A, B, m, 'biased')).toBeGreaterThan(0.5);
    expect(hsicUnbiased(A, A, m)).toBeGreaterThan(0);
  });

  it('ckaMatrix gives every pair, with 1 on the diagonal against itself', () => {
    const Ks = [gram(X, n, d), gram(Y, n, 3)];
    const M = ckaMatrix(Ks, Ks, n);
    expect(M[0]![0]).toBeCloseTo(1, 12);
    expect(M[1]![1]).toBeCloseTo(1, 12);
    expect(M[0]![1]).toBeCloseTo(M[1]![0]!, 12);
    expect(M[0]![1]).toBeCloseTo(linearCka(Ks[0]!, Ks[1]!, n), 12);
  });
});

/** Rows `idx` of X [n, d]. */
const rows = (X: Float64Array, d: number, idx: readonly number[]) => Float64Array.from(idx.flatMap((i) => Array.from(X.subarray(i * d, (i + 1) * d))));
/** Every k-subset of 0…n−1. */
function subsets(n: number, k: number): number[][] {
  if (k === 0) return [[]];
  if (n < k) return [];
  return [...subsets(n - 1, k), ...subsets(n - 1, k - 1).map((s) => [...s, n - 1])];
}
/** Consecutive batches of size m over n rows. */
const consecutive = (n: number, m: number) => Array.from({ length: n / m }, (_, b) => Array.from({ length: m }, (_, i) => b * m + i));

describe('minibatch CKA', () => {
  it('one batch is the unbiased CKA of that batch', () => {
    const K = gram(X, n, d), L = gram(Y, n, 3);
    expect(minibatchCka([[K, L, n]])).toBeCloseTo(linearCka(K, L, n, 'unbiased'), 12);
    expect(minibatchCka([[K, L, n]])).not.toBeCloseTo(linearCka(K, L, n, 'biased'), 3);
  });

  it('over every 4-example batch it equals the full-batch unbiased CKA exactly (HSIC₁ is a U-statistic)', () => {
    const m = 7, all = subsets(m, 4);
    expect(all).toHaveLength(35);
    const Xs = X.subarray(0, m * d), Ys = Y.subarray(0, m * 3);
    const batches = all.map((idx) => [gram(rows(Xs, d, idx), 4, d), gram(rows(Ys, 3, idx), 4, 3), 4] as const);
    const hsicMean = batches.reduce((s, [K, L]) => s + hsicUnbiased(K, L, 4), 0) / batches.length;
    expect(hsicMean).toBeCloseTo(hsicUnbiased(gram(Xs, m, d), gram(Ys, m, 3), m), 10);
    expect(minibatchCka(batches)).toBeCloseTo(linearCka(gram(Xs, m, d), gram(Ys, m, 3), m, 'unbiased'), 10);
    // A single batch differs: the average is what matches.
    expect(Math.abs(linearCka(batches[0]![0], batches[0]![1], 4) - linearCka(gram(Xs, m, d), gram(Ys, m, 3), m))).toBeGreaterThan(1e-3);
  });

  it('is 1 for identical representations and invariant to an orthogonal transform and isotropic scaling', () => {
    const Q = orthogonal(d, 7);
    const XQ5 = matmul(X, n, d, Q, d).map((v) => 5 * v);
    const parts = consecutive(n, 8);
    const same = parts.map((idx) => [gram(rows(X, d, idx), 8, d), gram(rows(X, d, idx), 8, d), 8] as const);
    expect(minibatchCka(same)).toBeCloseTo(1, 12);
    const base = minibatchCka(parts.map((idx) => [gram(rows(X, d, idx), 8, d), gram(rows(Y, 3, idx), 8, 3), 8] as const));
    const moved = minibatchCka(parts.map((idx) => [gram(rows(XQ5, d, idx), 8, d), gram(rows(Y, 3, idx), 8, 3), 8] as const));
    expect(moved).toBeCloseTo(base, 10);
    expect(minibatchCka(parts.map((idx) => [gram(rows(X, d, idx), 8, d), gram(rows(XQ5, d, idx), 8, d), 8] as const))).toBeCloseTo(1, 10);
  });

  it('tracks the full-batch unbiased CKA of related features and stays near 0 for unrelated wide ones', () => {
    const N = 256, p = 20, q = 10;
    const A = randn(N * p, 21), W = randn(p * q, 22), noise = randn(N * q, 23);
    const B = matmul(A, N, p, W, q).map((v, k) => v + 4 * noise[k]!);
    const full = linearCka(gram(A, N, p), gram(B, N, q), N, 'unbiased');
    const mb = minibatchCka(consecutive(N, 32).map((idx) => [gram(rows(A, p, idx), 32, p), gram(rows(B, q, idx), 32, q), 32] as const));
    expect(full).toBeGreaterThan(0.2);
    expect(full).toBeLessThan(0.9);
    expect(Math.abs(mb - full)).toBeLessThan(0.05);

    const wide = 400, M = 32;
    const U = randn(8 * M * wide, 31), V = randn(8 * M * wide, 32);
    const batches = consecutive(8 * M, M).map((idx) => [gram(rows(U, wide, idx), M, wide), gram(rows(V, wide, idx), M, wide), M] as const);
    expect(Math.abs(minibatchCka(batches))).toBeLessThan(0.05);
    const biasedMean = batches.reduce((s, [K, L]) => s + linearCka(K, L, M, 'biased'), 0) / batches.length;
    expect(biasedMean).toBeGreaterThan(0.5);
  });

  it('the matrix form gives every layer pair and checks its inputs', () => {
    const parts = consecutive(n, 8);
    const acc = hsicAccumulator(2, 1);
    for (const idx of parts) addBatch(acc, [gram(rows(X, d, idx), 8, d), gram(rows(Y, 3, idx), 8, 3)], [gram(rows(Y, 3, idx), 8, 3)], 8);
    expect(acc.batches).toBe(3);
    expect(acc.examples).toBe(24);
    const M = minibatchCkaMatrix(acc);
    expect(M[1]![0]).toBeCloseTo(1, 12);
    expect(M[0]![0]).toBeCloseTo(minibatchCka(parts.map((idx) => [gram(rows(X, d, idx), 8, d), gram(rows(Y, 3, idx), 8, 3), 8] as const)), 12);
    expect(() => addBatch(acc, [gram(X, n, d)], [gram(Y, n, 3)], n)).toThrow(/layers/);
    expect(() => minibatchCkaMatrix(hsicAccumulator(1, 1))).toThrow(/no batch/);
  });
});
