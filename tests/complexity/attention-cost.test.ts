import { describe, expect, it } from 'vitest';
import {
  attentionMapElements,
  convMacs,
  globalAttentionMacs,
  globalAttentionParts,
  kvDownsampledAttentionMacs,
  mlpMacs,
  windowAttentionMacs,
} from '../../scripts/lib/complexity/attention-cost';

// Stage 1 of Swin-T at 224 px: 56×56 tokens, C = 96, window 7 (Liu et al. 2021, Eq. 1–2).
const swinStage1 = { h: 56, w: 56, c: 96 };

describe('attention cost formulas', () => {
  it('global MSA matches Swin Eq. (1): 4hwC² + 2(hw)²C', () => {
    expect(globalAttentionMacs(swinStage1)).toBe(4 * 3136 * 96 * 96 + 2 * 3136 * 3136 * 96);
    expect(globalAttentionMacs(swinStage1)).toBe(2_003_828_736);
  });

  it('window MSA matches Swin Eq. (2): 4hwC² + 2M²hwC', () => {
    expect(windowAttentionMacs(swinStage1, 7)).toBe(4 * 3136 * 96 * 96 + 2 * 49 * 3136 * 96);
    expect(windowAttentionMacs(swinStage1, 7)).toBe(145_108_992);
  });

  it('a window as large as the grid is global attention', () => {
    const g = { h: 14, w: 14, c: 32 };
    expect(windowAttentionMacs(g, 14)).toBe(globalAttentionMacs(g));
  });

  it('reduction 1 costs global attention plus one extra 1×1 projection (the reduction conv)', () => {
    const g = { h: 8, w: 8, c: 16 };
    expect(kvDownsampledAttentionMacs(g, 1)).toBe(globalAttentionMacs(g) + 64 * 16 * 16);
  });

  it('PVT stage 1 (56×56, C=64, R=8) by hand', () => {
    const n = 3136, c = 64, nkv = 49;
    const expected = 2 * n * c * c + nkv * 64 * c * c + 2 * nkv * c * c + 2 * n * nkv * c;
    expect(kvDownsampledAttentionMacs({ h: 56, w: 56, c }, 8)).toBe(expected);
  });

  it('global attention grows quadratically, window attention linearly, in the token count', () => {
    const small = { h: 28, w: 28, c: 96 };
    const big = { h: 56, w: 56, c: 96 };
    const quadTerm = (g: typeof small) => globalAttentionMacs(g) - 4 * g.h * g.w * g.c * g.c;
    expect(quadTerm(big) / quadTerm(small)).toBe(16);
    expect(windowAttentionMacs(big, 7) / windowAttentionMacs(small, 7)).toBe(4);
  });

  it('3×3 conv: 56×56, 64→64 is 115,605,504 MACs', () => {
    expect(convMacs({ h: 56, w: 56, c: 64 }, 3)).toBe(115_605_504);
  });

  it('pads a grid the window does not tile, as Swin does (10×10 with M=7 runs as 14×14)', () => {
    const g = { h: 10, w: 10, c: 8 };
    expect(windowAttentionMacs(g, 7)).toBe(4 * 100 * 64 + 2 * 196 * 49 * 8);
  });

  it('a stride-R reduction keeps ⌊h/R⌋·⌊w/R⌋ key/value tokens', () => {
    const g = { h: 10, w: 10, c: 8 };
    const nkv = 4; // ⌊10/4⌋² = 2² = 4
    expect(kvDownsampledAttentionMacs(g, 4)).toBe(2 * 100 * 64 + nkv * 16 * 64 + 2 * nkv * 64 + 2 * 100 * nkv * 8);
  });

  it('rejects nonsense windows and reductions', () => {
    expect(() => windowAttentionMacs({ h: 8, w: 8, c: 8 }, 0)).toThrow(/positive integer/);
    expect(() => kvDownsampledAttentionMacs({ h: 4, w: 4, c: 8 }, 8)).toThrow(/larger than/);
  });

  it('ViT-B/16 layer at 224 px (N = 197, C = 768): parts add up to the whole, MLP ratio 4', () => {
    const parts = globalAttentionParts(197, 768);
    expect(parts.projections).toBe(4 * 197 * 768 * 768);
    expect(parts.products).toBe(2 * 197 * 197 * 768);
    expect(mlpMacs(197, 768, 4)).toBe(2 * 197 * 768 * 3072);
    expect(mlpMacs(197, 768, 4)).toBe(2 * parts.projections);
  });

  it('attention-map sizes', () => {
    expect(attentionMapElements({ h: 4, w: 4, c: 1 }, 'global')).toBe(256);
    expect(attentionMapElements({ h: 4, w: 4, c: 1 }, { window: 2 })).toBe(64);
    expect(attentionMapElements({ h: 4, w: 4, c: 1 }, { reduction: 2 })).toBe(64);
  });
});
