/**
 * The registry: every variant builds (count mode) with the right output shape; overrides are
 * type-checked; and the counting path is cross-checked against instantiated paper-size models.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Recorder } from '../../models/nn/graph';
import { admits, countModel, createModel, listModels, modelConfig } from '../../models/index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('registry', () => {
  it('holds the 23 listed paper configurations (and more) and 7 minis', () => {
    const names = listModels();
    for (const n of [
      'resnet50', 'convnext_tiny', 'vit_base_patch16_224', 'vit_large_patch16_224', 'deit_tiny_patch16_224', 'deit_small_patch16_224',
      'vit_base_r50_s16_224', 'pvt_small', 'pvt_v2_b2', 'swin_tiny_patch4_window7_224', 'swin_small_patch4_window7_224',
      'swin_base_patch4_window7_224', 'cvt_13', 'coatnet_0_224', 'mobilevit_s', 'levit_256', 'twins_svt_small', 'poolformer_s24',
      'mixer_b16_224', 'maxvit_tiny_tf_224', 'convit_small', 'pit_s_224', 't2t_vit_14', 'efficientnet_b0', 'cait_s24_224',
      'vit_mini_patch4_28', 'resnet_mini_28', 'convnext_mini_28', 'hybrid_mini_28', 'pvt_mini_28', 'swin_mini_28', 'cvt_mini_28',
    ]) expect(names).toContain(n);
  });

  it.each(listModels())('%s builds at its smallest admitted input with logits [1, classes]', (name) => {
    const cfg = modelConfig(name);
    const side = [28, 32, 64, 112, 128, 160, 224].find((s) => s >= Math.min(cfg.imgSize, 64) && admits(name, s))!;
    const rec = countModel(name, { resolution: side });
    expect(rec.taps.get('pre_logits')?.shape[0]).toBe(1);
    expect(rec.params.size).toBeGreaterThan(0);
    expect(rec.macs).toBeGreaterThan(0);
  });

  it('rejects unknown names, unknown keys and type changes', () => {
    expect(() => modelConfig('vit_huge')).toThrow(/unknown model/);
    expect(() => modelConfig('vit_mini_patch4_28', { depht: 3 })).toThrow(/unknown config key 'depht'/);
    expect(() => modelConfig('vit_mini_patch4_28', { depth: '3' })).toThrow(/must be number/);
    expect(modelConfig('vit_mini_patch4_28', { depth: 3 }).depth).toBe(3);
  });
});

describe('counting path == instantiated paper-size models', () => {
  // Paper-size weights are allocated here only (≈ 60 M floats in all), one model at a time.
  it.each(['deit_tiny_patch16_224', 'resnet50', 'swin_tiny_patch4_window7_224'])('%s: counted params == tf.Variables at 224', (name) => {
    const m = createModel(name);
    try {
      expect(m.variables().reduce((n, v) => n + v.size, 0)).toBe(countModel(name).paramCount);
    } finally {
      m.dispose();
    }
  });

});

/** Each paper configuration shrunk (widths, depths, input) so a real forward is cheap; same code paths. */
const mv2 = (out: number, stride = 1) => ({ kind: 'mv2', out, stride });
const mvit = (dim: number, depth: number) => ({ kind: 'mobilevit', dim, depth });
const TINY: Record<string, Record<string, unknown>> = {
  resnet50: { imgSize: 64, widths: [8, 16, 32, 64], layers: [1, 1, 1, 1] },
  convnext_tiny: { imgSize: 64, dims: [16, 32, 48, 64], depths: [1, 1, 1, 1] },
  vit_base_patch16_224: { imgSize: 32, embedDim: 32, depth: 2, numHeads: 2 },
  vit_large_patch16_224: { imgSize: 32, embedDim: 32, depth: 2, numHeads: 2 },
  deit_tiny_patch16_224: { imgSize: 32, embedDim: 24, depth: 2, numHeads: 3 },
  deit_small_patch16_224: { imgSize: 32, embedDim: 24, depth: 2, numHeads: 3 },
  deit_base_patch16_224: { imgSize: 32, embedDim: 24, depth: 2, numHeads: 3 },
  vit_base_r50_s16_224: { imgSize: 64, embedDim: 32, depth: 1, numHeads: 2, backboneLayers: [1, 1, 1], backboneWidths: [32, 32, 32] },
  pvt_small: { imgSize: 64, embedDims: [16, 32, 48, 64], depths: [1, 1, 1, 1], numHeads: [1, 1, 2, 2] },
  pvt_v2_b2: { imgSize: 64, embedDims: [16, 32, 48, 64], depths: [1, 1, 1, 1], numHeads: [1, 1, 2, 2] },
  swin_tiny_patch4_window7_224: { imgSize: 64, embedDim: 16, depths: [2, 2, 2, 2], numHeads: [1, 1, 2, 2] },
  swin_small_patch4_window7_224: { imgSize: 64, embedDim: 16, depths: [2, 2, 2, 2], numHeads: [1, 1, 2, 2] },
  swin_base_patch4_window7_224: { imgSize: 64, embedDim: 16, depths: [2, 2, 2, 2], numHeads: [1, 1, 2, 2] },
  cvt_13: { imgSize: 64, dims: [16, 32, 48], depths: [1, 1, 2], numHeads: [1, 1, 2] },
  coatnet_0_224: { imgSize: 64, stemWidth: 16, dims: [16, 32, 64, 64], depths: [1, 1, 2, 1], headHidden: 32 },
  mobilevit_s: { imgSize: 64, stemWidth: 8, stages: [[mv2(16)], [mv2(16, 2)], [mv2(24, 2), mvit(32, 1)], [mv2(32, 2), mvit(32, 1)], [mv2(32, 2), mvit(32, 1)]], lastWidth: 64 },
  levit_256: { imgSize: 64, embedDims: [32, 64, 64], numHeads: [1, 2, 2], depths: [1, 1, 1] },
  twins_svt_small: { imgSize: 64, embedDims: [16, 32, 48, 64], depths: [2, 2, 2, 2], numHeads: [1, 1, 2, 2] },
  poolformer_s24: { imgSize: 64, embedDims: [16, 32, 48, 64], layers: [1, 1, 1, 1] },
  mixer_b16_224: { imgSize: 64, hiddenDim: 32, depth: 2, tokensMlpDim: 16, channelsMlpDim: 64 },
  maxvit_tiny_tf_224: { imgSize: 64, stemWidth: 16, dims: [32, 32, 64, 64], depths: [1, 1, 1, 1], headHidden: 32 },
  convit_small: { imgSize: 64, embedDim: 32, depth: 3, numHeads: 2, localUpToLayer: 2 },
  pit_s_224: { imgSize: 64, baseDims: [8, 8, 8], heads: [1, 2, 4], depth: [1, 1, 1] },
  t2t_vit_14: { imgSize: 64, tokenDim: 16, embedDim: 32, depth: 2, numHeads: 2 },
  resnet18: { imgSize: 64, widths: [8, 16, 32, 64] },
  efficientnet_b0: { imgSize: 64, stemWidth: 8, stages: [{ expand: 1, out: 8, layers: 1, stride: 1, kernel: 3 }, { expand: 4, out: 16, layers: 2, stride: 2, kernel: 5 }], headWidth: 32 },
  cait_s24_224: { imgSize: 32, embedDim: 32, depth: 2, depthTokenOnly: 1, numHeads: 2 },
};

describe('every paper configuration, shrunk: real forward agrees op by op with the counter', () => {
  it('covers every non-mini registered model', () => {
    expect(Object.keys(TINY).sort()).toEqual(listModels().filter((n) => !n.includes('_mini_')));
  });

  it.each(Object.entries(TINY))('%s', (name, overrides) => {
    const m = createModel(name, overrides);
    try {
      const [H, W, C] = m.inputShape;
      const rec = new Recorder();
      const { shape, taps } = tf.tidy(() => {
        const r = m.forwardChecked(tf.randomNormal([2, H, W, C]) as tf.Tensor4D, rec);
        return { shape: r.logits.shape, taps: Object.keys(r.taps) };
      });
      expect(shape).toEqual([2, 1000]);
      expect(taps).toContain('stem');
      expect(taps).toContain('pre_logits');
      const counted = countModel(name, { overrides, resolution: H, batch: 2 });
      expect(rec.macs).toBe(counted.macs);
      expect(m.variables().reduce((n, v) => n + v.size, 0)).toBe(counted.paramCount);
    } finally {
      m.dispose();
    }
  });
});
