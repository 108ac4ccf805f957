/**
 * Swin Transformer — Liu et al. 2021, "Swin Transformer: Hierarchical Vision Transformer using
 * Shifted Windows", arXiv 2103.14030.
 *
 * 4×4 patch embed → 4 stages of (shifted) window-attention blocks, patch merging between
 * stages → LayerNorm → global pool → head. Taps: stem, stage1…4, stageS.blockNN.attn
 * ([B·windows, heads, 49, 49]); blocks are numbered globally across stages.
 *
 *   countModel('swin_base_patch4_window7_224', { resolution: 448 })  // any multiple of 32
 */
import type { Graph, T } from './nn/graph';
import {
  blockName,
  dropPath,
  dropPathRates,
  globalAvgPool,
  layerNorm,
  linear,
  mlp,
  patchEmbed,
  patchMerging,
  toMap,
  windowAttention,
} from './layers';
import { defineFamily, FMNIST, IN1K, type BaseConfig } from './common';

export interface SwinConfig extends BaseConfig {
  patchSize: number;
  embedDim: number; // C of stage 1; doubles per stage
  depths: number[];
  numHeads: number[];
  windowSize: number;
  mlpRatio: number;
  qkvBias: boolean;
  dropPath: number;
}

/** One Swin block on a map [B, H, W, C]: x + W-MSA/SW-MSA(LN(x)); x + MLP(LN(x)). */
export function swinBlock(g: Graph, x: T, heads: number, window: number, shift: number, o: { mlpRatio: number; qkvBias: boolean; dropPath: number }): T {
  const C = x.shape[3]!;
  let y = windowAttention(g.at('attn'), layerNorm(g.at('norm1'), x), heads, { window, shift, qkvBias: o.qkvBias });
  x = g.add(x, dropPath(g, y, o.dropPath));
  y = mlp(g.at('mlp'), layerNorm(g.at('norm2'), x), o.mlpRatio * C);
  return g.add(x, dropPath(g, y, o.dropPath));
}

/** Stages of a Swin-style backbone on a map [B, H, W, C]; returns the last stage's map. */
export function swinStages(g: Graph, x: T, cfg: Omit<SwinConfig, keyof BaseConfig | 'patchSize'>, tap = true): T {
  const rates = dropPathRates(cfg.dropPath, cfg.depths.reduce((a, b) => a + b, 0));
  let k = 0;
  cfg.depths.forEach((depth, s) => {
    const st = g.at(`stage${s + 1}`);
    if (s > 0) x = patchMerging(st.at('downsample'), x);
    const [, H, W] = x.shape as [number, number, number, number];
    // A stage no larger than a window is one window, unshifted (Swin's reference code).
    const window = Math.min(cfg.windowSize, H, W);
    const shiftable = Math.min(H, W) > cfg.windowSize;
    for (let j = 0; j < depth; j++, k++) {
      const shift = j % 2 === 1 && shiftable ? Math.floor(window / 2) : 0;
      x = swinBlock(st.at(blockName(k)), x, cfg.numHeads[s]!, window, shift, { mlpRatio: cfg.mlpRatio, qkvBias: cfg.qkvBias, dropPath: rates[k]! });
      if (tap) st.at(blockName(k)).tap(x); // `stage<s>.block<kk>`
    }
    if (tap) g.tap(x, `stage${s + 1}`);
  });
  return x;
}

function buildSwin(cfg: SwinConfig) {
  return (g: Graph, x: T): T => {
    const { tokens, h, w } = patchEmbed(g.at('patch_embed'), x, cfg.embedDim, cfg.patchSize, { norm: true });
    let y = g.tap(toMap(g, tokens, h, w), 'stem'); // [B, H/4, W/4, C]
    y = swinStages(g, y, cfg);
    y = layerNorm(g.at('norm'), y);
    return linear(g.at('head'), g.tap(globalAvgPool(g, y), 'pre_logits'), cfg.numClasses);
  };
}

const swin = (embedDim: number, depths: number[], numHeads: number[]) => ({
  patchSize: 4,
  embedDim,
  depths,
  numHeads,
  windowSize: 7,
  mlpRatio: 4,
  qkvBias: true,
  dropPath: 0,
});

export const SWIN = defineFamily<SwinConfig>({
  family: 'Swin Transformer (Liu et al. 2021)',
  variants: {
    // §3.3 "Architecture Variants": T C=96 {2,2,6,2}; S C=96 {2,2,18,2}; B C=128 {2,2,18,2};
    // head dim 32 (heads 3/6/12/24 for C=96), window M=7, MLP α=4.
    swin_tiny_patch4_window7_224: { ...IN1K, ...swin(96, [2, 2, 6, 2], [3, 6, 12, 24]) },
    swin_small_patch4_window7_224: { ...IN1K, ...swin(96, [2, 2, 18, 2], [3, 6, 12, 24]) },
    swin_base_patch4_window7_224: { ...IN1K, ...swin(128, [2, 2, 18, 2], [4, 8, 16, 32]) },
    // Mini: patch 2 on 28×28 → 14×14 (2×2 windows of 7, shifted), then 7×7 (one window); C=32, head dim 16.
    swin_mini_28: { ...FMNIST, ...swin(32, [2, 4], [2, 4]), patchSize: 2 },
  },
  build: buildSwin,
  // Windows pad to a multiple of 7; patch embed and 3 mergings need H divisible by 32.
  admits: (cfg, side) => side % (cfg.patchSize * 2 ** (cfg.depths.length - 1)) === 0,
  admitsRule: 'multiples of 32 (4× patches, 3 patch mergings; windows zero-pad to 7)',
});
