// Power iteration, HVPs, NEP/APE and the exact-Hessian check on a tiny model (~20 parameters).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ape, centralDifferenceHvp, finiteDifferenceHessian, gaussian, lanczosExtremes, meanCi95, nep, powerIteration, symmetricEigenvalues, topEigenvalues,
} from '../../scripts/lib/metrics/hessian';
import { decayMask, freezeRelu, getFlat, gradFlat, modelHvp, setFlat } from '../../scripts/lib/metrics/flat-params';
import { matVec, withEigenvalues } from '../helpers/spectra';
import type { Model } from '../../models/nn/types';


describe('power iteration (PyHessian semantics)', () => {
  it('finds the dominant eigenvalue with its sign', async () => {
    const pos = await powerIteration(matVec(withEigenvalues([5, -3, 1, 0.5], 1)), 4, { maxIter: 500, tol: 1e-10, seed: 0 });
    expect(pos.eigenvalue).toBeCloseTo(5, 6);
    expect(pos.converged).toBe(true);
    const neg = await powerIteration(matVec(withEigenvalues([3, -5, 1, 0.5], 2)), 4, { maxIter: 500, tol: 1e-10, seed: 0 });
    expect(neg.eigenvalue).toBeCloseTo(-5, 6); // a negative eigenvalue of largest magnitude is what NEP counts
  });

  it('deflation gives the top-k by magnitude', async () => {
    const top = await topEigenvalues(matVec(withEigenvalues([4, -7, 2, 0.1, -1], 3)), 5, 3, { maxIter: 2000, tol: 1e-12, seed: 5 });
    expect(top.map((t) => t.eigenvalue)).toEqual([expect.closeTo(-7, 5), expect.closeTo(4, 5), expect.closeTo(2, 5)]);
  });

  it('reports non-convergence when the budget is too small', async () => {
    const r = await powerIteration(matVec(withEigenvalues([1, -0.999, 0.5], 4)), 3, { maxIter: 3, tol: 1e-12, seed: 0 });
    expect(r.converged).toBe(false);
    expect(r.iterations).toBe(3);
  });

  it('Lanczos finds both ends of the spectrum, including a negative eigenvalue hidden under a larger positive one', async () => {
    // 40 eigenvalues: a bulk in [0, 1], plus 10 and −2. Power iteration would only ever see 10.
    const g = gaussian(21);
    const eigs = [10, -2, ...Array.from({ length: 38 }, () => Math.abs(g()) % 1)];
    const A = withEigenvalues(eigs, 13);
    const r = await lanczosExtremes(matVec(A), 40, 20, 0);
    expect(r.max).toBeCloseTo(10, 6);
    expect(r.min).toBeCloseTo(-2, 3);
    const full = await lanczosExtremes(matVec(A), 40, 40, 1); // k = n: the exact extremes
    expect(full.min).toBeCloseTo(-2, 8);
    const pi = await powerIteration(matVec(A), 40, { maxIter: 200, tol: 1e-10, seed: 0 });
    expect(pi.eigenvalue).toBeCloseTo(10, 6);
  });

  it('central difference of an analytic gradient is exact on a quadratic', async () => {
    const A = withEigenvalues([2, -6, 1], 7);
    const grad = (w: Float32Array) => matVec(A)(Float64Array.from(w)); // ∇ ½wᵀAw = Aw
    const w = Float32Array.from([0.3, -1.2, 0.8]), v = Float64Array.from([0.6, 0.0, 0.8]);
    const hv = await centralDifferenceHvp(grad, w, v, 1e-2);
    const want = matVec(A)(v);
    for (let i = 0; i < 3; i++) expect(hv[i]).toBeCloseTo(want[i]!, 4);
  });
});

