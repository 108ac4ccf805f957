/**
 * White-box L∞ attacks for claim C3, with gradients w.r.t. the input from tf.grad.
 *
 *   const logits = (x) => model.forward(x, { training: false }).logits;
 *   const xAdv = fgsm(logits, x, y, 0.05);                                       // one signed step
 *   const xPgd = pgd(logits, x, y, 0.05, { steps: 10, stepSize: 0.0125, seed: 0 }); // projected steps
 *
 * FGSM: Goodfellow, Shlens & Szegedy 2015 (ICLR, arXiv:1412.6572), x' = clip(x + ε·sign(∇ₓL)).
 * PGD:  Madry et al. 2018 (ICLR, arXiv:1706.06083): a uniform random start in the ε-ball, then
 *       `steps` signed steps of size α, each projected back onto the ε-ball and the valid range.
 * L is the mean softmax cross-entropy of the true labels; inputs live in [lo, hi] = [0, 1].
 */
import * as tf from '@tensorflow/tfjs';
import { rng } from '../train';

export type LogitsFn = (x: tf.Tensor4D) => tf.Tensor2D;

export interface Range { lo?: number; hi?: number }

/** ∇ₓ of the summed cross-entropy (the sign is what the attacks use; summing keeps it per-image). */
export function inputGradient(logits: LogitsFn, x: tf.Tensor4D, labels: tf.Tensor1D): tf.Tensor4D {
  return tf.tidy(() => {
    const f = (xx: tf.Tensor) => {
      const l = logits(xx as tf.Tensor4D);
      const onehot = tf.oneHot(labels.toInt(), l.shape[1]).toFloat();
      return tf.losses.softmaxCrossEntropy(onehot, l, undefined, undefined, tf.Reduction.SUM) as tf.Scalar;
    };
    return tf.grad(f)(x) as tf.Tensor4D;
  });
}

/** Fast gradient sign method. Returns a new tensor; ε = 0 returns a copy of x. */
export function fgsm(logits: LogitsFn, x: tf.Tensor4D, labels: tf.Tensor1D, eps: number, range: Range = {}): tf.Tensor4D {
  const { lo = 0, hi = 1 } = range;
  if (eps === 0) return x.clone();
  return tf.tidy(() => {
    const g = inputGradient(logits, x, labels);
    return tf.clipByValue(tf.add(x, tf.mul(tf.sign(g), eps)), lo, hi) as tf.Tensor4D;
  });
}

/** FGSM for several ε at once: one gradient, one perturbed batch per ε. */
export function fgsmSweep(logits: LogitsFn, x: tf.Tensor4D, labels: tf.Tensor1D, epsilons: readonly number[], range: Range = {}): tf.Tensor4D[] {
  const { lo = 0, hi = 1 } = range;
  const s = tf.tidy(() => tf.sign(inputGradient(logits, x, labels)));
  const out = epsilons.map((e) => tf.tidy(() => tf.clipByValue(tf.add(x, tf.mul(s, e)), lo, hi) as tf.Tensor4D));
  s.dispose();
  return out;
}

export interface PgdOptions extends Range { steps: number; stepSize: number; seed: number; randomStart?: boolean }

/** Projected gradient descent (ascent on the loss) in the L∞ ball of radius ε around x. */
export function pgd(logits: LogitsFn, x: tf.Tensor4D, labels: tf.Tensor1D, eps: number, o: PgdOptions): tf.Tensor4D {
  const { lo = 0, hi = 1, randomStart = true } = o;
  if (eps === 0) return x.clone();
  let adv: tf.Tensor4D;
  if (randomStart) {
    const r = rng(o.seed ^ 0x5eed), u = new Float32Array(x.size);
    for (let i = 0; i < u.length; i++) u[i] = (2 * r() - 1) * eps;
    adv = tf.tidy(() => tf.clipByValue(tf.add(x, tf.tensor(u, x.shape)), lo, hi) as tf.Tensor4D);
  } else adv = x.clone();
  for (let s = 0; s < o.steps; s++) {
    const next = tf.tidy(() => {
      const g = inputGradient(logits, adv, labels);
      const stepped = tf.add(adv, tf.mul(tf.sign(g), o.stepSize));
      const projected = tf.minimum(tf.maximum(stepped, tf.sub(x, eps)), tf.add(x, eps)); // onto the ε-ball
      return tf.clipByValue(projected, lo, hi) as tf.Tensor4D;
    });
    adv.dispose();
    adv = next;
  }
  return adv;
}
