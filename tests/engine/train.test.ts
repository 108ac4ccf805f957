import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../scripts/lib/engine/backend';
import { augment, BatchStream, evaluate, decays, getLr, holdOut, permutation, rng, train, TRAIN_DEFAULTS, type Checkpoint, type Split } from '../../scripts/lib/train';
import type { Model } from '../../models/nn/types';
import { cachedWeights, weightsDir, weightsKey } from '../../scripts/lib/train/weights';
import { createModel } from '../../models/index';
import { useTempDir } from '../helpers/quick-run';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

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

  it('lr: a constant schedule holds the peak after warm-up', () => {
    const c = { lr: 1, minLr: 0.1, warmupSteps: 4, steps: 10, schedule: 'constant' as const };
    expect(getLr(1, c)).toBeCloseTo(0.5);
    expect(getLr(4, c)).toBe(1);
    expect(getLr(500, c)).toBe(1);
  });

  it('augments: shifts with zero fill and flips; draws nothing when off', () => {
    const img = Float32Array.from({ length: 9 }, (_, i) => i + 1); // 3×3, one channel
    const calls: number[] = [];
    const fixed = (vals: number[]) => () => { const v = vals[calls.length]!; calls.push(v); return v; };
    // shift 1: dy = ⌊0.99·3⌋−1 = 1, dx = ⌊0·3⌋−1 = −1, then flip (0.1 < ½)
    const out = augment(img, [3, 3, 1], { shift: 1, flip: true }, fixed([0.99, 0, 0.1]));
    // shifted down 1 and left 1: rows [0 0 0], [2 3 0], [5 6 0]; flipped: [0 0 0], [0 3 2], [0 6 5]
    expect(Array.from(out)).toEqual([0, 0, 0, 0, 3, 2, 0, 6, 5]);
    calls.length = 0;
    expect(Array.from(augment(img, [3, 3, 1], { shift: 0, flip: false }, fixed([])))).toEqual(Array.from(img));
    expect(calls).toEqual([]);
  });

  it('a batch stream skipped k batches continues exactly as one that built them', () => {
    const s: Split = { images: Float32Array.from({ length: 10 * 4 }, (_, i) => i), labels: Int32Array.from({ length: 10 }, (_, i) => i % 2), n: 10, shape: [2, 2, 1], numClasses: 2 };
    const a = new BatchStream(10, 3, rng(4), { shift: 1, flip: true }), b = new BatchStream(10, 3, rng(4), { shift: 1, flip: true });
    for (let i = 0; i < 5; i++) tf.dispose(Object.values(a.batch(s)));
    b.skip(5);
    const [xa, xb] = [a.batch(s), b.batch(s)];
    expect(Array.from(xa.x.dataSync())).toEqual(Array.from(xb.x.dataSync()));
    expect(a.stepsPerEpoch).toBe(3);
    tf.dispose([...Object.values(xa), ...Object.values(xb)]);
    expect(() => new BatchStream(10, 0, rng(1))).toThrow(/batch size/);
    expect(() => new BatchStream(10, 11, rng(1))).toThrow(/larger than the 10/);
  });

  it('holds out a seeded validation split disjoint from training', () => {
    const s: Split = { images: Float32Array.from({ length: 20 }, (_, i) => i), labels: Int32Array.from({ length: 20 }, (_, i) => i), n: 20, shape: [1, 1, 1], numClasses: 20 };
    const { train: tr, val } = holdOut(s, 5, 1);
    expect(tr.n + val.n).toBe(20);
    expect([...tr.labels, ...val.labels].sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
    expect(() => holdOut(s, 20, 1)).toThrow(/need 1 ≤ n < 20/);
  });

  it('rejects nonsense numbers before training', async () => {
    const s: Split = { images: new Float32Array(16 * 4), labels: new Int32Array(16), n: 16, shape: [2, 2, 1], numClasses: 2 };
    const m = mlp([2, 2, 1], 2, 3);
    await expect(train(m, { train: s, test: s }, { ...TRAIN_DEFAULTS, steps: 0 })).rejects.toThrow(/steps = 0/);
    await expect(train(m, { train: s, test: s }, { ...TRAIN_DEFAULTS, steps: -5 })).rejects.toThrow(/steps = -5/);
    await expect(train(m, { train: s, test: s }, { ...TRAIN_DEFAULTS, steps: 2, batchSize: 0 })).rejects.toThrow(/batchSize = 0/);
    m.dispose();
  });

  const bands = (n: number, seed: number): Split => {
    const r = rng(seed), images = new Float32Array(n * 256), labels = new Int32Array(n);
    for (let i = 0; i < n; i++) { labels[i] = i % 8; for (let p = 0; p < 256; p++) images[i * 256 + p] = r() + (p >> 5 === labels[i] ? 0.5 : 0); }
    return { images, labels, n, shape: [16, 16, 1], numClasses: 8 };
  };

  it('stops at the criterion, evaluates on val, keeps the best checkpoint and records per-epoch points', async () => {
    const data = { train: bands(512, 1), val: bands(128, 3), test: bands(128, 2) };
    const m = mlp([16, 16, 1], 8, 4);
    const r = await train(m, data, { ...TRAIN_DEFAULTS, epochs: 4, batchSize: 64, lr: 3e-3, warmupSteps: 5, evalEvery: 8, stopAt: 0.99, keepBest: true, labelSmoothing: 0.1, augShift: 1 });
    // 8 steps per epoch; every eval is an epoch end
    expect(r.metrics.evals.map((e) => e.epoch)).toEqual(r.metrics.evals.map((_, i) => i + 1));
    expect(r.metrics.steps).toBeLessThanOrEqual(32);
    expect(r.metrics.reached).toBe(r.metrics.evals.at(-1)!.accuracy >= 0.99);
    const best = Math.max(...r.metrics.evals.map((e) => e.accuracy));
    expect(r.metrics.testAccuracy).toBe(best);
    expect(evaluate(m, data.val).accuracy).toBe(best); // the model ends with the best eval's weights
    expect(r.metrics.evals.every((e) => e.trainAccuracy >= 0 && e.trainAccuracy <= 1 && e.meanTrainLoss > 0)).toBe(true);
    m.dispose();
  });

  it('a stop hook ends training after the eval it answers true to, and the best checkpoint is kept', async () => {
    const data = { train: bands(512, 1), val: bands(128, 3), test: bands(128, 2) };
    const m = mlp([16, 16, 1], 8, 7);
    const seen: number[] = [];
    const r = await train(m, data, { ...TRAIN_DEFAULTS, epochs: 6, batchSize: 64, lr: 3e-3, warmupSteps: 5, evalEvery: 8, keepBest: true }, {
      stop: (evals, done, steps) => { seen.push(done); expect(steps).toBe(48); return evals.length === 3; },
    });
    expect(seen).toEqual([8, 16, 24]);
    expect(r.metrics.steps).toBe(24);
    expect(r.metrics.reached).toBe(false);
    expect(r.metrics.testAccuracy).toBe(Math.max(...r.metrics.evals.map((e) => e.accuracy)));
    m.dispose();
  });

  // On wasm the optimiser is the engine's fused AdamW: its moments must round-trip through the checkpoint too.
  it.each(['cpu', 'wasm'])('a run resumed from a checkpoint ends exactly where an uninterrupted run ends (%s backend)', async (backend) => {
    const prev = tf.getBackend();
    await tf.setBackend(backend);
    const n0 = tf.memory().numTensors;
    try {
      const data = { train: bands(256, 1), test: bands(64, 2) };
      const cfg = { ...TRAIN_DEFAULTS, steps: 12, batchSize: 32, lr: 3e-3, warmupSteps: 2, evalEvery: 4, augShift: 1, augFlip: true, seed: 9 };
      const whole = mlp([16, 16, 1], 8, 5);
      const saved: Checkpoint[] = [];
      const a = await train(whole, data, cfg, { checkpoint: (c) => { saved.push(c); } });
      expect(saved.map((c) => c.step)).toEqual([4, 8, 12]);
      const resumed = mlp([16, 16, 1], 8, 6); // other init: every weight must come from the checkpoint
      const b = await train(resumed, data, cfg, { resume: saved[0]! });
      expect(b.metrics.testAccuracy).toBe(a.metrics.testAccuracy);
      expect(Array.from(resumed.variables()[0]!.dataSync())).toEqual(Array.from(whole.variables()[0]!.dataSync()));
      expect(b.metrics.evals.map((e) => e.step)).toEqual([4, 8, 12]);
      expect(b.metrics.evals.map((e) => e.accuracy)).toEqual(a.metrics.evals.map((e) => e.accuracy));
      whole.dispose(); resumed.dispose();
      // Only the test's own mlp init tensors may remain (3 each): the loop and optimiser free what they make.
      expect(tf.memory().numTensors - n0).toBeLessThanOrEqual(6);
    } finally {
      await tf.setBackend(prev);
    }
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
    const r = await train(m, data, { ...TRAIN_DEFAULTS, steps: 60, batchSize: 64, lr: 3e-3, warmupSteps: 5, evalEvery: 30 }, {});
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
    await expect(train(m, { train: s, test: s }, { ...TRAIN_DEFAULTS, steps: 2, batchSize: 8 }, {})).rejects.toThrow(/loss is NaN/);
    m.dispose();
  });
});