describe('NEP, APE and intervals on hand-made values', () => {
  it('NEP is the share of negative eigenvalues', () => {
    expect(nep([2, -1, 3, -0.5])).toBe(0.5);
    expect(nep([1, 2, 3])).toBe(0);
    expect(nep([-1])).toBe(1);
    expect(nep([])).toBeNaN();
  });
  it('APE is the mean of the positive eigenvalues', () => {
    expect(ape([2, -1, 3, -0.5])).toBe(2.5);
    expect(ape([-1, -2])).toBeNaN();
    expect(ape([0, 4])).toBe(4); // zero is neither
  });
  it('meanCi95 uses Student t over seeds', () => {
    const r = meanCi95([1, 2, 3]);
    expect(r.mean).toBe(2);
    expect(r.ci95[0]).toBeCloseTo(2 - 4.303 / Math.sqrt(3), 6);
    expect(r.ci95[1]).toBeCloseTo(2 + 4.303 / Math.sqrt(3), 6);
    expect(meanCi95([5]).ci95).toEqual([5, 5]);
  });
  it('Jacobi eigenvalues of known matrices', () => {
    expect(symmetricEigenvalues([[2, 1], [1, 2]])).toEqual([expect.closeTo(1, 12), expect.closeTo(3, 12)]);
    expect(symmetricEigenvalues(withEigenvalues([-4, 0.5, 9, 2], 11))).toEqual([-4, 0.5, 2, 9].map((e) => expect.closeTo(e, 9)));
  });
});

// A 3→3→2 tanh MLP with softmax cross-entropy: W1 [3,3], b1 [3], W2 [3,2], b2 [2] = 20 parameters.
const IN = 3, HID = 3, OUT = 2, N = 6, L2 = 0.05;
const X = [[0.5, -1.0, 0.3], [1.2, 0.4, -0.7], [-0.3, 0.8, 1.1], [0.9, -0.2, 0.0], [-1.1, -0.6, 0.4], [0.2, 1.3, -0.9]];
const Y = [0, 1, 1, 0, 1, 0];

type Act = 'tanh' | 'relu';
/** Pre-activations z = W1ᵀx + b1 for every sample (to fix a ReLU pattern at w0). */
function preActs(w: Float64Array): number[][] {
  return X.map((x) => Array.from({ length: HID }, (_, j) => x.reduce((s, xi, i) => s + xi * w[i * HID + j]!, w[IN * HID + j]!)));
}

/**
 * Analytic gradient of mean CE + (λ/2)(‖W1‖² + ‖W2‖²), float64; w = [W1, b1, W2, b2] row-major.
 * For ReLU, `pattern` fixes which units are on (the smooth piece around w0): ReLU'' = 0 there.
 */
function analyticGrad(w: Float64Array, act: Act = 'tanh', pattern?: number[][]): Float64Array {
  const W1 = (i: number, j: number) => w[i * HID + j]!, b1 = (j: number) => w[IN * HID + j]!;
  const o2 = IN * HID + HID, W2 = (j: number, k: number) => w[o2 + j * OUT + k]!, b2 = (k: number) => w[o2 + HID * OUT + k]!;
  const g = new Float64Array(w.length);
  for (let n = 0; n < N; n++) {
    const x = X[n]!;
    const z1 = Array.from({ length: HID }, (_, j) => x.reduce((s, xi, i) => s + xi * W1(i, j), b1(j)));
    const on = z1.map((zj, j) => (pattern ? pattern[n]![j]! > 0 : zj > 0) ? 1 : 0);
    const h = z1.map((zj, j) => (act === 'tanh' ? Math.tanh(zj) : zj * on[j]!));
    const z = Array.from({ length: OUT }, (_, k) => h.reduce((s, hj, j) => s + hj * W2(j, k), b2(k)));
    const m = Math.max(...z), e = z.map((zi) => Math.exp(zi - m)), S = e.reduce((a, b) => a + b, 0);
    const dz = e.map((ei, k) => ei / S - (k === Y[n] ? 1 : 0));
    for (let j = 0; j < HID; j++) for (let k = 0; k < OUT; k++) g[o2 + j * OUT + k]! += (h[j]! * dz[k]!) / N;
    for (let k = 0; k < OUT; k++) g[o2 + HID * OUT + k]! += dz[k]! / N;
    const dh = h.map((hj, j) => dz.reduce((s, d, k) => s + d * W2(j, k), 0) * (act === 'tanh' ? 1 - hj * hj : on[j]!));
    for (let i = 0; i < IN; i++) for (let j = 0; j < HID; j++) g[i * HID + j]! += (x[i]! * dh[j]!) / N;
    for (let j = 0; j < HID; j++) g[IN * HID + j]! += dh[j]! / N;
  }
  for (let i = 0; i < IN * HID; i++) g[i]! += L2 * w[i]!;
  for (let i = 0; i < HID * OUT; i++) g[o2 + i]! += L2 * w[o2 + i]!;
  return g;
}

