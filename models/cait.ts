/**
 * CaiT — Touvron et al. 2021, "Going deeper with Image Transformers", arXiv 2103.17239.
 *
 * A deep ViT without a class token in its trunk: LayerScale on every residual branch (§3.1),
 * talking-heads attention (heads mixed by learned h×h maps before and after the softmax), then
 * two class-attention layers where only the [CLS] token queries the frozen patches (§3.2).
 * Taps: stem, blockNN(.attn), cls_blockN(.attn), pre_logits.
 */
import type { Graph, T } from './nn/graph';
import { addPosEmbed, attend, blockName, dropPath, dropPathRates, layerNorm, layerScale, linear, mlp, patchEmbed, splitLast } from './layers';
import { truncNormal } from './nn/rng';
import { defineFamily, IN1K, type BaseConfig } from './common';

export interface CaitConfig extends BaseConfig {
  patchSize: number;
  embedDim: number;
  depth: number; // self-attention layers
  depthTokenOnly: number; // class-attention layers
  numHeads: number;
  mlpRatio: number;
  layerScaleInit: number;
  dropPath: number;
}

/** Talking-heads attention (Shazeer et al. 2020): linear maps across heads around the softmax. */
function talkingHeads(g: Graph, x: T, heads: number): T {
  const [B, N, C] = x.shape as [number, number, number];
  const d = C / heads;
  const [q, k, v] = splitLast(g, linear(g.at('qkv'), x, 3 * C), 3) as [T, T, T];
  const split = (t: T) => g.transpose(g.reshape(t, [B, N, heads, d]), [0, 2, 1, 3]); // [B, h, N, d]
  let a = g.matMul(g.mul(split(q), d ** -0.5), split(k), false, true); // [B, h, N, N]
  const mixHeads = (name: string, t: T) => g.transpose(linear(g.at(name), g.transpose(t, [0, 2, 3, 1]), heads), [0, 3, 1, 2]); // across h
  a = g.softmax(mixHeads('proj_l', a));
  a = mixHeads('proj_w', a);
  if (g.wantsTaps) g.tap(a);
  const out = g.reshape(g.transpose(g.matMul(a, split(v)), [0, 2, 1, 3]), [B, N, C]); // [B, N, C]
  return linear(g.at('proj'), g.mixed(out, 'global'), C);
}

/** Class attention: the [CLS] token queries [CLS] + patches; patches are not updated. */
function classAttention(g: Graph, u: T, heads: number): T {
  const [B, , C] = u.shape as [number, number, number];
  const cls = g.slice(u, [0, 0, 0], [B, 1, C]); // [B, 1, C]
  const q = linear(g.at('q'), cls, C);
  const k = linear(g.at('k'), u, C);
  const v = linear(g.at('v'), u, C);
  return linear(g.at('proj'), attend(g, q, k, v, heads), C); // [B, 1, C]
}

function buildCait(cfg: CaitConfig) {
  return (g: Graph, x: T): T => {
    const ls = cfg.layerScaleInit;
    const { tokens } = patchEmbed(g.at('patch_embed'), x, cfg.embedDim, cfg.patchSize);
    let t = g.tap(addPosEmbed(g, tokens), 'stem'); // [B, N, D], no class token in the trunk
    const rates = dropPathRates(cfg.dropPath, cfg.depth);
    for (let i = 0; i < cfg.depth; i++) {
      const b = g.at(blockName(i));
      t = g.add(t, dropPath(b, layerScale(b.at('ls1'), talkingHeads(b.at('attn'), layerNorm(b.at('norm1'), t, 1e-6), cfg.numHeads), ls), rates[i]!));
      t = b.tap(g.add(t, dropPath(b, layerScale(b.at('ls2'), mlp(b.at('mlp'), layerNorm(b.at('norm2'), t, 1e-6), cfg.mlpRatio * cfg.embedDim), ls), rates[i]!)));
    }
    const [B, , D] = t.shape as [number, number, number];
    let cls = g.broadcastTo(g.param('cls_token', [1, 1, D], truncNormal(0.02)), [B, 1, D]); // [B, 1, D]
    for (let i = 0; i < cfg.depthTokenOnly; i++) {
      const b = g.at(`cls_block${i}`);
      const u = g.concat([cls, t], 1); // [B, 1 + N, D]
      cls = g.add(cls, layerScale(b.at('ls1'), classAttention(b.at('attn'), layerNorm(b.at('norm1'), u, 1e-6), cfg.numHeads), ls));
      cls = b.tap(g.add(cls, layerScale(b.at('ls2'), mlp(b.at('mlp'), layerNorm(b.at('norm2'), cls, 1e-6), cfg.mlpRatio * D), ls)));
    }
    const normed = layerNorm(g.at('norm'), g.concat([cls, t], 1), 1e-6);
    const pre = g.tap(g.reshape(g.slice(normed, [0, 0, 0], [B, 1, D]), [B, D]), 'pre_logits');
    return linear(g.at('head'), pre, cfg.numClasses);
  };
}

export const CAIT = defineFamily<CaitConfig>({
  family: 'CaiT (Touvron et al. 2021)',
  variants: {
    // Table 1, CaiT-S24: D=384, 24 SA + 2 CA layers, 8 heads, MLP ×4, LayerScale ε=1e-5.
    cait_s24_224: { ...IN1K, patchSize: 16, embedDim: 384, depth: 24, depthTokenOnly: 2, numHeads: 8, mlpRatio: 4, layerScaleInit: 1e-5, dropPath: 0 },
  },
  build: buildCait,
  admits: (cfg, side) => side % cfg.patchSize === 0,
  admitsRule: 'multiples of the patch size (16)',
});
