/** Shape checks for every shared block: real forward (tfjs-cpu) == counter, params and MACs agree. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  basicBlock,
  bottleneck,
  conv,
  convMlp,
  convNormAct,
  convnextBlock,
  convProjAttention,
  dropPath,
  groupNorm,
  gridPartition,
  gridReverse,
  layerNorm,
  batchNorm,
  linear,
  mbconv,
  mhsa,
  mlp,
  patchEmbed,
  patchMerging,
  prependCls,
  addPosEmbed,
  squeezeExcite,
  transformerBlock,
  windowAttention,
  windowPartition,
  windowReverse,
  shiftMask,
} from '../../models/layers';
import { Graph, type T } from '../../models/nn/graph';
import { ParamStore } from '../../models/nn/store';
import { runLayer } from './harness';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type Case = [name: string, fn: (g: Graph, x: T) => T, input: number[], out: number[], params?: number];

const cases: Case[] = [
  ['linear', (g, x) => linear(g, x, 24), [2, 5, 16], [2, 5, 24], 16 * 24 + 24],
  ['conv 3×3 /2', (g, x) => conv(g, x, 12, 3, { stride: 2 }), [2, 9, 9, 4], [2, 5, 5, 12], 9 * 4 * 12 + 12],
  ['depthwise conv ×2', (g, x) => conv(g, x, 8, 3, { groups: 'dw', bias: false }), [1, 6, 6, 4], [1, 6, 6, 8], 9 * 8],
  ['conv-norm-act', (g, x) => convNormAct(g, x, 8, 3, { act: 'relu' }), [2, 8, 8, 3], [2, 8, 8, 8], 9 * 3 * 8 + 2 * 8],
  ['LayerNorm', (g, x) => layerNorm(g, x), [2, 5, 16], [2, 5, 16], 32],
  ['BatchNorm', (g, x) => batchNorm(g, x), [2, 4, 4, 6], [2, 4, 4, 6], 12],
  ['GroupNorm(1)', (g, x) => groupNorm(g, x, 1), [2, 4, 4, 6], [2, 4, 4, 6], 12],
  ['drop-path (identity at eval)', (g, x) => dropPath(g, x, 0.5), [2, 3, 8], [2, 3, 8], 0],
  ['patch embed 4×4', (g, x) => patchEmbed(g, x, 32, 4, { norm: true }).tokens, [2, 16, 16, 3], [2, 16, 32], 16 * 3 * 32 + 32 + 64],
  ['patch embed overlapping 7/4', (g, x) => patchEmbed(g, x, 16, 7, { stride: 4, pad: 3 }).tokens, [1, 16, 16, 3], [1, 16, 16]],
  ['CLS + pos embed', (g, x) => addPosEmbed(g, prependCls(g, x)), [2, 9, 8], [2, 10, 8], 8 + 80],
  ['MLP', (g, x) => mlp(g, x, 32), [2, 5, 8], [2, 5, 8], 8 * 32 + 32 + 32 * 8 + 8],
  ['conv-MLP (PVTv2)', (g, x) => convMlp(g, x, 16, 4, 4), [2, 16, 8], [2, 16, 8]],
  ['MHSA', (g, x) => mhsa(g, x, 2), [2, 10, 16], [2, 10, 16], 4 * 16 * 16 + 4 * 16],
  ['MHSA + spatial reduction R=2 (PVT)', (g, x) => mhsa(g, x, 2, { srRatio: 2, grid: [4, 4] }), [2, 16, 16], [2, 16, 16]],
  ['transformer block', (g, x) => transformerBlock(g, x, 2, { mlpRatio: 2 }), [2, 10, 16], [2, 10, 16]],
  ['window attention (W-MSA)', (g, x) => windowAttention(g, x, 2, { window: 4, shift: 0 }), [2, 8, 8, 16], [2, 8, 8, 16]],
  ['window attention shifted + padded (SW-MSA)', (g, x) => windowAttention(g, x, 2, { window: 4, shift: 2 }), [1, 6, 10, 8], [1, 6, 10, 8]],
  ['conv projection attention (CvT) + CLS', (g, x) => convProjAttention(g, x, 2, 4, 4, { cls: true }), [2, 17, 16], [2, 17, 16]],
  ['basic residual block /2', (g, x) => basicBlock(g, x, 16, { stride: 2 }), [2, 8, 8, 8], [2, 4, 4, 16]],
  ['bottleneck /2 (stride in 1×1)', (g, x) => bottleneck(g, x, 4, 16, { stride: 2, strideAt: '1x1' }), [2, 8, 8, 8], [2, 4, 4, 16]],
  ['bottleneck, GroupNorm + StdConv (BiT)', (g, x) => bottleneck(g, x, 32, 64, { norm: 'gn32', ws: true }), [1, 4, 4, 64], [1, 4, 4, 64]],
  ['squeeze-excite', (g, x) => squeezeExcite(g, x, 2), [2, 4, 4, 8], [2, 4, 4, 8], 8 * 2 + 2 + 2 * 8 + 8],
  ['MBConv (MobileNetV2)', (g, x) => mbconv(g, x, 8), [2, 6, 6, 8], [2, 6, 6, 8]],
  ['MBConv /2 pre-norm + SE + pool shortcut (CoAtNet)', (g, x) => mbconv(g, x, 16, { stride: 2, hidden: 64, seRd: 4, preNorm: true, shortcut: 'pool-conv' }), [2, 8, 8, 8], [2, 4, 4, 16]],
  ['ConvNeXt block', (g, x) => convnextBlock(g, x), [2, 8, 8, 16], [2, 8, 8, 16], 49 * 16 + 16 + 32 + 16 * 64 + 64 + 64 * 16 + 16 + 16],
  ['patch merging', (g, x) => patchMerging(g, x), [2, 8, 8, 6], [2, 4, 4, 12], 48 + 24 * 12],
  ['window partition ∘ reverse', (g, x) => windowReverse(g, windowPartition(g, x, 2, 2), 2, 2, 4, 6), [2, 4, 6, 3], [2, 4, 6, 3], 0],
  ['grid partition ∘ reverse', (g, x) => gridReverse(g, gridPartition(g, x, 2), 2, 4, 6), [2, 4, 6, 3], [2, 4, 6, 3], 0],
];

describe('shared blocks: real forward shape == counted shape', () => {
  it.each(cases)('%s', (_name, fn, input, out, params) => {
    const r = runLayer(fn, input);
    expect(r.shape).toEqual(out);
    expect(r.counted).toEqual(out);
    expect(r.instantiated).toBe(r.params);
    expect(r.runMacs).toBe(r.macs);
    if (params !== undefined) expect(r.params).toBe(params);
  });

  it('BatchNorm in training mode uses batch statistics and still matches shapes', () => {
    const r = runLayer((g, x) => convNormAct(g, x, 4, 3), [4, 5, 5, 2], { training: true });
    expect(r.shape).toEqual([4, 5, 5, 4]);
  });

  it('attention taps hold probabilities [B, heads, N, M]', () => {
    const r = runLayer((g, x) => mhsa(g.at('attn'), x, 2, { srRatio: 2, grid: [4, 4] }), [3, 16, 8]);
    expect(r.taps['attn']).toEqual([3, 2, 16, 4]);
  });

  it('window/grid partitions pick the right pixels; roll matches torch.roll', () => {
    const store = new ParamStore(0, 'values');
    const g = Graph.run({ store, training: false, check: true });
    const x = tf.range(0, 16).reshape([1, 4, 4, 1]); // pixel value = 4·y + x
    const win = windowPartition(g, x, 2, 2) as tf.Tensor; // [4 windows, 4 tokens, 1]
    expect(Array.from(win.dataSync()).slice(0, 8)).toEqual([0, 1, 4, 5, 2, 3, 6, 7]);
    const grid = gridPartition(g, x, 2) as tf.Tensor; // tokens strided H/G = 2 apart
    expect(Array.from(grid.dataSync()).slice(0, 8)).toEqual([0, 2, 8, 10, 1, 3, 9, 11]);
    expect(Array.from((gridReverse(g, grid, 2, 4, 4) as tf.Tensor).dataSync())).toEqual(Array.from(x.dataSync()));
    expect(Array.from((windowReverse(g, win, 2, 2, 4, 4) as tf.Tensor).dataSync())).toEqual(Array.from(x.dataSync()));
    const r = g.roll(tf.tensor1d([0, 1, 2, 3]), 1, [0]) as tf.Tensor;
    expect(Array.from(r.dataSync())).toEqual([3, 0, 1, 2]);
    tf.dispose([x, win, grid, r]);
    store.dispose();
  });

  it('shift mask separates the rolled seam only', () => {
    const m = shiftMask(4, 4, 2, 1); // 4 windows of 4 tokens
    const w0 = Array.from(m.slice(0, 16));
    expect(w0.every((v) => v === 0)).toBe(true); // top-left window never crosses the seam
    const w3 = Array.from(m.slice(3 * 16, 4 * 16));
    expect(w3.filter((v) => v === -100).length).toBeGreaterThan(0);
  });
});