/** The same MLP as a zoo-style tfjs Model (input [B, 1, 1, 3]). */
let instances = 0;
function tinyModel(w: Float64Array, act: Act = 'tanh'): Model {
  const tag = `tinymlp${act}@${instances++}`;
  const mk = (o: number, shape: number[], name: string) => tf.variable(tf.tensor(Array.from(w.subarray(o, o + shape.reduce((a, b) => a * b, 1))), shape), true, `${tag}/${name}`);
  const o2 = IN * HID + HID;
  const vars = [mk(0, [IN, HID], 'fc1.w'), mk(IN * HID, [HID], 'fc1.b'), mk(o2, [HID, OUT], 'fc2.w'), mk(o2 + HID * OUT, [OUT], 'fc2.b')];
  return {
    name: 'tiny_mlp', config: {}, inputShape: [1, 1, IN], numClasses: OUT,
    variables: () => vars.slice(),
    forward: (x) => {
      const z = tf.add(tf.matMul(tf.reshape(x, [-1, IN]), vars[0]!), vars[1]!);
      const h = act === 'tanh' ? tf.tanh(z) : tf.relu(z);
      return { logits: tf.add(tf.matMul(h, vars[2]!), vars[3]!) as tf.Tensor2D, taps: {} };
    },
    dispose: () => tf.dispose(vars),
  };
}

describe('HVP and top eigenvalue of a tiny model against its exact Hessian', () => {
  const w0 = (() => { const g = gaussian(42), w = new Float64Array(20); for (let i = 0; i < 20; i++) w[i] = 0.9 * g(); return w; })();
  let H: number[][], eigs: number[], model: Model, x: tf.Tensor4D, y: tf.Tensor2D;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    H = finiteDifferenceHessian(analyticGrad, w0, 1e-5);
    eigs = symmetricEigenvalues(H);
    model = tinyModel(w0);
    x = tf.tensor4d(X.flat(), [N, 1, 1, IN]);
    y = tf.oneHot(tf.tensor1d(Y, 'int32'), OUT).toFloat() as tf.Tensor2D;
  });

  it('the model and the analytic gradient agree (and the L2 mask is W1, W2)', () => {
    expect(getFlat(model.variables())).toEqual(Float32Array.from(w0));
    expect(Array.from(decayMask(model.variables()))).toEqual([...Array(9).fill(1), ...Array(3).fill(0), ...Array(6).fill(1), 0, 0]);
  });

  it('modelHvp (central difference of tfjs gradients + exact L2) matches H·v', () => {
    const hvp = modelHvp(model, x, y, { eps: 1e-3, l2: L2 });
    const g = gaussian(9);
    for (let trial = 0; trial < 3; trial++) {
      const v = Float64Array.from({ length: 20 }, () => g());
      const n = Math.hypot(...v);
      v.forEach((vi, i) => { v[i] = vi / n; });
      const got = hvp(v), want = matVec(H)(v);
      const err = Math.hypot(...Array.from(got, (gi, i) => gi - want[i]!)) / Math.hypot(...want);
      expect(err).toBeLessThan(5e-3);
    }
    expect(getFlat(model.variables())).toEqual(Float32Array.from(w0)); // weights restored
  });

  it('power iteration on modelHvp returns the exact dominant eigenvalue, sign included', async () => {
    const dominant = eigs.reduce((a, b) => (Math.abs(b) > Math.abs(a) ? b : a));
    const r = await powerIteration(modelHvp(model, x, y, { eps: 1e-3, l2: L2 }), 20, { maxIter: 300, tol: 1e-6, seed: 1 });
    expect(r.converged).toBe(true);
    expect(Math.abs(r.eigenvalue - dominant) / Math.abs(dominant)).toBeLessThan(1e-2);
  });

  it('the exact spectrum of this point is indefinite (a saddle), so NEP has something to count', () => {
    expect(eigs[0]!).toBeLessThan(0);
    expect(eigs[eigs.length - 1]!).toBeGreaterThan(0);
  });
});

