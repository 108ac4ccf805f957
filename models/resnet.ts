/**
 * ResNet — He et al. 2016, "Deep Residual Learning for Image Recognition", arXiv 1512.03385.
 *
 * Stem (7×7/2 conv + 3×3/2 max-pool, or a 3×3 conv for small inputs) → stages of basic or
 * bottleneck blocks (the first block of each later stage strides by 2) → global pool → fc.
 * Taps: stem, stage1…stageN (and each block, stage<i>.block<j>), pre_logits.
 *
 *   createModel('resnet_mini_28')   // the experiments' mini-ResNet
 */
import type { Graph, T } from './nn/graph';
import { basicBlock, bottleneck, convNormAct, globalAvgPool, linear, type NormKind } from './layers';
import { defineFamily, FMNIST, IN1K, type BaseConfig } from './common';

export interface ResNetConfig extends BaseConfig {
  block: 'basic' | 'bottleneck';
  layers: number[]; // blocks per stage (Table 1's ×n)
  widths: number[]; // per-stage width (bottleneck: the 3×3 width; output is 4×)
  stem: 'imagenet' | 'small'; // 7×7/2 + max-pool, or 3×3/1 (CIFAR-style, for 28–32 px)
  stemWidth: number;
  /** Bottleneck stride on the first 1×1 (the paper's v1, Table 1's 3.8 GFLOPs) or on the 3×3 (v1.5). */
  strideAt: '1x1' | '3x3';
  norm: NormKind;
  /** Weight-standardised convs with GroupNorm: BiT's ResNetV2 (the ViT hybrids' backbone). */
  stdConv: boolean;
  dropPath: number;
}

export const BOTTLENECK_EXPANSION = 4;

/** Stem of a ResNet: [B, H, W, C] → [B, H/4, W/4, stemWidth] ('imagenet') or [B, H, W, stemWidth]. */
export function resnetStem(g: Graph, x: T, cfg: Pick<ResNetConfig, 'stem' | 'stemWidth' | 'norm' | 'stdConv'>): T {
  switch (cfg.stem) {
    case 'imagenet':
      return g.maxPool(convNormAct(g, x, cfg.stemWidth, 7, { stride: 2, pad: 3, norm: cfg.norm, ws: cfg.stdConv }), 3, 2, 1);
    case 'small':
      return convNormAct(g, x, cfg.stemWidth, 3, { norm: cfg.norm, ws: cfg.stdConv });
  }
}

/** One stage `stage<i>` of `n` blocks; the first block strides and may project the shortcut. */
export function resnetStage(g: Graph, x: T, cfg: Pick<ResNetConfig, 'block' | 'strideAt' | 'norm' | 'stdConv'>, n: number, width: number, stride: number, dropPath = 0): T {
  for (let j = 0; j < n; j++) {
    const b = g.at(`block${j}`);
    const s = j === 0 ? stride : 1;
    x =
      cfg.block === 'basic'
        ? basicBlock(b, x, width, { stride: s, norm: cfg.norm, ws: cfg.stdConv, dropPath })
        : bottleneck(b, x, width, width * BOTTLENECK_EXPANSION, { stride: s, norm: cfg.norm, strideAt: cfg.strideAt, ws: cfg.stdConv, dropPath });
    b.tap(x); // `stage<i>.block<j>`
  }
  return x;
}

function buildResNet(cfg: ResNetConfig) {
  return (g: Graph, x: T): T => {
    let y = g.tap(resnetStem(g.at('stem'), x, cfg), 'stem');
    cfg.layers.forEach((n, i) => {
      y = g.tap(resnetStage(g.at(`stage${i + 1}`), y, cfg, n, cfg.widths[i]!, i === 0 ? 1 : 2, cfg.dropPath), `stage${i + 1}`);
    });
    const pre = g.tap(globalAvgPool(g, y), 'pre_logits');
    return linear(g.at('fc'), pre, cfg.numClasses);
  };
}

const base = { stem: 'imagenet', stemWidth: 64, strideAt: '1x1', norm: 'bn', stdConv: false, dropPath: 0 } as const;

export const RESNET = defineFamily<ResNetConfig>({
  family: 'ResNet (He et al. 2016)',
  variants: {
    // Table 1, 50-layer: conv2_x–conv5_x = [1×1 64, 3×3 64, 1×1 256] ×3, ×4, ×6, ×3 (widths ×2 per stage).
    resnet50: { ...IN1K, ...base, block: 'bottleneck', layers: [3, 4, 6, 3], widths: [64, 128, 256, 512] },
    // Table 1, 18/34-layer basic-block nets (not in the paper table tests; handy references).
    resnet18: { ...IN1K, ...base, block: 'basic', layers: [2, 2, 2, 2], widths: [64, 128, 256, 512] },
    // The experiments' mini-ResNet (nn contract): 3 stages 16/32/64, 2 basic blocks each, 3×3 stem.
    resnet_mini_28: { ...FMNIST, ...base, stem: 'small', stemWidth: 16, block: 'basic', layers: [2, 2, 2], widths: [16, 32, 64] },
  },
  build: buildResNet,
  admits: (cfg, side) => side % (cfg.stem === 'imagenet' ? 32 : 4) === 0,
  admitsRule: 'multiples of 32 (ImageNet stem + 3 stride-2 stages)',
});
