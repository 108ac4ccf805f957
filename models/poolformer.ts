/**
 * PoolFormer — Yu et al. 2022, "MetaFormer Is Actually What You Need for Vision", arXiv 2111.11418.
 *
 * The MetaFormer block with the simplest token mixer: x + s₁·(AvgPool₃ₓ₃(N(x)) − N(x)),
 * x + s₂·MLP(N(x)), N = GroupNorm(1). 7×7/4 stem, 3×3/2 convs between 4 stages, pool → head.
 * Pooling and subtraction cost no multiply-adds. Taps: stem, stage1…4, pre_logits.
 */
import type { Graph, T } from './nn/graph';
import { conv, dropPath, dropPathRates, globalAvgPool, groupNorm, layerScale, linear, mlp } from './layers';
import { defineFamily, IN1K, type BaseConfig } from './common';

export interface PoolFormerConfig extends BaseConfig {
  layers: number[];
  embedDims: number[];
  mlpRatio: number;
  poolSize: number;
  layerScaleInit: number;
  dropPath: number;
}

function poolFormerBlock(g: Graph, x: T, cfg: PoolFormerConfig, dp: number): T {
  const C = x.shape[3]!;
  const n1 = groupNorm(g.at('norm1'), x, 1);
  // Pooling with count_include_pad=False, minus the input: the block's own residual is kept separately.
  const mixed = g.sub(g.avgPool(n1, cfg.poolSize, 1, Math.floor(cfg.poolSize / 2)), n1);
  x = g.add(x, dropPath(g, layerScale(g.at('ls1'), mixed, cfg.layerScaleInit), dp));
  const m = mlp(g.at('mlp'), groupNorm(g.at('norm2'), x, 1), cfg.mlpRatio * C); // 1×1 convs = linears on channels
  return g.add(x, dropPath(g, layerScale(g.at('ls2'), m, cfg.layerScaleInit), dp));
}

function buildPoolFormer(cfg: PoolFormerConfig) {
  return (g: Graph, x: T): T => {
    let y = g.tap(conv(g.at('stem'), x, cfg.embedDims[0]!, 7, { stride: 4, pad: 2 }), 'stem');
    const rates = dropPathRates(cfg.dropPath, cfg.layers.reduce((a, b) => a + b, 0));
    let k = 0;
    cfg.layers.forEach((n, s) => {
      const st = g.at(`stage${s + 1}`);
      if (s > 0) y = conv(st.at('downsample'), y, cfg.embedDims[s]!, 3, { stride: 2, pad: 1 });
      for (let j = 0; j < n; j++, k++) y = poolFormerBlock(st.at(`block${j}`), y, cfg, rates[k]!);
      g.tap(y, `stage${s + 1}`);
    });
    const pre = g.tap(globalAvgPool(g, groupNorm(g.at('norm'), y, 1)), 'pre_logits');
    return linear(g.at('head'), pre, cfg.numClasses);
  };
}

export const POOLFORMER = defineFamily<PoolFormerConfig>({
  family: 'PoolFormer (Yu et al. 2022)',
  variants: {
    // Table 1 / Table 6: S24 L=(4,4,12,4), C=(64,128,320,512), MLP ×4, pool 3, layer scale 1e-5.
    poolformer_s24: { ...IN1K, layers: [4, 4, 12, 4], embedDims: [64, 128, 320, 512], mlpRatio: 4, poolSize: 3, layerScaleInit: 1e-5, dropPath: 0 },
  },
  build: buildPoolFormer,
  admits: (_cfg, side) => side % 32 === 0,
  admitsRule: 'multiples of 32',
});
