// Lanczos top-k, SLQ density and its negative mass on matrices with known spectra.
import { describe, expect, it } from 'vitest';
import { gaussian } from '../../scripts/lib/metrics/hessian';
import { averagedHvp, lanczos, lanczosTop, negativeMass, slq, spectralDensity, symmetricEigen } from '../../scripts/lib/metrics/hessian-spectrum';
import { matVec, withEigenvalues } from '../helpers/spectra';

const diag = (d: readonly number[]) => (v: Float64Array) => Float64Array.from(v, (x, i) => d[i]! * x);
/** n eigenvalues: a share `neg` spread over [−2, −0.5], the rest over [0.5, 5] (evenly, so the true fraction is exact). */
function spectrum(n: number, neg: number): number[] {
  const k = Math.round(n * neg);
  return Array.from({ length: n }, (_, i) => (i < k ? -2 + (1.5 * i) / Math.max(1, k - 1) : 0.5 + (4.5 * (i - k)) / Math.max(1, n - k - 1)));
}

describe('symmetricEigen', () => {
  it('gives values and unit eigenvectors: [[2, 1], [1, 2]] → 1 along (1, −1)/√2, 3 along (1, 1)/√2', () => {
    const { values, vectors } = symmetricEigen([[2, 1], [1, 2]]);
    expect(values).toEqual([expect.closeTo(1, 12), expect.closeTo(3, 12)]);
    expect(Math.abs(vectors[0]![0]! + vectors[0]![1]!)).toBeLessThan(1e-12);
    expect(Math.abs(vectors[1]![0]! - vectors[1]![1]!)).toBeLessThan(1e-12);
  });
  it('reconstructs a random orthogonal similarity with negative eigenvalues: A = Σ λ u uᵀ', () => {
    const A = withEigenvalues([-3, -0.5, 1, 2, 7], 4);
    const { values, vectors } = symmetricEigen(A);
    expect(values).toEqual([-3, -0.5, 1, 2, 7].map((e) => expect.closeTo(e, 9)));
    for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) {
      expect(values.reduce((s, l, k) => s + l * vectors[k]![i]! * vectors[k]![j]!, 0)).toBeCloseTo(A[i]![j]!, 9);
    }
  });
});

describe('Lanczos with full reorthogonalisation', () => {
  it('n steps on an n×n matrix give every eigenvalue', async () => {
    const eigs = [-4, -1, 0.2, 0.3, 0.31, 1, 2, 3, 5, 8, 8.01, 12];
    const { alpha, beta } = await lanczos(matVec(withEigenvalues(eigs, 7)), Float64Array.from({ length: 12 }, (_, i) => (i === 0 ? 1 : 0)), 12);
    const T = alpha.map((a, i) => alpha.map((_, j) => (i === j ? a : Math.abs(i - j) === 1 ? beta[Math.min(i, j)]! : 0)));
    expect(symmetricEigen(T).values).toEqual(eigs.map((e) => expect.closeTo(e, 6)));
  });
  it('top five of a 400-dim diagonal (a bulk in [−2, 5] and five outliers) in 60 steps', async () => {
    const d = [...spectrum(395, 0.3), 50, 40, 30, 20, 12];
    const r = await lanczosTop(diag(d), d.length, 5, { steps: 60, seed: 0 });
    expect(r.top).toEqual([50, 40, 30, 20, 12].map((e) => expect.closeTo(e, 6)));
    expect(r.min).toBeCloseTo(-2, 2);
  });
  it('top five of a random orthogonal similarity with negative eigenvalues', async () => {
    const g = gaussian(9);
    const eigs = [9, 7, 6, 4.5, 3.8, -6, ...Array.from({ length: 34 }, () => g() * 0.8)];
    const r = await lanczosTop(matVec(withEigenvalues(eigs, 3)), 40, 5, { steps: 40, seed: 2 });
    expect(r.top).toEqual([9, 7, 6, 4.5, 3.8].map((e) => expect.closeTo(e, 6)));
    expect(r.min).toBeCloseTo(-6, 6);
  });
});

describe('stochastic Lanczos quadrature', () => {
  it('estimates the share of negative eigenvalues: 30% → ≈ 0.30, 0% → ≈ 0, 60% → ≈ 0.60', async () => {
    for (const neg of [0.3, 0, 0.6]) {
      const s = await slq(diag(spectrum(500, neg)), 500, { steps: 30, probes: 20, seed: 1 });
      expect(Math.abs(negativeMass(s) - neg)).toBeLessThan(0.04);
    }
  });
  it('works through a random orthogonal similarity too (the basis does not matter)', async () => {
    const eigs = spectrum(60, 0.25);
    const s = await slq(matVec(withEigenvalues(eigs, 5)), 60, { steps: 25, probes: 30, seed: 3 });
    expect(Math.abs(negativeMass(s) - 0.25)).toBeLessThan(0.06);
  });
  it('weights of each probe sum to 1, and the smoothed density integrates to 1 with ≈ 30% of it below 0', async () => {
    const s = await slq(diag(spectrum(500, 0.3)), 500, { steps: 30, probes: 10, seed: 2 });
    for (const w of s.weights) expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    const dx = 0.01, grid = Array.from({ length: 1400 }, (_, i) => -4 + i * dx);
    const rho = spectralDensity(s, grid, 0.1);
    expect(rho.reduce((a, b) => a + b, 0) * dx).toBeCloseTo(1, 2);
    const below = rho.filter((_, i) => grid[i]! < 0).reduce((a, b) => a + b, 0) * dx;
    expect(Math.abs(below - 0.3)).toBeLessThan(0.05);
  });
  it('negativeMass counts below a threshold: nothing of this spectrum lies below −2.5', async () => {
    const s = await slq(diag(spectrum(200, 0.3)), 200, { steps: 20, probes: 5, seed: 4 });
    expect(negativeMass(s, -2.5)).toBeLessThan(1e-3);
  });
});

describe('averagedHvp', () => {
  it('is the HVP of the mean of the batches’ Hessians', async () => {
    const h = averagedHvp([diag([1, 2, 3]), diag([3, 0, -1])]);
    expect(Array.from(await h(Float64Array.from([1, 1, 2])))).toEqual([2, 1, 2]);
  });
});
