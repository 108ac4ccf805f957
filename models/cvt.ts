/**
 * CvT — Wu et al. 2021, "CvT: Introducing Convolutions to Vision Transformers", arXiv 2103.15808.
 *
 * Three stages, each: convolutional token embedding (overlapping strided conv + LN) → blocks
 * whose q/k/v come from depthwise-conv projections (k/v strided by 2); a [CLS] token joins in
 * the last stage, no position embedding. Taps: stem, stage1…3, stageS.blockNN.attn.
 */
import type { Graph, T } from './nn/graph';
import { blockName, conv, convProjAttention, dropPath, dropPathRates, layerNorm, linear, mlp, prependCls, toMap, toTokens } from './layers';
import { defineFamily, FMNIST, IN1K, type BaseConfig } from './common';

export interface CvtConfig extends BaseConfig {
  embedKernels: number[]; // token-embedding conv kernel per stage (7, 3, 3)
  embedStrides: number[]; // (4, 2, 2)
  dims: number[]; // (64, 192, 384)
  depths: number[]; // (1, 2, 10) for CvT-13
  numHeads: number[]; // (1, 3, 6)
  mlpRatio: number;
  kvStride: number; // 2
  clsLastStage: boolean;
  dropPath: number;
}

function cvtBlock(g: Graph, x: T, heads: number, h: number, w: number, cls: boolean, cfg: CvtConfig, dp: number): T {
  const C = x.shape[2]!;
  let y = convProjAttention(g.at('attn'), layerNorm(g.at('norm1'), x), heads, h, w, { kvStride: cfg.kvStride, cls });
  x = g.add(x, dropPath(g, y, dp));
  y = mlp(g.at('mlp'), layerNorm(g.at('norm2'), x), cfg.mlpRatio * C);
  return g.add(x, dropPath(g, y, dp));
}

function buildCvt(cfg: CvtConfig) {
  return (g: Graph, x: T): T => {
    const rates = dropPathRates(cfg.dropPath, cfg.depths.reduce((a, b) => a + b, 0));
    const last = cfg.depths.length - 1;
    let map = x;
    let tokens: T = x;
    let k = 0;
    cfg.depths.forEach((depth, s) => {
      const st = g.at(`stage${s + 1}`);
      const kk = cfg.embedKernels[s]!;
      // Convolutional token embedding (§3.1): overlapping conv, padding ⌊k/2⌋, then LN.
      map = conv(st.at('patch_embed').at('proj'), map, cfg.dims[s]!, kk, { stride: cfg.embedStrides[s]!, pad: Math.floor(kk / 2) });
      const [, h, w] = map.shape as [number, number, number, number];
      tokens = layerNorm(st.at('patch_embed').at('norm'), toTokens(g, map)); // [B, h·w, C]
      if (s === 0) g.tap(toMap(g, tokens, h, w), 'stem');
      const cls = cfg.clsLastStage && s === last;
      if (cls) tokens = prependCls(st, tokens); // [B, 1 + h·w, C]
      for (let j = 0; j < depth; j++, k++) tokens = cvtBlock(st.at(blockName(k)), tokens, cfg.numHeads[s]!, h, w, cls, cfg, rates[k]!);
      if (cls) {
        const [B, , C] = tokens.shape as [number, number, number];
        g.tap(tokens, `stage${s + 1}`);
        map = g.slice(tokens, [0, 1, 0], [B, h * w, C]);
      } else {
        map = g.tap(toMap(g, tokens, h, w), `stage${s + 1}`);
      }
    });
    const [B, , C] = tokens.shape as [number, number, number];
    const normed = layerNorm(g.at('norm'), tokens);
    const pre = cfg.clsLastStage ? g.reshape(g.slice(normed, [0, 0, 0], [B, 1, C]), [B, C]) : g.mixed(g.mean(normed, 1), 'global');
    return linear(g.at('head'), g.tap(pre, 'pre_logits'), cfg.numClasses);
  };
}

export const CVT = defineFamily<CvtConfig>({
  family: 'CvT (Wu et al. 2021)',
  variants: {
    // Table 2, CvT-13: embed 7×7/4, 3×3/2, 3×3/2; C=64, 192, 384; heads 1, 3, 6; blocks 1, 2, 10; MLP ×4.
    cvt_13: { ...IN1K, embedKernels: [7, 3, 3], embedStrides: [4, 2, 2], dims: [64, 192, 384], depths: [1, 2, 10], numHeads: [1, 3, 6], mlpRatio: 4, kvStride: 2, clsLastStage: true, dropPath: 0 },
    // Mini: embed 3×3/2 (28 → 14), 3×3/2 (→ 7); C=48, 96; heads 2, 4; blocks 1, 2; MLP ×2; CLS in stage 2.
    cvt_mini_28: { ...FMNIST, embedKernels: [3, 3], embedStrides: [2, 2], dims: [48, 96], depths: [1, 3], numHeads: [2, 4], mlpRatio: 2, kvStride: 2, clsLastStage: true, dropPath: 0 },
  },
  build: buildCvt,
  admits: (cfg, side) => side % cfg.embedStrides.reduce((a, b) => a * b, 1) === 0,
  admitsRule: 'multiples of 16 (embedding strides 4·2·2)',
});
