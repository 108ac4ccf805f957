// Filter normalisation and surface geometry on hand-made inputs with known answers.
import { describe, expect, it } from 'vitest';
import { gaussian } from '../../scripts/lib/metrics/hessian';
import {
  centreCurvature, centreLoss, filterNormalize, filterNorms, linspace, meanRise, negativeCurvatureFraction, randomDirection,
  sliceCentreCurvature, sliceNegativeCurvatureFraction, sliceRise, slices, type Surface,
} from '../../scripts/lib/metrics/loss-landscape';

const rand = (n: number, seed: number) => { const g = gaussian(seed); return Float32Array.from({ length: n }, () => g()); };
const filter = (x: ArrayLike<number>, shape: number[], j: number) => Array.from(x).filter((_, i) => i % shape[shape.length - 1]! === j);

describe('filter normalisation (Li et al. 2018, §4)', () => {
  for (const shape of [[3, 3, 2, 4], [5, 7], [1, 50, 8], [169, 2]]) {
    it(`each direction filter has the norm of its weight filter, shape [${shape}]`, () => {
      const n = shape.reduce((a, b) => a * b, 1), f = shape[shape.length - 1]!;
      const w = rand(n, 1), d = rand(n, 2);
      const out = filterNormalize(d, w, shape);
      const on = filterNorms(out, shape), wn = filterNorms(w, shape);
      for (let j = 0; j < f; j++) expect(on[j]).toBeCloseTo(wn[j]!, 4);
      for (let j = 0; j < f; j++) { // same direction as the Gaussian filter: only its length changed
        const a = filter(out, shape, j), b = filter(d, shape, j);
        const cos = a.reduce((s, x, i) => s + x * b[i]!, 0) / (Math.hypot(...a) * Math.hypot(...b));
        expect(cos).toBeCloseTo(1, 5);
      }
    });
  }
  it('filters are slices along the last axis (HWIO kernels, [in, out] matrices)', () => {
    // w = [[3, 0], [4, 1]] as [in=2, out=2]: filter 0 = (3, 4) norm 5, filter 1 = (0, 1) norm 1.
    const out = filterNormalize([1, 2, 0, 0], [3, 0, 4, 1], [2, 2]);
    expect(Array.from(out)).toEqual([5, 1, 0, 0]);
  });
  it('biases and normalisation parameters (rank ≤ 1) get a zero direction', () => {
    expect(Array.from(filterNormalize([1, 2, 3], [4, 5, 6], [3]))).toEqual([0, 0, 0]);
    const dirs = randomDirection([{ path: 'conv.w', shape: [2, 2] }, { path: 'norm.scale', shape: [2] }], [[1, 2, 3, 4], [1, 1]], gaussian(3));
    expect(Array.from(dirs[1]!)).toEqual([0, 0]);
    expect(filterNorms(dirs[0]!, [2, 2])[0]).toBeCloseTo(Math.hypot(1, 3), 5);
  });
  it('a seeded direction is reproducible', () => {
    const spec = [{ path: 'a', shape: [3, 4] }];
    const w = [rand(12, 5)];
    expect(randomDirection(spec, w, gaussian(7))).toEqual(randomDirection(spec, w, gaussian(7)));
  });
});

function surface(f: (x: number, y: number) => number, n = 21, r = 1): Surface {
  const xs = linspace(-r, r, n), ys = linspace(-r, r, n);
  return { xs, ys, loss: ys.map((y) => xs.map((x) => f(x, y))) };
}

describe('surfaces with known geometry', () => {
  it('an odd grid over [-1, 1] has (0, 0) exactly at its centre', () => {
    const g = linspace(-1, 1, 21);
    expect(g[10]).toBe(0);
    expect(g[0]).toBe(-1);
    expect(g[20]).toBe(1);
    expect(g[11]).toBeCloseTo(0.1, 12);
  });
  it('bowl x² + 2y²: centre 0, curvature 3, no negative curvature', () => {
    const s = surface((x, y) => x * x + 2 * y * y + 1.5);
    expect(centreLoss(s)).toBe(1.5);
    expect(centreCurvature(s)).toBeCloseTo(3, 8);
    expect(negativeCurvatureFraction(s, 1)).toBe(0);
  });
  it('saddle x² − y²: every interior point has negative curvature', () => {
    expect(negativeCurvatureFraction(surface((x, y) => x * x - y * y), 1)).toBe(1);
    expect(centreCurvature(surface((x, y) => x * x - y * y))).toBeCloseTo(0, 8);
  });
  it('half the disk is concave for cos-shaped ridge', () => {
    // f = -cos(πx): concave where |x| < 0.5, convex where |x| > 0.5 (radius 1, interior points)
    const s = surface((x) => -Math.cos(Math.PI * x));
    const f = negativeCurvatureFraction(s, 0.45);
    expect(f).toBe(0); // -cos is convex near 0 (f'' = π² cos πx > 0 for |x| < 0.5)
    expect(negativeCurvatureFraction(s, 1)).toBeGreaterThan(0);
  });
  it('mean rise within one grid step of x² + y² is the step squared', () => {
    expect(meanRise(surface((x, y) => x * x + y * y), 0.1)).toBeCloseTo(0.01, 12);
    expect(meanRise(surface(() => 3), 1)).toBe(0);
  });
  it('1D slices through the centre', () => {
    const s = surface((x, y) => x + 10 * y);
    const { x, y } = slices(s);
    expect(x.map((p) => p.loss)).toEqual(x.map((p) => p.t));
    expect(y.map((p) => p.loss)).toEqual(y.map((p) => 10 * p.t));
    const sq = slices(surface((a, b) => a * a + 4 * b * b));
    expect(sliceRise([sq.x], 0.1)).toBeCloseTo(0.01, 12);
    expect(sliceRise([sq.x, sq.y], 0.1)).toBeCloseTo((0.01 + 0.04) / 2, 12);
    expect(sliceCentreCurvature([sq.x, sq.y])).toBeCloseTo((2 + 8) / 2, 8);
    expect(sliceNegativeCurvatureFraction([sq.x, sq.y], 1)).toBe(0);
    const cap = slices(surface((a) => -a * a));
    expect(sliceNegativeCurvatureFraction([cap.x], 1)).toBe(1);
  });
});
