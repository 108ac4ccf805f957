/**
 * ConvNeXt — Liu et al. 2022, "A ConvNet for the 2020s", arXiv 2201.03545.
 *
 * 4×4/4 "patchify" stem + LN → 4 stages of ConvNeXt blocks (7×7 depthwise, inverted MLP,
 * layer scale), LN + 2×2/2 conv between stages → global pool → LN → head.
 * Taps: stem, stage1…4, pre_logits.
 */
import type { Graph, T } from './nn/graph';
import { conv, convnextBlock, dropPathRates, globalAvgPool, layerNorm, linear } from './layers';
import { truncNormal } from './nn/rng';
import { defineFamily, FMNIST, IN1K, type BaseConfig } from './common';

export interface ConvNeXtConfig extends BaseConfig {
  stemPatch: number; // 4 on ImageNet
  depths: number[];
  dims: number[];
  kernel: number; // depthwise kernel, 7
  layerScaleInit: number;
  dropPath: number;
}

function buildConvNeXt(cfg: ConvNeXtConfig) {
  return (g: Graph, x: T): T => {
    const init = truncNormal(0.02);
    let y = conv(g.at('stem').at('conv'), x, cfg.dims[0]!, cfg.stemPatch, { stride: cfg.stemPatch, pad: 0, init });
    y = g.tap(layerNorm(g.at('stem').at('norm'), y, 1e-6), 'stem');
    const rates = dropPathRates(cfg.dropPath, cfg.depths.reduce((a, b) => a + b, 0));
    let k = 0;
    cfg.depths.forEach((depth, s) => {
      const st = g.at(`stage${s + 1}`);
      if (s > 0) {
        y = layerNorm(st.at('downsample').at('norm'), y, 1e-6);
        y = conv(st.at('downsample').at('conv'), y, cfg.dims[s]!, 2, { stride: 2, pad: 0, init });
      }
      for (let j = 0; j < depth; j++, k++) {
        y = convnextBlock(st.at(`block${j}`), y, { kernel: cfg.kernel, layerScaleInit: cfg.layerScaleInit, dropPath: rates[k]! });
      }
      g.tap(y, `stage${s + 1}`);
    });
    const pre = g.tap(layerNorm(g.at('head').at('norm'), globalAvgPool(g, y), 1e-6), 'pre_logits');
    return linear(g.at('head').at('fc'), pre, cfg.numClasses);
  };
}

export const CONVNEXT = defineFamily<ConvNeXtConfig>({
  family: 'ConvNeXt (Liu et al. 2022)',
  variants: {
    // §3 / Table 9 (Appendix A): ConvNeXt-T C=(96,192,384,768), B=(3,3,9,3).
    convnext_tiny: { ...IN1K, stemPatch: 4, depths: [3, 3, 9, 3], dims: [96, 192, 384, 768], kernel: 7, layerScaleInit: 1e-6, dropPath: 0 },
    // Mini: 2×2 stem on 28×28 → 14×14, then 7×7 (2 stages), C=(40, 80), B=(2, 3).
    convnext_mini_28: { ...FMNIST, stemPatch: 2, depths: [2, 3], dims: [40, 80], kernel: 7, layerScaleInit: 1e-6, dropPath: 0 },
  },
  build: buildConvNeXt,
  admits: (cfg, side) => side % (cfg.stemPatch * 2 ** (cfg.depths.length - 1)) === 0,
  admitsRule: 'multiples of 32 (4× stem, 3 stride-2 downsamplings)',
});
