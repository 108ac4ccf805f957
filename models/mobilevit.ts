/**
 * MobileViT — Mehta & Rastegari 2022, "MobileViT: Light-weight, General-purpose, and
 * Mobile-friendly Vision Transformer", arXiv 2110.02178.
 *
 * MobileNetV2 inverted residuals, with MobileViT blocks in the last three stages: local 3×3
 * conv → 1×1 to d → unfold into 2×2 patches (pixels at the same offset in every patch form one
 * sequence) → L transformer layers → fold → 1×1 back → concat with the input → 3×3 fusion.
 * Taps: stem, stage1…5, stageS.blockNN.attn.
 */
import type { Graph, T } from './nn/graph';
import { blockName, conv, convNormAct, globalAvgPool, gridPartition, gridReverse, layerNorm, linear, mbconv, transformerBlock } from './layers';
import { defineFamily, IN1K, type BaseConfig } from './common';

type Mv2 = { kind: 'mv2'; out: number; stride: number };
type MvitBlock = { kind: 'mobilevit'; dim: number; depth: number };
type Layer = Mv2 | MvitBlock;

export interface MobileVitConfig extends BaseConfig {
  stemWidth: number;
  stages: Layer[][]; // Table 4, one list per stage
  expansion: number; // MV2 expansion (4)
  patchSize: number; // 2
  numHeads: number;
  mlpRatio: number; // ffn = 2d
  lastWidth: number; // final 1×1 conv (640 for S)
}

function mobileVitBlock(g: Graph, x: T, b: MvitBlock, cfg: MobileVitConfig, k0: number): T {
  const [, H, W, C] = x.shape as [number, number, number, number];
  let y = convNormAct(g.at('conv_kxk'), x, C, 3, { act: 'silu' });
  y = conv(g.at('conv_1x1'), y, b.dim, 1, { pad: 0, bias: false }); // [B, H, W, d]
  // Unfold (§3.1): G = H/2 gives sequences of the pixels sharing one offset inside each 2×2 patch.
  let t = gridPartition(g, y, H / cfg.patchSize); // [B·P, N, d]
  for (let j = 0; j < b.depth; j++) {
    t = transformerBlock(g.at('transformer').at(blockName(k0 + j)), t, cfg.numHeads, { mlpRatio: cfg.mlpRatio, act: 'silu', eps: 1e-5 });
  }
  t = layerNorm(g.at('norm'), t);
  y = gridReverse(g, t, H / cfg.patchSize, H, W); // [B, H, W, d]
  y = convNormAct(g.at('conv_proj'), y, C, 1, { pad: 0, act: 'silu' });
  return convNormAct(g.at('conv_fusion'), g.concat([x, y], 3), C, 3, { act: 'silu' });
}

function buildMobileVit(cfg: MobileVitConfig) {
  return (g: Graph, x: T): T => {
    let y = g.tap(convNormAct(g.at('stem'), x, cfg.stemWidth, 3, { stride: 2, act: 'silu' }), 'stem');
    let k = 0;
    cfg.stages.forEach((layers, s) => {
      const st = g.at(`stage${s + 1}`);
      layers.forEach((l, j) => {
        switch (l.kind) {
          case 'mv2':
            y = mbconv(st.at(`mv2_${j}`), y, l.out, { hidden: cfg.expansion * y.shape[3]!, stride: l.stride, act: 'silu' });
            break;
          case 'mobilevit':
            y = mobileVitBlock(st.at(`mobilevit_${j}`), y, l, cfg, k);
            k += l.depth;
            break;
        }
      });
      g.tap(y, `stage${s + 1}`);
    });
    y = convNormAct(g.at('final_conv'), y, cfg.lastWidth, 1, { pad: 0, act: 'silu' });
    return linear(g.at('head'), g.tap(globalAvgPool(g, y), 'pre_logits'), cfg.numClasses);
  };
}

const mv2 = (out: number, stride = 1): Mv2 => ({ kind: 'mv2', out, stride });
const mvit = (dim: number, depth: number): MvitBlock => ({ kind: 'mobilevit', dim, depth });

export const MOBILEVIT = defineFamily<MobileVitConfig>({
  family: 'MobileViT (Mehta & Rastegari 2022)',
  variants: {
    // Appendix A, Table 4 (MobileViT-S, 256×256): widths 16 | 32 | 64 | 96 (d=144, L=2) | 128 (d=192, L=4) | 160 (d=240, L=3) | 640.
    mobilevit_s: {
      ...IN1K,
      imgSize: 256,
      stemWidth: 16,
      stages: [[mv2(32)], [mv2(64, 2), mv2(64), mv2(64)], [mv2(96, 2), mvit(144, 2)], [mv2(128, 2), mvit(192, 4)], [mv2(160, 2), mvit(240, 3)]],
      expansion: 4,
      patchSize: 2,
      numHeads: 4,
      mlpRatio: 2,
      lastWidth: 640,
    },
  },
  build: buildMobileVit,
  admits: (_cfg, side) => side % 64 === 0,
  admitsRule: 'multiples of 64 (stride 32, then 2×2 unfolding of the last map)',
});
