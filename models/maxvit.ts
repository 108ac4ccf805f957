/**
 * MaxViT — Tu et al. 2022, "MaxViT: Multi-Axis Vision Transformer", arXiv 2204.01697.
 *
 * Conv stem → 4 stages of MaxViT blocks: MBConv (strided in a stage's first block) → block
 * attention (local P×P windows) → grid attention (a G×G grid dilated over the whole map), each
 * attention followed by an FFN, with relative position biases. Windows are image/32 (7 at 224).
 * Block details follow timm's `maxvit_tiny_tf` (a port of the official weights).
 * Taps: stem, stage1…4, stageS.blockNN.{block,grid}.attn.
 */
import type { Graph, T } from './nn/graph';
import {
  attend,
  blockName,
  dropPath,
  dropPathRates,
  gridPartition,
  gridReverse,
  layerNorm,
  linear,
  mlp,
  relativePositionBias,
  splitLast,
  windowPartition,
  windowReverse,
} from './layers';
import { coatMbconv, convStem, normMlpHead } from './coatnet';
import { defineFamily, IN1K, type BaseConfig } from './common';

export interface MaxVitConfig extends BaseConfig {
  stemWidth: number;
  depths: number[];
  dims: number[];
  partitionRatio: number; // window = grid = imgSize / 32
  expandRatio: number;
  seRatio: number;
  dimHead: number;
  headHidden: number;
  dropPath: number;
}

/** Block (local windows) or grid (dilated, global) attention + FFN, channels-last [B, H, W, C]. */
function partitionAttention(g: Graph, x: T, kind: 'block' | 'grid', P: number, cfg: MaxVitConfig, dp: number): T {
  const [, H, W, C] = x.shape as [number, number, number, number];
  const heads = C / cfg.dimHead;
  const xn = layerNorm(g.at('norm1'), x, 1e-5);
  const parts = kind === 'block' ? windowPartition(g, xn, P, P) : gridPartition(g, xn, P); // [B·n, P², C]
  const a = g.at('attn');
  const [q, k, v] = splitLast(a, linear(a.at('qkv'), parts, 3 * C), 3) as [T, T, T];
  const rel = relativePositionBias(a.at('rel_pos'), heads, P, P);
  const mix = kind === 'block' ? { steps: P } : ('global' as const);
  let y = linear(a.at('proj'), attend(a, q, k, v, heads, { bias: (gg, logits) => gg.add(logits, rel), mix }), C);
  y = kind === 'block' ? windowReverse(g, y, P, P, H, W) : gridReverse(g, y, P, H, W); // [B, H, W, C]
  let z = g.add(x, dropPath(g, y, dp));
  z = g.add(z, dropPath(g, mlp(g.at('mlp'), layerNorm(g.at('norm2'), z, 1e-5), cfg.expandRatio * C, { act: 'gelu_tanh' }), dp));
  return z;
}

function buildMaxVit(cfg: MaxVitConfig) {
  return (g: Graph, x: T): T => {
    const P = Math.floor(cfg.imgSize / cfg.partitionRatio);
    let y = g.tap(convStem(g.at('stem'), x, cfg.stemWidth, { bias: true, act: 'gelu_tanh', eps: 1e-3 }), 'stem');
    const rates = dropPathRates(cfg.dropPath, cfg.depths.reduce((a, b) => a + b, 0));
    let k = 0;
    cfg.depths.forEach((depth, s) => {
      const st = g.at(`stage${s + 1}`);
      for (let j = 0; j < depth; j++, k++) {
        const b = st.at(blockName(k));
        y = coatMbconv(b.at('conv'), y, cfg.dims[s]!, j === 0 ? 2 : 1, { expand: cfg.expandRatio, se: cfg.seRatio, act: 'gelu_tanh', eps: 1e-3, dropPath: rates[k]!, strideOn: 'dw' });
        y = partitionAttention(b.at('block'), y, 'block', P, cfg, rates[k]!);
        y = partitionAttention(b.at('grid'), y, 'grid', P, cfg, rates[k]!);
      }
      g.tap(y, `stage${s + 1}`);
    });
    return normMlpHead(g, y, cfg.headHidden, cfg.numClasses, 1e-5);
  };
}

export const MAXVIT = defineFamily<MaxVitConfig>({
  family: 'MaxViT (Tu et al. 2022)',
  variants: {
    // Table 1 / §4, MaxViT-T: B=(2,2,5,2), C=(64,128,256,512), stem 64, head dim 32, P=G=7, MBConv ×4 + SE 0.25.
    maxvit_tiny_tf_224: { ...IN1K, stemWidth: 64, depths: [2, 2, 5, 2], dims: [64, 128, 256, 512], partitionRatio: 32, expandRatio: 4, seRatio: 0.25, dimHead: 32, headHidden: 512, dropPath: 0 },
  },
  build: buildMaxVit,
  // The stage-4 map (side/32) must split into P×P windows with P = side/32: any multiple of 32.
  admits: (_cfg, side) => side % 32 === 0,
  admitsRule: 'multiples of 32 (windows and grids of side/32)',
});
