/**
 * Batched evaluation helpers shared by frequency-noise and robustness: predictions on plain
 * Float32Array image stacks (NHWC), and per-block feature maps from the models' taps.
 */
import * as tf from '@tensorflow/tfjs';
import type { Model } from '../../../models/nn/types';

/** argmax class of each of the n images (h×w×c each) in `images`. */
export function predict(model: Model, images: Float32Array, n: number, batch = 250): Int32Array {
  const [h, w, c] = model.inputShape, sz = h * w * c;
  if (images.length !== n * sz) throw new Error(`predict: ${images.length} values for ${n} images of ${h}×${w}×${c}`);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i += batch) {
    const b = Math.min(batch, n - i);
    const p = tf.tidy(() => tf.argMax(model.forward(tf.tensor4d(images.subarray(i * sz, (i + b) * sz), [b, h, w, c]), { training: false }).logits, 1));
    out.set(p.dataSync() as Int32Array, i);
    p.dispose();
  }
  return out;
}

export function accuracy(pred: Int32Array, labels: ArrayLike<number>): number {
  let hit = 0;
  for (let i = 0; i < pred.length; i++) if (pred[i] === labels[i]) hit++;
  return hit / pred.length;
}

export const evalAccuracy = (model: Model, images: Float32Array, labels: ArrayLike<number>, batch = 250) => accuracy(predict(model, images, labels.length, batch), labels);

/** Feature-map taps in the model's order: [B, H, W, C] maps and [B, N, C] token sequences. */
export interface FeatureTap { name: string; shape: number[]; data: Float32Array }

/**
 * Runs `images` through the model with taps on and returns the feature maps (attention
 * probabilities `*.attn`, `pre_logits` and the final `encoded` norm are left out). Staged models
 * give one map per stage (their per-block taps `stage<i>.block<j>` are left out); isotropic ones,
 * one per block.
 */
const STAGED_BLOCK = /(^|\.)stage\d+\.block\d+$/;

export function featureTaps(model: Model, images: Float32Array, n: number): FeatureTap[] {
  const [h, w, c] = model.inputShape;
  return tf.tidy(() => {
    const { taps } = model.forward(tf.tensor4d(images.subarray(0, n * h * w * c), [n, h, w, c]), { training: false, taps: true });
    return Object.entries(taps)
      .filter(([name, t]) => !name.endsWith('.attn') && !STAGED_BLOCK.test(name) && name !== 'pre_logits' && name !== 'encoded' && (t.rank === 3 || t.rank === 4))
      .map(([name, t]) => ({ name, shape: t.shape.slice(), data: t.dataSync() as Float32Array }));
  });
}