describe('weights cache', () => {
  useTempDir('ATLAS_WEIGHTS_DIR', 'atlas-weights-');
  useTempDir('ATLAS_LOCK_DIR', 'atlas-locks-');
  beforeAll(async () => { await selectBackend(); });

  it('trains a key once, then loads the same weights; a corrupt file is retrained', async () => {
    const key = weightsKey('resnet_mini_28', { seed: 0, recipe: 'test' });
    expect(weightsKey('resnet_mini_28', { seed: 1, recipe: 'test' })).not.toBe(key);
    let trained = 0;
    const a = createModel('resnet_mini_28', {}, { seed: 0 });
    const first = await cachedWeights(a, key, async () => { trained++; a.variables()[0]!.assign(tf.onesLike(a.variables()[0]!)); return { acc: 0.5 }; }, () => {});
    expect(first).toEqual({ meta: { acc: 0.5 }, cached: false });
    const b = createModel('resnet_mini_28', {}, { seed: 7 });
    const second = await cachedWeights(b, key, async () => { trained++; return { acc: 0 }; }, () => {});
    expect(second).toEqual({ meta: { acc: 0.5 }, cached: true });
    expect(trained).toBe(1);
    expect(Array.from(b.variables()[0]!.dataSync())).toEqual(Array.from(a.variables()[0]!.dataSync()));
    writeFileSync(join(weightsDir(), `${key}.bin`), Buffer.alloc(12));
    const c = createModel('resnet_mini_28', {}, { seed: 0 });
    expect((await cachedWeights(c, key, async () => { trained++; return { acc: 0.7 }; }, () => {})).cached).toBe(false);
    expect(trained).toBe(2);
    tf.dispose([a, b, c].flatMap((m) => m.variables()));
  });
});