describe('ReLU networks: the activation pattern is frozen at θ*, as autograd sees it', () => {
  // Unit 0 of sample 0 sits 1e-5 above its kink, so a step of ε = 1e-3 would switch it off.
  const w0 = (() => {
    const g = gaussian(77), w = new Float64Array(20);
    for (let i = 0; i < 20; i++) w[i] = 0.9 * g();
    w[IN * HID] = 1e-5 - X[0]!.reduce((s, xi, i) => s + xi * w[i * HID]!, 0);
    return w;
  })();
  const pattern = preActs(w0);
  it('the recorded pattern replays the same loss and gradient at θ*', () => {
    const model = tinyModel(w0, 'relu');
    const x = tf.tensor4d(X.flat(), [N, 1, 1, IN]), y = tf.oneHot(tf.tensor1d(Y, 'int32'), OUT).toFloat() as tf.Tensor2D;
    const a = gradFlat(model, x, y), fr = freezeRelu(model, x), b = fr.replay(() => gradFlat(model, x, y));
    expect(b.loss).toBe(a.loss);
    expect(Array.from(b.grad)).toEqual(Array.from(a.grad));
    expect(fr.units).toBe(N * HID);
  });
  it('H·v equals the exact Hessian of the smooth piece, even with ε large enough to flip units', () => {
    const H = finiteDifferenceHessian((w) => analyticGrad(w, 'relu', pattern), w0, 1e-5);
    const model = tinyModel(w0, 'relu');
    const x = tf.tensor4d(X.flat(), [N, 1, 1, IN]), y = tf.oneHot(tf.tensor1d(Y, 'int32'), OUT).toFloat() as tf.Tensor2D;
    const g = gaussian(5);
    const v = Float64Array.from({ length: 20 }, () => g());
    const n = Math.hypot(...v);
    v.forEach((vi, i) => { v[i] = vi / n; });
    expect(pattern[0]![0]).toBeCloseTo(1e-5, 12);
    const got = modelHvp(model, x, y, { eps: 1e-3, l2: L2 })(v), want = matVec(H)(v);
    const err = Math.hypot(...Array.from(got, (gi, i) => gi - want[i]!)) / Math.hypot(...want);
    expect(err).toBeLessThan(5e-3);
    // Without the frozen pattern the same central difference picks up the kink.
    const vars = model.variables(), w = getFlat(vars);
    const at = (sgn: number) => { setFlat(vars, Float32Array.from(w, (wi, i) => wi + sgn * 1e-3 * v[i]!)); return gradFlat(model, x, y).grad; };
    const gp = at(1), gm = at(-1);
    setFlat(vars, w);
    const raw = Array.from(gp, (a, i) => (a - gm[i]!) / 2e-3 + L2 * decayMask(vars)[i]! * v[i]!);
    expect(Math.hypot(...raw.map((r, i) => r - want[i]!)) / Math.hypot(...want)).toBeGreaterThan(0.05);
  });
});
