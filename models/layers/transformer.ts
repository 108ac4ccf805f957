/** The pre-norm transformer encoder block (ViT §3.1, Eq. 2–3) and its name helper. */
import type { Act, Graph, T } from '../nn/graph';
import { dropPath, layerNorm, layerScale } from './core';
import { mhsa, type MhsaOpts } from './attention';
import { mlp } from './mlp';

/** Block scope names: block00, block01, … (global index, so taps read `block03.attn`). */
export const blockName = (i: number): string => `block${String(i).padStart(2, '0')}`;

export interface TransformerBlockOpts extends MhsaOpts {
  mlpRatio?: number; // default 4
  act?: Act; // default 'gelu'
  eps?: number; // LayerNorm eps, default 1e-6 (timm's ViT)
  dropPath?: number;
  layerScaleInit?: number; // 0/undefined: none
  /** Replace self-attention (the token mixer) while keeping norms, MLP and residuals. */
  mixer?: (g: Graph, x: T) => T;
}

/** x + Attn(LN(x)); x + MLP(LN(x)). Tokens [B, N, C]. */
export function transformerBlock(g: Graph, x: T, heads: number, o: TransformerBlockOpts = {}): T {
  const C = x.shape[2]!;
  const eps = o.eps ?? 1e-6;
  const mix = o.mixer ?? ((gg: Graph, t: T) => mhsa(gg, t, heads, o));
  let y = mix(g.at('attn'), layerNorm(g.at('norm1'), x, eps));
  if (o.layerScaleInit) y = layerScale(g.at('ls1'), y, o.layerScaleInit);
  let z = g.add(x, dropPath(g, y, o.dropPath ?? 0));
  y = mlp(g.at('mlp'), layerNorm(g.at('norm2'), z, eps), Math.round((o.mlpRatio ?? 4) * C), { act: o.act ?? 'gelu' });
  if (o.layerScaleInit) y = layerScale(g.at('ls2'), y, o.layerScaleInit);
  z = g.add(z, dropPath(g, y, o.dropPath ?? 0));
  return z;
}

/** Linearly increasing drop-path rates over `depth` blocks (DeiT/Swin's stochastic depth rule). */
export function dropPathRates(rate: number, depth: number): number[] {
  return Array.from({ length: depth }, (_, i) => (depth > 1 ? (rate * i) / (depth - 1) : 0));
}
