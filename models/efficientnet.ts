/**
 * EfficientNet — Tan & Le 2019, "EfficientNet: Rethinking Model Scaling for Convolutional Neural
 * Networks", arXiv 1905.11946.
 *
 * 3×3/2 stem → seven stages of MBConv (inverted residual + squeeze-excite, SiLU) → 1×1 conv to
 * 1280 → global pool → head. A CNN reference point for the zoo. Taps: stem, stage1…7, pre_logits.
 */
import type { Graph, T } from './nn/graph';
import { convNormAct, globalAvgPool, linear, mbconv } from './layers';
import { defineFamily, IN1K, type BaseConfig } from './common';

/** One row of Table 1: expansion, output channels, layers, first stride, kernel. */
export interface MbStage {
  expand: number;
  out: number;
  layers: number;
  stride: number;
  kernel: number;
}

export interface EfficientNetConfig extends BaseConfig {
  stemWidth: number;
  stages: MbStage[];
  seRatio: number; // SE width as a fraction of the block's input width
  headWidth: number;
  dropPath: number;
}

function buildEfficientNet(cfg: EfficientNetConfig) {
  return (g: Graph, x: T): T => {
    let y = g.tap(convNormAct(g.at('stem'), x, cfg.stemWidth, 3, { stride: 2, act: 'silu', eps: 1e-3 }), 'stem');
    cfg.stages.forEach((st, s) => {
      for (let j = 0; j < st.layers; j++) {
        const cin = y.shape[3]!;
        y = mbconv(g.at(`stage${s + 1}`).at(`block${j}`), y, st.out, {
          hidden: st.expand * cin,
          kernel: st.kernel,
          stride: j === 0 ? st.stride : 1,
          act: 'silu',
          eps: 1e-3,
          seRd: Math.max(1, Math.floor(cin * cfg.seRatio)),
        });
      }
      g.tap(y, `stage${s + 1}`);
    });
    y = convNormAct(g.at('conv_head'), y, cfg.headWidth, 1, { pad: 0, act: 'silu', eps: 1e-3 });
    return linear(g.at('classifier'), g.tap(globalAvgPool(g, y), 'pre_logits'), cfg.numClasses);
  };
}

const mb = (expand: number, out: number, layers: number, stride: number, kernel: number): MbStage => ({ expand, out, layers, stride, kernel });

export const EFFICIENTNET = defineFamily<EfficientNetConfig>({
  family: 'EfficientNet (Tan & Le 2019)',
  variants: {
    // Table 1, EfficientNet-B0: MBConv1 k3 16 ×1; MBConv6 k3 24 ×2; k5 40 ×2; k3 80 ×3; k5 112 ×3; k5 192 ×4; k3 320 ×1.
    efficientnet_b0: {
      ...IN1K,
      stemWidth: 32,
      stages: [mb(1, 16, 1, 1, 3), mb(6, 24, 2, 2, 3), mb(6, 40, 2, 2, 5), mb(6, 80, 3, 2, 3), mb(6, 112, 3, 1, 5), mb(6, 192, 4, 2, 5), mb(6, 320, 1, 1, 3)],
      seRatio: 0.25,
      headWidth: 1280,
      dropPath: 0,
    },
  },
  build: buildEfficientNet,
  admits: (_cfg, side) => side % 32 === 0,
  admitsRule: 'multiples of 32',
});
