import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../scripts/lib/engine/backend';
import { decays, getLr, permutation, rng, train, TRAIN_DEFAULTS, type Split } from '../../scripts/lib/train';
import type { Model } from '../../scripts/lib/nn/types';

/** A throwaway 2-layer MLP implementing the Model contract (keeps this test independent of the zoo). */
function mlp(inShape: [number, number, number], classes: number, seed: number): Model {
  const d = inShape[0] * inShape[1] * inShape[2], h = 32;
  const w1 = tf.variable(tf.randomNormal([d, h], 0, Math.sqrt(2 / d), 'float32', seed), true, `mlp${seed}/fc1.w`);
  const b1 = tf.variable(tf.zeros([h]), true, `mlp${seed}/fc1.b`);
  const w2 = tf.variable(tf.randomNormal([h, classes], 0, Math.sqrt(1 / h), 'float32', seed + 1), true, `mlp${seed}/fc2.w`);
  return {
    name: 'mlp', config: {}, inputShape: inShape, numClasses: classes,
    variables: () => [w1, b1, w2],
    forward: (x) => ({ logits: tf.matMul(tf.relu(tf.add(tf.matMul(tf.reshape(x, [-1, d]), w1), b1)), w2) as tf.Tensor2D, taps: {} }),
    dispose: () => tf.dispose([w1, b1, w2]),
  };
}

describe('training loop', () => {
  beforeAll(async () => { await selectBackend(); });

  it('lr: warmup, cosine, floor', () => {
    const c = { lr: 1, minLr: 0.1, warmupSteps: 10, steps: 110 };
    expect(getLr(0, c)).toBeCloseTo(0.1);
    expect(getLr(9, c)).toBeCloseTo(1);
    expect(getLr(10, c)).toBeCloseTo(1);
    expect(getLr(60, c)).toBeCloseTo(0.55);
    expect(getLr(109, c)).toBeCloseTo(0.1, 2);
    expect(getLr(500, c)).toBe(0.1);
  });

  it('weight decay skips biases, norms and position/cls embeddings', () => {
    const v = (name: string, shape: number[]) => ({ name, rank: shape.length }) as tf.Variable;
    expect(decays(v('m@0/block00.attn.qkv.w', [64, 192]))).toBe(true);
    expect(decays(v('m@0/block00.attn.qkv.b', [192]))).toBe(false);
    expect(decays(v('m@0/pos_embed', [1, 50, 64]))).toBe(false);
    expect(decays(v('m@0/cls_token', [1, 1, 64]))).toBe(false);
  });

  it('shuffles with a seed', () => {
    expect(Array.from(permutation(10, rng(1)))).toEqual(Array.from(permutation(10, rng(1))));
    expect(Array.from(permutation(10, rng(1))).sort((a, b) => a - b)).toEqual([...Array(10).keys()]);
  });

  it('learns a separable synthetic task well above chance', async () => {
    // Each class lights up its own band of rows; an MLP must find it through the noise.
    const make = (n: number, seed: number): Split => {
      const r = rng(seed), images = new Float32Array(n * 256), labels = new Int32Array(n);
      for (let i = 0; i < n; i++) { labels[i] = i % 8; for (let p = 0; p < 256; p++) images[i * 256 + p] = r() + (p >> 5 === labels[i] ? 0.5 : 0); }
      return { images, labels, n, shape: [16, 16, 1], numClasses: 8 };
    };
    const data = { train: make(512, 1), test: make(128, 2) };
    const m = mlp([16, 16, 1], 8, 1);
    const r = await train(m, data, { ...TRAIN_DEFAULTS, steps: 60, batchSize: 64, lr: 3e-3, warmupSteps: 5, evalEvery: 30 }, () => {});
    m.dispose();
    expect(r.metrics.curve[0]!.trainLoss).toBeGreaterThan(r.metrics.finalTrainLoss);
    expect(r.metrics.testAccuracy).toBeGreaterThan(0.6); // chance 0.125
    expect(r.metrics.curve.find((p) => p.step === 29)?.testAccuracy).toBeDefined();
    expect(r.timing.imagesPerSec).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBeLessThan(50); // no leak per step
  });

  it('throws on a non-finite loss', async () => {
    const s: Split = { images: new Float32Array(16 * 4).fill(Number.NaN), labels: new Int32Array(16), n: 16, shape: [2, 2, 1], numClasses: 2 };
    const m = mlp([2, 2, 1], 2, 2);
    await expect(train(m, { train: s, test: s }, { ...TRAIN_DEFAULTS, steps: 2, batchSize: 8 }, () => {})).rejects.toThrow(/loss is NaN/);
    m.dispose();
  });
});
