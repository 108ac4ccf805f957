/**
 * PiT — Heo et al. 2021, "Rethinking Spatial Dimensions of Vision Transformers", arXiv 2103.16302.
 *
 * ViT with pooling: overlapping 16×16/8 patch embed + learned 2-D position embedding →
 * transformer stages whose token map is halved (and width doubled) between stages by a 3×3/2
 * depthwise conv; the [CLS] token goes through a linear. Taps: stem, stage1…3, blockNN.attn.
 */
import type { Graph, T } from './nn/graph';
import { blockName, conv, dropPathRates, layerNorm, linear, toMap, toTokens, transformerBlock } from './layers';
import { truncNormal } from './nn/rng';
import { defineFamily, IN1K, type BaseConfig } from './common';

export interface PitConfig extends BaseConfig {
  patchSize: number;
  stride: number; // patch-embed stride (overlapping when < patchSize)
  baseDims: number[]; // per-head width per stage; stage width = baseDim × heads
  depth: number[];
  heads: number[];
  mlpRatio: number;
  dropPath: number;
}

function buildPit(cfg: PitConfig) {
  return (g: Graph, x: T): T => {
    const widths = cfg.baseDims.map((d, i) => d * cfg.heads[i]!);
    let map = conv(g.at('patch_embed').at('conv'), x, widths[0]!, cfg.patchSize, { stride: cfg.stride, pad: 0 });
    const [B, h0, w0] = map.shape as [number, number, number, number];
    map = g.tap(g.add(map, g.param('pos_embed', [1, h0, w0, widths[0]!], truncNormal(0.02))), 'stem');
    let cls = g.broadcastTo(g.param('cls_token', [1, 1, widths[0]!], truncNormal(0.02)), [B, 1, widths[0]!]); // [B, 1, C]
    const rates = dropPathRates(cfg.dropPath, cfg.depth.reduce((a, b) => a + b, 0));
    let k = 0;
    cfg.depth.forEach((n, s) => {
      const st = g.at(`stage${s + 1}`);
      if (s > 0) {
        // Pooling layer (§3.2): depthwise 3×3/2 conv, C → 2C; the class token by a linear.
        map = conv(st.at('pool').at('conv'), map, widths[s]!, 3, { stride: 2, pad: 1, groups: 'dw' });
        cls = linear(st.at('pool').at('fc'), cls, widths[s]!);
      }
      const [, h, w, C] = map.shape as [number, number, number, number];
      let t = g.concat([cls, toTokens(g, map)], 1); // [B, 1 + h·w, C]
      for (let j = 0; j < n; j++, k++) t = transformerBlock(st.at(blockName(k)), t, cfg.heads[s]!, { mlpRatio: cfg.mlpRatio, dropPath: rates[k]! });
      cls = g.slice(t, [0, 0, 0], [B, 1, C]);
      map = g.tap(toMap(g, g.slice(t, [0, 1, 0], [B, h * w, C]), h, w), `stage${s + 1}`);
    });
    const C = widths[widths.length - 1]!;
    const pre = g.tap(g.reshape(layerNorm(g.at('norm'), cls, 1e-6), [B, C]), 'pre_logits');
    return linear(g.at('head'), pre, cfg.numClasses);
  };
}

export const PIT = defineFamily<PitConfig>({
  family: 'PiT (Heo et al. 2021)',
  variants: {
    // Table 1 / official pit.py, PiT-S: patch 16, stride 8, base dim 48, depth (2, 6, 4), heads (3, 6, 12).
    pit_s_224: { ...IN1K, patchSize: 16, stride: 8, baseDims: [48, 48, 48], depth: [2, 6, 4], heads: [3, 6, 12], mlpRatio: 4, dropPath: 0 },
  },
  build: buildPit,
  admits: (cfg, side) => (side - cfg.patchSize) % cfg.stride === 0,
  admitsRule: 'side − 16 divisible by 8 (16×16 patches at stride 8)',
});
