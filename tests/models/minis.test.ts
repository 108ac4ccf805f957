/**
 * The experiments' mini models (nn contract): build, forward on tfjs-cpu, taps, parameter
 * budget, FLOPs within 2× of each other, counter == instantiated parameters.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Recorder } from '../../models/nn/graph';
import { countModel, createModel, listModels } from '../../models/index';

export const MINIS = listModels().filter((n) => n.includes('_mini_'));

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('mini models', () => {
  it('include the two benchmark minis', () => {
    expect(MINIS).toContain('vit_mini_patch4_28');
    expect(MINIS).toContain('resnet_mini_28');
  });

  it.each(MINIS)('%s: forward, taps, counter agrees with the instance', (name) => {
    const m = createModel(name, {}, { seed: 1 });
    try {
      const [H, W, C] = m.inputShape;
      const rec = new Recorder();
      const out = tf.tidy(() => {
        const r = m.forwardChecked(tf.randomNormal([2, H, W, C]) as tf.Tensor4D, rec); // asserts every op's shape
        return { shape: r.logits.shape, taps: Object.fromEntries(Object.entries(r.taps).map(([k, t]) => [k, t.shape])) };
      });
      expect(out.shape).toEqual([2, m.numClasses]);
      expect(out.taps.stem).toBeDefined();
      const attn = Object.entries(out.taps).filter(([k]) => /block\d\d\.attn$/.test(k));
      if (!name.startsWith('resnet') && !name.startsWith('convnext')) {
        expect(attn.length).toBeGreaterThan(0);
        for (const [, s] of attn) {
          expect(s.length).toBe(4); // [B(·windows), heads, N, M]
          expect(s[2]).toBeGreaterThan(1);
        }
      }
      const counted = countModel(name);
      const instantiated = m.variables().reduce((n, v) => n + v.size, 0);
      expect(counted.paramCount).toBe(instantiated);
      expect(counted.paramCount).toBeGreaterThanOrEqual(100_000);
      expect(counted.paramCount).toBeLessThanOrEqual(500_000);
      expect(rec.macs).toBe(countModel(name, { batch: 2 }).macs);
    } finally {
      m.dispose();
    }
  });

  it('forward FLOPs are within 2× of each other', () => {
    const macs = MINIS.map((n) => countModel(n).macs);
    expect(Math.max(...macs) / Math.min(...macs)).toBeLessThanOrEqual(2);
  });

  it('benchmark minis match the contract (mini-ViT ≈ 23 MFLOPs, mini-ResNet ≈ 40 MFLOPs, i.e. 2×MACs)', () => {
    expect(2 * countModel('vit_mini_patch4_28').macs / 1e6).toBeCloseTo(23.6, 0);
    expect(2 * countModel('resnet_mini_28').macs / 1e6).toBeCloseTo(40.4, 0);
  });

  it('is seeded: same seed, same weights; different seed, different weights', () => {
    const [a, b, c] = [7, 7, 8].map((seed) => createModel('vit_mini_patch4_28', {}, { seed }));
    try {
      const first = (m: typeof a) => Array.from(m!.variables()[0]!.dataSync());
      expect(first(a)).toEqual(first(b));
      expect(first(a)).not.toEqual(first(c));
      expect(a!.variables().map((v) => v.name.split('/')[1])).toContain('block03.attn.qkv.w');
    } finally {
      [a, b, c].forEach((m) => m!.dispose());
    }
  });

  it.each(MINIS)('%s: training-mode gradients reach every variable', (name) => {
    const m = createModel(name, {}, { seed: 3 });
    try {
      const [H, W, C] = m.inputShape;
      const x = tf.randomNormal([2, H, W, C]) as tf.Tensor4D;
      const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(m.forward(x, { training: true }).logits)) as tf.Scalar, m.variables());
      expect(Object.keys(grads).length).toBe(m.variables().length);
      expect(Number.isFinite(value.dataSync()[0])).toBe(true);
      tf.dispose([x, value, grads]);
    } finally {
      m.dispose();
    }
  });
});

describe('stochastic depth', () => {
  it('draws fresh masks each training step and none at eval', () => {
    const m = createModel('swin_mini_28', { dropPath: 0.5 }, { seed: 1 });
    try {
      const x = tf.randomNormal([8, 28, 28, 1]) as tf.Tensor4D;
      const run = (training: boolean) => tf.tidy(() => Array.from(m.forward(x, { training }).logits.dataSync()));
      const [a, b] = [run(true), run(true)];
      expect(a).not.toEqual(b);
      expect(run(false)).toEqual(run(false));
      x.dispose();
    } finally {
      m.dispose();
    }
  });
});
