/**
 * The counter on hand-computed layers: conv, depthwise conv, linear, attention (QKᵀ and AV are
 * N²·d each), window and spatial-reduction attention; activation liveness; receptive fields.
 */
import { describe, expect, it } from 'vitest';
import { breakdown, receptiveFields, summarize } from '../../scripts/lib/analysis/count';
import { conv, linear, mhsa, patchMerging, windowAttention } from '../../models/layers';
import { countBuilder } from '../../models/nn/model';
import type { Graph, T } from '../../models/nn/graph';

const count = (fn: (g: Graph, x: T) => T, input: number[]) => countBuilder(fn, input.slice(1), input[0]);

describe('multiply-add counter', () => {
  it('conv 3×3, 64→64 at 56×56: 115,605,504 MACs, 36,928 params', () => {
    const r = count((g, x) => conv(g, x, 64, 3), [1, 56, 56, 64]);
    expect(r.macs).toBe(115_605_504); // 56·56·3·3·64·64
    expect(r.paramCount).toBe(3 * 3 * 64 * 64 + 64);
  });

  it('strided and depthwise convs', () => {
    expect(count((g, x) => conv(g, x, 64, 7, { stride: 2, pad: 3 }), [1, 224, 224, 3]).macs).toBe(112 * 112 * 49 * 3 * 64); // ResNet stem: 118 M
    expect(count((g, x) => conv(g, x, 96, 7, { groups: 'dw' }), [1, 56, 56, 96]).macs).toBe(56 * 56 * 49 * 96);
  });

  it('linear on tokens: B·N·Cin·Cout', () => {
    expect(count((g, x) => linear(g, x, 3072), [2, 197, 768]).macs).toBe(2 * 197 * 768 * 3072);
  });

  it('MHSA on N tokens: 4·N·C² projections + QKᵀ (N²·C) + AV (N²·C)', () => {
    const [N, C] = [197, 768];
    const r = count((g, x) => mhsa(g, x, 12), [1, N, C]);
    const matmuls = r.ops.filter((e) => e.op === 'matMul' && !e.path.endsWith('qkv') && !e.path.endsWith('proj'));
    expect(r.macs).toBe(4 * N * C * C + 2 * N * N * C);
    expect(matmuls.map((e) => e.macs)).toEqual([N * N * C, N * N * C]);
  });

  it('spatial-reduction attention (PVT, R=8 at 56×56, C=64): keys/values over N/R² tokens', () => {
    const [h, C, R] = [56, 64, 8];
    const N = h * h;
    const r = count((g, x) => mhsa(g, x, 1, { srRatio: R, grid: [h, h] }), [1, N, C]);
    const M = N / (R * R);
    // q + proj: 2NC²; sr conv R×R: M·R²·C²; kv: 2MC²; QKᵀ + AV: 2·N·M·C
    expect(r.macs).toBe(2 * N * C * C + M * R * R * C * C + 2 * M * C * C + 2 * N * M * C);
  });

  it('window attention (Swin Eq. 2): 4hwC² + 2M²hwC', () => {
    const [h, C, M] = [56, 96, 7];
    const r = count((g, x) => windowAttention(g, x, 3, { window: M, shift: 3 }), [1, h, h, C]);
    expect(r.macs).toBe(4 * h * h * C * C + 2 * M * M * h * h * C);
  });

  it('patch merging: a 4C → 2C linear at H/2 × W/2', () => {
    expect(count((g, x) => patchMerging(g, x), [1, 56, 56, 96]).macs).toBe(28 * 28 * 384 * 192);
  });

  it('per-layer breakdown sums to the total', () => {
    const r = count((g, x) => linear(g.at('b'), conv(g.at('a'), x, 8, 3), 4), [1, 8, 8, 3]);
    const rows = breakdown(r);
    expect(rows.map((x) => x.name)).toEqual(['a', 'b']);
    expect(rows.reduce((n, x) => n + x.macs, 0)).toBe(r.macs);
    expect(rows.reduce((n, x) => n + x.params, 0)).toBe(r.paramCount);
    expect(rows.reduce((n, x) => n + x.activationBytes, 0)).toBe(summarize(r).totalActivationBytes);
  });
});

describe('activation memory', () => {
  it('a chain keeps at most input + output alive; reshapes alias', () => {
    const r = count((g, x) => {
      const a = conv(g.at('a'), x, 8, 1, { bias: false }); // 8·8·8 = 512
      const b = g.reshape(a, [1, 64, 8]);
      return conv(g.at('c'), g.reshape(b, [1, 8, 8, 8]), 2, 1, { bias: false }); // 128
    }, [1, 8, 8, 4]); // input 256
    expect(r.peakLiveElems()).toBe(256 + 512);
    expect(summarize(r).peakActivationBytes).toBe(4 * (256 + 512));
  });

  it('a residual keeps its input alive across the branch', () => {
    const r = count((g, x) => g.add(x, conv(g.at('b'), conv(g.at('a'), x, 4, 1, { bias: false }), 4, 1, { bias: false })), [1, 4, 4, 4]);
    expect(r.peakLiveElems()).toBe(3 * 64); // x, a and b live together before the add
  });
});

describe('theoretical receptive field', () => {
  it('grows by (k−1)·stride-product per conv', () => {
    const r = count((g, x) => {
      let y = g.tap(conv(g.at('c1'), x, 4, 3), 'c1'); // 3
      y = g.tap(conv(g.at('c2'), y, 4, 3, { stride: 2 }), 'c2'); // 5, jump 2
      y = g.tap(conv(g.at('c3'), y, 4, 3), 'c3'); // 9
      return g.tap(g.maxPool(y, 3, 2, 1), 'pool'); // 13, jump 4
    }, [1, 32, 32, 1]);
    expect(receptiveFields(r).map((f) => [f.tap, f.rf, f.stride])).toEqual([
      ['c1', 3, 1],
      ['c2', 5, 2],
      ['c3', 9, 2],
      ['pool', 13, 4],
    ]);
  });

  it('becomes global after global attention, and grows by the window in window attention', () => {
    const r = count((g, x) => {
      const t = g.reshape(conv(g.at('embed'), x, 8, 4, { stride: 4, pad: 0 }), [1, 16, 8]);
      g.tap(windowAttention(g.at('w'), g.reshape(t, [1, 4, 4, 8]), 2, { window: 2, shift: 0 }), 'window');
      return g.tap(mhsa(g.at('attn'), t, 2), 'global');
    }, [1, 16, 16, 3]);
    const f = Object.fromEntries(receptiveFields(r).map((x) => [x.tap, x.rf]));
    expect(f.window).toBe(4 + 4); // patch 4 px, plus one more patch of the 2×2 window
    expect(f.global).toBe('global');
  });
});
