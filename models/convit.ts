/**
 * ConViT — d'Ascoli et al. 2021, "ConViT: Improving Vision Transformers with Soft Convolutional
 * Inductive Biases", arXiv 2103.10697.
 *
 * DeiT with gated positional self-attention (GPSA) in the first 10 layers: each head mixes
 * content attention with a learned positional attention over relative offsets, through a gate
 * σ(λ_h). The [CLS] token joins after the GPSA layers. Taps: stem, blockNN(.attn), pre_logits.
 */
import type { Graph, T } from './nn/graph';
import { addPosEmbed, blockName, dropPathRates, layerNorm, linear, mhsa, patchEmbed, splitLast, transformerBlock } from './layers';
import { ones } from './nn/rng';
import { defineFamily, IN1K, type BaseConfig } from './common';

export interface ConvitConfig extends BaseConfig {
  patchSize: number;
  embedDim: number; // 48 × heads
  depth: number;
  numHeads: number;
  localUpToLayer: number; // GPSA in layers [0, localUpToLayer)
  mlpRatio: number;
  dropPath: number;
}

/** Relative offsets (Δx, Δy, Δx² + Δy²) between all patch pairs of an n×n grid: [1, N, N, 3]. */
function relIndices(n: number): Float32Array {
  const N = n * n;
  const out = new Float32Array(N * N * 3);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      const dx = (j % n) - (i % n);
      const dy = Math.floor(j / n) - Math.floor(i / n);
      out.set([dx, dy, dx * dx + dy * dy], (i * N + j) * 3);
    }
  }
  return out;
}

/** Gated positional self-attention (§3, Eq. 5): (1−σ(λ))·softmax(QKᵀ/√d) + σ(λ)·softmax(r·v_pos), renormalised. */
function gpsa(g: Graph, x: T, heads: number, grid: number): T {
  const [B, N, C] = x.shape as [number, number, number];
  const d = C / heads;
  const [q, k] = splitLast(g, linear(g.at('qk'), x, 2 * C, { bias: false }), 2) as [T, T];
  const v = linear(g.at('v'), x, C, { bias: false });
  const split = (t: T) => g.transpose(g.reshape(t, [B, N, heads, d]), [0, 2, 1, 3]); // [B, h, N, d]
  const patch = g.softmax(g.matMul(g.mul(split(q), d ** -0.5), split(k), false, true)); // [B, h, N, N]
  const rel = g.constant(`convit_rel${grid}`, [1, N, N, 3], 'float32', () => relIndices(grid));
  const pos = g.softmax(g.transpose(linear(g.at('pos_proj'), rel, heads), [0, 3, 1, 2])); // [1, h, N, N]
  const gate = g.unary(g.reshape(g.param('gating_param', [heads], ones), [1, heads, 1, 1]), 'sigmoid');
  let attn = g.add(g.mul(g.sub(1, gate), patch), g.mul(gate, pos)); // [B, h, N, N]
  attn = g.div(attn, g.reshape(g.mean(attn, -1, true), [B, heads, N, 1]));
  attn = g.mul(attn, 1 / N); // mean·N = sum: renormalise each row to 1
  if (g.wantsTaps) g.tap(attn);
  const out = g.matMul(attn, split(v)); // [B, h, N, d]
  const merged = g.reshape(g.transpose(out, [0, 2, 1, 3]), [B, N, C]); // [B, N, C]
  return linear(g.at('proj'), g.mixed(merged, 'global'), C);
}

function buildConvit(cfg: ConvitConfig) {
  return (g: Graph, x: T): T => {
    const { tokens, h } = patchEmbed(g.at('patch_embed'), x, cfg.embedDim, cfg.patchSize);
    let t = g.tap(addPosEmbed(g, tokens), 'stem'); // [B, N, D]
    const [B, , D] = t.shape as [number, number, number];
    const rates = dropPathRates(cfg.dropPath, cfg.depth);
    for (let i = 0; i < cfg.depth; i++) {
      if (i === cfg.localUpToLayer) {
        const cls = g.param('cls_token', [1, 1, D], { kind: 'truncNormal', std: 0.02 });
        t = g.concat([g.broadcastTo(cls, [B, 1, D]), t], 1); // [B, 1 + N, D]
      }
      const b = g.at(blockName(i));
      const local = i < cfg.localUpToLayer;
      const mixer = local ? (gg: Graph, u: T) => gpsa(gg, u, cfg.numHeads, h) : (gg: Graph, u: T) => mhsa(gg, u, cfg.numHeads, { qkvBias: false });
      t = b.tap(transformerBlock(b, t, cfg.numHeads, { mlpRatio: cfg.mlpRatio, eps: 1e-6, dropPath: rates[i]!, mixer }));
    }
    const normed = layerNorm(g.at('norm'), t, 1e-6);
    const pre = g.tap(g.reshape(g.slice(normed, [0, 0, 0], [B, 1, D]), [B, D]), 'pre_logits');
    return linear(g.at('head'), pre, cfg.numClasses);
  };
}

export const CONVIT = defineFamily<ConvitConfig>({
  family: "ConViT (d'Ascoli et al. 2021)",
  variants: {
    // Table 1, ConViT-S: 9 heads × 48 = 432, 12 layers (10 GPSA), MLP ×4; DeiT-S's training setup.
    convit_small: { ...IN1K, patchSize: 16, embedDim: 432, depth: 12, numHeads: 9, localUpToLayer: 10, mlpRatio: 4, dropPath: 0 },
  },
  build: buildConvit,
  admits: (cfg, side) => side % cfg.patchSize === 0,
  admitsRule: 'multiples of the patch size (16)',
});
