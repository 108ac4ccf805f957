/**
 * Pyramid Vision Transformer — Wang et al. 2021, "Pyramid Vision Transformer: A Versatile
 * Backbone for Dense Prediction without Convolutions", arXiv 2102.12122 (v1);
 * Wang et al. 2022, "PVT v2: Improved Baselines with Pyramid Vision Transformer", arXiv 2106.13797.
 *
 * Four stages, each: patch embed (v1: P×P/P; v2: overlapping 7×7/4 then 3×3/2) → blocks of
 * spatial-reduction attention (keys/values from an R×R-strided conv) + MLP (v2: with a 3×3
 * depthwise conv). v1 adds a learned position embedding per stage and a [CLS] token in the
 * last stage; v2 has neither and pools. Taps: stem, stage1…4, stageS.blockNN.attn.
 */
import type { Graph, T } from './nn/graph';
import {
  addPosEmbed,
  blockName,
  convMlp,
  dropPath,
  dropPathRates,
  layerNorm,
  linear,
  mhsa,
  mlp,
  patchEmbed,
  prependCls,
  toMap,
} from './layers';
import { defineFamily, FMNIST, IN1K, type BaseConfig } from './common';

export interface PvtConfig extends BaseConfig {
  version: 1 | 2;
  patchSizes: number[]; // per-stage patch (v1) or stride (v2) P_i
  embedDims: number[]; // C_i
  depths: number[]; // L_i
  numHeads: number[]; // N_i
  mlpRatios: number[]; // E_i
  srRatios: number[]; // R_i
  qkvBias: boolean;
  dropPath: number;
}

function pvtBlock(g: Graph, x: T, cfg: PvtConfig, s: number, h: number, w: number, dp: number): T {
  const C = x.shape[2]!;
  let y = mhsa(g.at('attn'), layerNorm(g.at('norm1'), x, 1e-6), cfg.numHeads[s]!, { qkvBias: cfg.qkvBias, srRatio: cfg.srRatios[s]!, grid: [h, w] });
  x = g.add(x, dropPath(g, y, dp));
  const hidden = cfg.mlpRatios[s]! * C;
  const xn = layerNorm(g.at('norm2'), x, 1e-6);
  y = cfg.version === 2 ? convMlp(g.at('mlp'), xn, hidden, h, w) : mlp(g.at('mlp'), xn, hidden);
  return g.add(x, dropPath(g, y, dp));
}

function buildPvt(cfg: PvtConfig) {
  return (g: Graph, x: T): T => {
    const rates = dropPathRates(cfg.dropPath, cfg.depths.reduce((a, b) => a + b, 0));
    const last = cfg.depths.length - 1;
    let y = x; // [B, H, W, C] between stages
    let tokens: T = x;
    let k = 0;
    cfg.depths.forEach((depth, s) => {
      const st = g.at(`stage${s + 1}`);
      const p = cfg.patchSizes[s]!;
      // v2's overlapping embed: kernel 2P−1 (7 for P=4, 3 for P=2), padding P−1.
      const emb = cfg.version === 2
        ? patchEmbed(st.at('patch_embed'), y, cfg.embedDims[s]!, 2 * p - 1, { stride: p, pad: p - 1, norm: true })
        : patchEmbed(st.at('patch_embed'), y, cfg.embedDims[s]!, p, { norm: true });
      tokens = emb.tokens; // [B, h·w, C_i]
      if (s === 0) g.tap(toMap(g, tokens, emb.h, emb.w), 'stem');
      if (cfg.version === 1) {
        if (s === last) tokens = prependCls(g, tokens);
        tokens = addPosEmbed(st, tokens); // [B, (1+)h·w, C_i]
      }
      for (let j = 0; j < depth; j++, k++) tokens = st.at(blockName(k)).tap(pvtBlock(st.at(blockName(k)), tokens, cfg, s, emb.h, emb.w, rates[k]!)); // `stage<s>.block<kk>`
      if (cfg.version === 2) tokens = layerNorm(st.at('norm'), tokens, 1e-6);
      if (s < last || cfg.version === 2) y = g.tap(toMap(g, tokens, emb.h, emb.w), `stage${s + 1}`);
      else g.tap(tokens, `stage${s + 1}`);
    });
    let pre: T;
    const [B, , C] = tokens.shape as [number, number, number];
    if (cfg.version === 1) {
      const normed = layerNorm(g.at('norm'), tokens, 1e-6);
      pre = g.reshape(g.slice(normed, [0, 0, 0], [B, 1, C]), [B, C]); // [CLS]
    } else {
      pre = g.mixed(g.mean(tokens, 1), 'global'); // [B, C]
    }
    return linear(g.at('head'), g.tap(pre, 'pre_logits'), cfg.numClasses);
  };
}

const stages4 = { patchSizes: [4, 2, 2, 2], embedDims: [64, 128, 320, 512], numHeads: [1, 2, 5, 8], srRatios: [8, 4, 2, 1], qkvBias: true, dropPath: 0 };

export const PVT = defineFamily<PvtConfig>({
  family: 'Pyramid Vision Transformer v1/v2 (Wang et al. 2021, 2022)',
  variants: {
    // PVT Table 1, PVT-Small: P=4,2,2,2; C=64,128,320,512; L=3,4,6,3; N=1,2,5,8; E=8,8,4,4; R=8,4,2,1.
    pvt_small: { ...IN1K, version: 1, ...stages4, depths: [3, 4, 6, 3], mlpRatios: [8, 8, 4, 4] },
    // PVTv2 Table 1, B2: same widths/heads/R, L=3,4,6,3, E=8,8,4,4; overlapping embeds and conv-FFN.
    pvt_v2_b2: { ...IN1K, version: 2, ...stages4, depths: [3, 4, 6, 3], mlpRatios: [8, 8, 4, 4] },
    // Mini (v2 style, spatial-reduction attention): 28 → 14×14 (R=2) → 7×7 (R=1); C=48, 96.
    pvt_mini_28: { ...FMNIST, version: 2, patchSizes: [2, 2], embedDims: [48, 96], depths: [2, 2], numHeads: [2, 4], mlpRatios: [2, 2], srRatios: [2, 1], qkvBias: true, dropPath: 0 },
  },
  build: buildPvt,
  admits: (cfg, side) => side % cfg.patchSizes.reduce((a, b) => a * b, 1) === 0,
  admitsRule: 'multiples of 32 (patch strides 4·2·2·2)',
});
