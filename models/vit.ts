/**
 * Vision Transformer — Dosovitskiy et al. 2021, "An Image is Worth 16x16 Words", arXiv 2010.11929;
 * DeiT — Touvron et al. 2021, "Training data-efficient image transformers", arXiv 2012.12877.
 *
 * Patch embedding → [CLS] + learned 1-D position embedding → pre-norm encoder blocks →
 * LayerNorm → head on the [CLS] token (or the mean token). Taps: stem, blockNN, blockNN.attn
 * ([B, heads, N, N]), encoded, pre_logits.
 *
 *   createModel('vit_mini_patch4_28')            // the experiments' mini-ViT
 *   countModel('vit_large_patch16_224', { resolution: 384 })
 */
import type { Graph, T } from './nn/graph';
import { addPosEmbed, blockName, dropPathRates, layerNorm, linear, patchEmbed, prependCls, transformerBlock } from './layers';
import { defineFamily, FMNIST, IN1K, type BaseConfig } from './common';

export interface VitConfig extends BaseConfig {
  patchSize: number;
  embedDim: number; // hidden size D
  depth: number; // layers
  numHeads: number;
  mlpRatio: number; // MLP size / D
  qkvBias: boolean;
  pool: 'cls' | 'gap';
  dropPath: number;
}

/** Encoder on tokens [B, N, D] (position embedding already added): blocks, then the final LayerNorm. */
export function vitEncoder(g: Graph, x: T, cfg: Pick<VitConfig, 'depth' | 'numHeads' | 'mlpRatio' | 'qkvBias' | 'dropPath'>): T {
  const rates = dropPathRates(cfg.dropPath, cfg.depth);
  for (let i = 0; i < cfg.depth; i++) {
    const b = g.at(blockName(i));
    x = b.tap(transformerBlock(b, x, cfg.numHeads, { mlpRatio: cfg.mlpRatio, qkvBias: cfg.qkvBias, dropPath: rates[i]! }));
  }
  return g.tap(layerNorm(g.at('norm'), x, 1e-6), 'encoded');
}

/** Pool tokens [B, N, D] to [B, D] ('cls': token 0; 'gap': mean over the rest), then the linear head. */
export function vitHead(g: Graph, x: T, pool: VitConfig['pool'], numClasses: number): T {
  const [B, N, D] = x.shape as [number, number, number];
  let pre: T;
  switch (pool) {
    case 'cls':
      pre = g.reshape(g.slice(x, [0, 0, 0], [B, 1, D]), [B, D]); // [B, D]
      break;
    case 'gap':
      pre = g.mean(g.slice(x, [0, 1, 0], [B, N - 1, D]), 1); // [B, D]
      break;
  }
  return linear(g.at('head'), g.tap(pre, 'pre_logits'), numClasses, { init: { kind: 'zeros' } });
}

function buildVit(cfg: VitConfig) {
  return (g: Graph, x: T): T => {
    const { tokens } = patchEmbed(g.at('patch_embed'), x, cfg.embedDim, cfg.patchSize);
    const t = g.tap(addPosEmbed(g, prependCls(g, tokens)), 'stem'); // [B, 1 + N, D]
    return vitHead(g, vitEncoder(g, t, cfg), cfg.pool, cfg.numClasses);
  };
}

const vit = (embedDim: number, depth: number, numHeads: number, patchSize = 16, mlpRatio = 4): Omit<VitConfig, keyof BaseConfig> => ({
  patchSize,
  embedDim,
  depth,
  numHeads,
  mlpRatio,
  qkvBias: true,
  pool: 'cls',
  dropPath: 0,
});

export const VIT = defineFamily<VitConfig>({
  family: 'Vision Transformer (Dosovitskiy et al. 2021) / DeiT (Touvron et al. 2021)',
  variants: {
    // ViT Table 1: Base D=768, 12 layers, MLP 3072, 12 heads; Large D=1024, 24 layers, MLP 4096, 16 heads.
    vit_base_patch16_224: { ...IN1K, ...vit(768, 12, 12) },
    vit_large_patch16_224: { ...IN1K, ...vit(1024, 24, 16) },
    // DeiT Table 1: Ti D=192, 3 heads; S D=384, 6 heads; both 12 layers.
    deit_tiny_patch16_224: { ...IN1K, ...vit(192, 12, 3) },
    deit_small_patch16_224: { ...IN1K, ...vit(384, 12, 6) },
    deit_base_patch16_224: { ...IN1K, ...vit(768, 12, 12) },
    // The experiments' mini-ViT (nn contract): patch 4 on 28×28 → 49 tokens, D=64, 6 layers, 4 heads, MLP ×2.
    vit_mini_patch4_28: { ...FMNIST, ...vit(64, 6, 4, 4, 2) },
  },
  build: buildVit,
  admits: (cfg, side) => side % cfg.patchSize === 0,
  admitsRule: 'multiples of the patch size (16)',
});
