/**
 * Twins-SVT — Chu et al. 2021, "Twins: Revisiting the Design of Spatial Attention in Vision
 * Transformers", arXiv 2104.13840.
 *
 * PVT-style stages whose blocks alternate locally-grouped self-attention (LSA: non-overlapping
 * windows) and global sub-sampled attention (GSA: PVT's spatial reduction); a position encoding
 * generator (PEG, 3×3 depthwise conv, CPVT) follows each stage's first block. Global pool head.
 * Taps: stem, stage1…4, stageS.blockNN.attn.
 */
import type { Graph, T } from './nn/graph';
import {
  attend,
  blockName,
  conv,
  dropPath,
  dropPathRates,
  layerNorm,
  linear,
  mhsa,
  mlp,
  patchEmbed,
  splitLast,
  toMap,
  toTokens,
  windowPartition,
  windowReverse,
} from './layers';
import { defineFamily, IN1K, type BaseConfig } from './common';

export interface TwinsConfig extends BaseConfig {
  patchSizes: number[];
  embedDims: number[];
  depths: number[];
  numHeads: number[];
  mlpRatio: number;
  srRatios: number[];
  windowSize: number; // LSA window (7)
  dropPath: number;
}

/** LSA: attention inside non-overlapping windows of the token grid (zero-padded to fit). */
function locallyGrouped(g: Graph, x: T, heads: number, h: number, w: number, win: number): T {
  const [B, , C] = x.shape as [number, number, number];
  const Hp = Math.ceil(h / win) * win;
  const Wp = Math.ceil(w / win) * win;
  let map = toMap(g, x, h, w);
  if (Hp !== h || Wp !== w) map = g.pad(map, [[0, 0], [0, Hp - h], [0, Wp - w], [0, 0]]);
  const windows = windowPartition(g, map, win, win); // [B·nW, win², C]
  const [q, k, v] = splitLast(g, linear(g.at('qkv'), windows, 3 * C), 3) as [T, T, T];
  let y = windowReverse(g, attend(g, q, k, v, heads, { mix: { steps: win } }), win, win, Hp, Wp); // [B, Hp, Wp, C]
  if (Hp !== h || Wp !== w) y = g.slice(y, [0, 0, 0, 0], [B, h, w, C]);
  return linear(g.at('proj'), toTokens(g, y), C);
}

function buildTwins(cfg: TwinsConfig) {
  return (g: Graph, x: T): T => {
    const rates = dropPathRates(cfg.dropPath, cfg.depths.reduce((a, b) => a + b, 0));
    let map = x;
    let tokens: T = x;
    let k = 0;
    cfg.depths.forEach((depth, s) => {
      const st = g.at(`stage${s + 1}`);
      const emb = patchEmbed(st.at('patch_embed'), map, cfg.embedDims[s]!, cfg.patchSizes[s]!, { norm: true });
      const { h, w } = emb;
      tokens = emb.tokens;
      if (s === 0) g.tap(toMap(g, tokens, h, w), 'stem');
      for (let j = 0; j < depth; j++, k++) {
        const b = st.at(blockName(k));
        const heads = cfg.numHeads[s]!;
        const C = cfg.embedDims[s]!;
        // Even blocks: LSA; odd: GSA (§3.2). The last stage has R=1, so its GSA is plain MHSA.
        const xn = layerNorm(b.at('norm1'), tokens);
        const a = j % 2 === 0
          ? locallyGrouped(b.at('attn'), xn, heads, h, w, cfg.windowSize)
          : mhsa(b.at('attn'), xn, heads, { srRatio: cfg.srRatios[s]!, grid: [h, w] });
        tokens = g.add(tokens, dropPath(b, a, rates[k]!));
        tokens = g.add(tokens, dropPath(b, mlp(b.at('mlp'), layerNorm(b.at('norm2'), tokens), cfg.mlpRatio * C), rates[k]!));
        if (j === 0) {
          // PEG (CPVT): x + DWConv3×3(x) on the token map.
          const m = toMap(g, tokens, h, w);
          tokens = toTokens(g, g.add(m, conv(st.at('pos_block'), m, C, 3, { groups: 'dw' })));
        }
      }
      map = g.tap(toMap(g, tokens, h, w), `stage${s + 1}`);
    });
    const normed = layerNorm(g.at('norm'), tokens);
    const pre = g.tap(g.mixed(g.mean(normed, 1), 'global'), 'pre_logits');
    return linear(g.at('head'), pre, cfg.numClasses);
  };
}

export const TWINS = defineFamily<TwinsConfig>({
  family: 'Twins (Chu et al. 2021)',
  variants: {
    // Table 2 (Twins-SVT-S): C=64,128,256,512; L=2,2,10,4; heads 2,4,8,16; window 7; R=8,4,2,1; MLP ×4.
    twins_svt_small: { ...IN1K, patchSizes: [4, 2, 2, 2], embedDims: [64, 128, 256, 512], depths: [2, 2, 10, 4], numHeads: [2, 4, 8, 16], mlpRatio: 4, srRatios: [8, 4, 2, 1], windowSize: 7, dropPath: 0 },
  },
  build: buildTwins,
  admits: (cfg, side) => side % 32 === 0,
  admitsRule: 'multiples of 32',
});
