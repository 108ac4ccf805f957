/**
 * Hybrid ViT: a CNN's feature map as the transformer's input — Dosovitskiy et al. 2021,
 * arXiv 2010.11929, §3.1 "Hybrid Architecture" and App. B.1.
 *
 * R50+ViT-B/16: BiT's ResNet-50 (GroupNorm, weight-standardised convs) with stage 4 removed and
 * stage 3 grown to 9 blocks, so its 1024-channel map at stride 16 gives 14×14 tokens (1×1
 * patches) → ViT-B. The mini swaps the ResNet for a 3-conv stem ("early convolutions").
 * Composes the ResNet and ViT builders. Taps: stem (CNN features), blockNN(.attn), encoded.
 */
import type { Graph, T } from './nn/graph';
import { addPosEmbed, convNormAct, patchEmbed, prependCls } from './layers';
import { defineFamily, FMNIST, IN1K, type BaseConfig } from './common';
import { resnetStage, resnetStem } from './resnet';
import { vitEncoder, vitHead, type VitConfig } from './vit';

export interface HybridConfig extends BaseConfig, Omit<VitConfig, keyof BaseConfig> {
  /** 'resnetv2': BiT ResNet stages (bottleneck widths, blocks); 'convstem': 3×3 conv-BN-ReLU per width. */
  backbone: 'resnetv2' | 'convstem';
  backboneLayers: number[]; // resnetv2: blocks per stage
  backboneWidths: number[];
  backboneStrides: number[]; // convstem: stride of each conv
}

function cnn(g: Graph, x: T, cfg: HybridConfig): T {
  switch (cfg.backbone) {
    case 'resnetv2': {
      const rn = { stem: 'imagenet', stemWidth: 64, norm: 'gn32', stdConv: true, block: 'bottleneck', strideAt: '3x3' } as const;
      let y = resnetStem(g.at('stem'), x, rn);
      cfg.backboneLayers.forEach((n, i) => {
        y = resnetStage(g.at(`stage${i + 1}`), y, rn, n, cfg.backboneWidths[i]!, i === 0 ? 1 : 2);
      });
      return y; // [B, H/16, W/16, 4·width]
    }
    case 'convstem': {
      let y = x;
      cfg.backboneWidths.forEach((w, i) => {
        y = convNormAct(g.at(`conv${i + 1}`), y, w, 3, { stride: cfg.backboneStrides[i]! });
      });
      return y;
    }
  }
}

function buildHybrid(cfg: HybridConfig) {
  return (g: Graph, x: T): T => {
    const features = g.tap(cnn(g.at('backbone'), x, cfg), 'stem');
    const { tokens } = patchEmbed(g.at('patch_embed'), features, cfg.embedDim, cfg.patchSize);
    const t = addPosEmbed(g, prependCls(g, tokens)); // [B, 1 + N, D]
    return vitHead(g, vitEncoder(g, t, cfg), cfg.pool, cfg.numClasses);
  };
}

const vitB = { patchSize: 1, embedDim: 768, depth: 12, numHeads: 12, mlpRatio: 4, qkvBias: true, pool: 'cls', dropPath: 0 } as const;

export const HYBRID = defineFamily<HybridConfig>({
  family: 'Hybrid ViT (Dosovitskiy et al. 2021)',
  variants: {
    // §3.1 / App. B.1: ResNet-50 stages (3, 4, 9), output stride 16 (1024 ch), 1×1 patches → ViT-B/16.
    vit_base_r50_s16_224: { ...IN1K, ...vitB, backbone: 'resnetv2', backboneLayers: [3, 4, 9], backboneWidths: [64, 128, 256], backboneStrides: [] },
    // Mini: 3×3 convs 1→16 (28²) →32 (/2) →64 (/4) give 7×7 = 49 tokens → ViT (D=64, 5 layers, 4 heads, MLP ×2).
    hybrid_mini_28: { ...FMNIST, ...vitB, embedDim: 64, depth: 5, numHeads: 4, mlpRatio: 2, backbone: 'convstem', backboneLayers: [], backboneWidths: [16, 32, 64], backboneStrides: [1, 2, 2] },
  },
  build: buildHybrid,
  admits: (cfg, side) => side % (cfg.backbone === 'resnetv2' ? 16 : 4) === 0,
  admitsRule: 'multiples of 16 (ResNet output stride)',
});


