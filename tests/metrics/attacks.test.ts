// FGSM and PGD on a linear model, where the input gradient is known in closed form:
// logits = x·W + b, L = Σ CE(softmax(logits), y)  ⇒  ∇ₓL = (softmax(logits) − onehot(y))·Wᵀ.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fgsm, fgsmSweep, inputGradient, pgd } from '../../scripts/lib/metrics/attacks';
import { rng } from '../../scripts/lib/train';

beforeAll(async () => { await tf.setBackend('cpu'); await tf.ready(); });

const H = 3, W_ = 3, D = H * W_, K = 4;
function linearModel(seed: number) {
  const r = rng(seed);
  const W = Float32Array.from({ length: D * K }, () => 2 * r() - 1);
  const b = Float32Array.from({ length: K }, () => r() - 0.5);
  const Wt = tf.tensor2d(W, [D, K]), bt = tf.tensor1d(b);
  const logits = (x: tf.Tensor4D) => tf.add(tf.matMul(tf.reshape(x, [x.shape[0], D]), Wt), bt) as tf.Tensor2D;
  /** Closed-form ∇ₓL for one image. */
  const grad = (x: ArrayLike<number>, y: number) => {
    const z = Array.from({ length: K }, (_, k) => b[k]! + Array.from({ length: D }, (_, i) => x[i]! * W[i * K + k]!).reduce((s, v) => s + v, 0));
    const m = Math.max(...z), e = z.map((v) => Math.exp(v - m)), s = e.reduce((a, c) => a + c, 0);
    const d = e.map((v, k) => v / s - (k === y ? 1 : 0));
    return Array.from({ length: D }, (_, i) => d.reduce((acc, dk, k) => acc + dk * W[i * K + k]!, 0));
  };
  return { logits, grad };
}
const images = (n: number, seed: number, lo = 0.3, hi = 0.7) => {
  const r = rng(seed);
  return Float32Array.from({ length: n * D }, () => lo + (hi - lo) * r());
};

describe('input gradient', () => {
  it('matches the closed form of a linear softmax model', () => {
    const { logits, grad } = linearModel(1);
    const xs = images(5, 2), ys = [0, 1, 2, 3, 1];
    const g = inputGradient(logits, tf.tensor4d(xs, [5, H, W_, 1]), tf.tensor1d(ys, 'int32')).dataSync();
    for (let n = 0; n < 5; n++) {
      const want = grad(xs.subarray(n * D, (n + 1) * D), ys[n]!);
      for (let i = 0; i < D; i++) expect(g[n * D + i]).toBeCloseTo(want[i]!, 5);
    }
  });
});

describe('FGSM', () => {
  it('moves every pixel by exactly ε in the sign of the gradient (no clipping inside [0.3, 0.7])', () => {
    const { logits, grad } = linearModel(3);
    const xs = images(4, 4), ys = [3, 2, 1, 0], eps = 0.1;
    const adv = fgsm(logits, tf.tensor4d(xs, [4, H, W_, 1]), tf.tensor1d(ys, 'int32'), eps).dataSync();
    for (let n = 0; n < 4; n++) {
      const g = grad(xs.subarray(n * D, (n + 1) * D), ys[n]!);
      for (let i = 0; i < D; i++) expect(adv[n * D + i]).toBeCloseTo(xs[n * D + i]! + eps * Math.sign(g[i]!), 6);
    }
  });

  it('clips to [0, 1], returns x for ε = 0, and the sweep equals one-at-a-time FGSM', () => {
    const { logits } = linearModel(5);
    const xs = images(3, 6, 0, 1), x = tf.tensor4d(xs, [3, H, W_, 1]), y = tf.tensor1d([0, 1, 2], 'int32');
    const big = fgsm(logits, x, y, 5).dataSync();
    for (const v of big) expect(v === 0 || v === 1).toBe(true);
    expect(Array.from(fgsm(logits, x, y, 0).dataSync())).toEqual(Array.from(xs));
    const sweep = fgsmSweep(logits, x, y, [0.01, 0.2]);
    expect(Array.from(sweep[1]!.dataSync())).toEqual(Array.from(fgsm(logits, x, y, 0.2).dataSync()));
  });

  it('raises the loss of the linear model', () => {
    const { logits } = linearModel(7);
    const x = tf.tensor4d(images(8, 8), [8, H, W_, 1]), y = tf.tensor1d([0, 1, 2, 3, 0, 1, 2, 3], 'int32');
    const loss = (t: tf.Tensor4D) => tf.losses.softmaxCrossEntropy(tf.oneHot(y, K).toFloat(), logits(t)).dataSync()[0]!;
    expect(loss(fgsm(logits, x, y, 0.05))).toBeGreaterThan(loss(x));
  });
});

describe('PGD', () => {
  it('stays in the ε-ball and in [0, 1], and raises the loss about as much as FGSM', () => {
    const { logits } = linearModel(9);
    const xs = images(6, 10, 0, 1), x = tf.tensor4d(xs, [6, H, W_, 1]), y = tf.tensor1d([0, 1, 2, 3, 0, 1], 'int32');
    const eps = 0.08, adv = pgd(logits, x, y, eps, { steps: 10, stepSize: 0.02, seed: 1 }).dataSync();
    for (let i = 0; i < xs.length; i++) {
      expect(Math.abs(adv[i]! - xs[i]!)).toBeLessThanOrEqual(eps + 1e-6);
      expect(adv[i]!).toBeGreaterThanOrEqual(0);
      expect(adv[i]!).toBeLessThanOrEqual(1);
    }
    const loss = (t: tf.Tensor4D) => tf.losses.softmaxCrossEntropy(tf.oneHot(y, K).toFloat(), logits(t)).dataSync()[0]!;
    const lp = loss(tf.tensor4d(adv, x.shape));
    expect(lp).toBeGreaterThan(loss(x));
    expect(lp).toBeGreaterThan(0.99 * loss(fgsm(logits, x, y, eps))); // the loss is convex in x here: FGSM is near-optimal
  });

  it('on a two-class linear model the gradient sign is constant, so PGD lands on the FGSM corner', () => {
    // With K = 2, ∇ₓL ∝ (p_wrong)(W_wrong − W_true): its sign never depends on x.
    const r = rng(11), W = Float32Array.from({ length: D * 2 }, () => 2 * r() - 1);
    const Wt = tf.tensor2d(W, [D, 2]);
    const logits = (x: tf.Tensor4D) => tf.matMul(tf.reshape(x, [x.shape[0], D]), Wt) as tf.Tensor2D;
    const x = tf.tensor4d(images(3, 12), [3, H, W_, 1]), y = tf.tensor1d([0, 1, 0], 'int32');
    const a = pgd(logits, x, y, 0.1, { steps: 10, stepSize: 0.05, seed: 2 }).dataSync();
    const b = fgsm(logits, x, y, 0.1).dataSync();
    for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i]!, 6);
  });
});
