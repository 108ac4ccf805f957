/**
 * T2T-ViT — Yuan et al. 2021, "Tokens-to-Token ViT: Training Vision Transformers from Scratch on
 * ImageNet", arXiv 2101.11986.
 *
 * Tokens-to-token module: soft split (overlapping unfold 7/4, then 3/2 twice), each followed by a
 * light transformer layer (Performer attention in T2T-ViT-14, Table 1) on the unfolded tokens
 * → linear to D → [CLS] + fixed sinusoidal position embedding → deep-narrow ViT backbone.
 * Taps: stem (T2T output), blockNN(.attn), encoded, pre_logits.
 */
import type { Graph, T } from './nn/graph';
import { attend, blockName, dropPathRates, layerNorm, linear, mlp, prependCls, splitLast, toMap, transformerBlock } from './layers';
import { normal } from './nn/rng';
import { defineFamily, IN1K, type BaseConfig } from './common';

export interface T2tConfig extends BaseConfig {
  t2tAttention: 'performer' | 'transformer';
  tokenDim: number; // width inside the T2T module (64)
  kernels: number[]; // soft-split kernels (7, 3, 3)
  strides: number[]; // (4, 2, 2)
  embedDim: number;
  depth: number;
  numHeads: number;
  mlpRatio: number;
  dropPath: number;
}

/** 1-D sinusoidal table [1, n, d] (Vaswani et al.), fixed, as T2T-ViT's position embedding. */
function sinusoid(n: number, d: number): Float32Array {
  const out = new Float32Array(n * d);
  for (let p = 0; p < n; p++) {
    for (let i = 0; i < d; i++) {
      const angle = p / 10000 ** ((2 * Math.floor(i / 2)) / d);
      out[p * d + i] = i % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  }
  return out;
}

/**
 * Token_performer (official t2t_vit code): single-head linear attention with m = emb/2 positive
 * random features φ(x) = exp(wx − |x|²/2)/√m; v is the skip connection. Then x + MLP(LN(x)).
 */
function performerLayer(g: Graph, x: T, emb: number): T {
  const m = emb / 2;
  const [k, q, v] = splitLast(g, linear(g.at('kqv'), layerNorm(g.at('norm1'), x), 3 * emb), 3) as [T, T, T];
  const w = g.buffer('w', [emb, m], normal(1)); // fixed random features (requires_grad=False upstream)
  const prm = (t: T): T => {
    const half = g.mul(g.mean(g.unary(t, 'square'), -1, true), emb / 2); // |x|²/2, [B, T, 1]
    return g.mul(g.unary(g.sub(g.matMul(t, w), half), 'exp'), 1 / Math.sqrt(m)); // [B, T, m]
  };
  const kp = prm(k);
  const qp = prm(q);
  const D = g.matMul(qp, g.transpose(g.mean(kp, 1, true), [0, 2, 1])); // [B, T, 1] (mean·T = sum; scale cancels below)
  const kptv = g.matMul(v, kp, true, false); // [B, emb, m]
  const N = x.shape[1]!;
  const y = g.div(g.matMul(qp, kptv, false, true), g.add(g.mul(D, N), 1e-8)); // [B, T, emb]
  let z = g.mixed(g.add(v, linear(g.at('proj'), y, emb)), 'global');
  z = g.add(z, mlp(g.at('mlp'), layerNorm(g.at('norm2'), z), emb));
  return z;
}

/** Token_transformer: single-head softmax attention to `emb` channels, v as the skip, MLP ×1. */
function transformerLayer(g: Graph, x: T, emb: number): T {
  const [q, k, v] = splitLast(g, linear(g.at('qkv'), layerNorm(g.at('norm1'), x), 3 * emb, { bias: false }), 3) as [T, T, T];
  const C = x.shape[2]!;
  let z = g.add(v, linear(g.at('proj'), attend(g.at('attn'), q, k, v, 1, { scale: C ** -0.5 }), emb));
  z = g.add(z, mlp(g.at('mlp'), layerNorm(g.at('norm2'), z), emb));
  return z;
}

function buildT2t(cfg: T2tConfig) {
  return (g: Graph, x: T): T => {
    const t2t = g.at('tokens_to_token');
    let map = x;
    let tokens: T = x;
    cfg.kernels.forEach((kk, i) => {
      // Soft split: every output position gathers its k×k neighbourhood (overlapping by k − s).
      const patches = g.extractPatches(map, kk, cfg.strides[i]!, Math.floor(kk / 2)); // [B, h, w, k²·C]
      const [B, h, w, D] = patches.shape as [number, number, number, number];
      tokens = g.reshape(patches, [B, h * w, D]); // [B, h·w, k²·C]
      if (i < cfg.kernels.length - 1) {
        const layer = cfg.t2tAttention === 'performer' ? performerLayer : transformerLayer;
        map = toMap(g, layer(t2t.at(`attention${i + 1}`), tokens, cfg.tokenDim), h, w);
      }
    });
    tokens = linear(t2t.at('project'), tokens, cfg.embedDim); // [B, N, D]
    const [B, N, D] = tokens.shape as [number, number, number];
    tokens = prependCls(g, tokens);
    const pos = g.constant(`sinusoid${N + 1}x${D}`, [1, N + 1, D], 'float32', () => sinusoid(N + 1, D));
    tokens = g.tap(g.add(tokens, pos), 'stem');
    const rates = dropPathRates(cfg.dropPath, cfg.depth);
    for (let i = 0; i < cfg.depth; i++) {
      const b = g.at(blockName(i));
      tokens = b.tap(transformerBlock(b, tokens, cfg.numHeads, { mlpRatio: cfg.mlpRatio, qkvBias: false, eps: 1e-5, dropPath: rates[i]! }));
    }
    const normed = g.tap(layerNorm(g.at('norm'), tokens), 'encoded');
    const pre = g.tap(g.reshape(g.slice(normed, [0, 0, 0], [B, 1, D]), [B, D]), 'pre_logits');
    return linear(g.at('head'), pre, cfg.numClasses);
  };
}

export const T2T = defineFamily<T2tConfig>({
  family: 'T2T-ViT (Yuan et al. 2021)',
  variants: {
    // Table 1, T2T-ViT-14: T2T module (Performer, token dim 64, soft splits 7/4, 3/2, 3/2);
    // backbone D=384, depth 14, MLP 1152 (×3), 6 heads.
    t2t_vit_14: { ...IN1K, t2tAttention: 'performer', tokenDim: 64, kernels: [7, 3, 3], strides: [4, 2, 2], embedDim: 384, depth: 14, numHeads: 6, mlpRatio: 3, dropPath: 0 },
  },
  build: buildT2t,
  admits: (_cfg, side) => side % 16 === 0,
  admitsRule: 'multiples of 16 (soft-split strides 4·2·2)',
});
