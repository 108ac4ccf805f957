/** Patch embedding, class token, learned position embedding. */
import type { Graph, T } from '../nn/graph';
import { truncNormal, zeros } from '../nn/rng';
import { conv, layerNorm, toTokens, type ConvOpts } from './core';

export interface PatchEmbedOpts {
  stride?: number; // default = patch (non-overlapping); PVTv2/PiT use overlapping patches
  pad?: number; // default 0 for non-overlapping, ⌊patch/2⌋ otherwise
  norm?: boolean; // LayerNorm after the projection (Swin, PVT)
  init?: ConvOpts['init'];
}

/**
 * Image → tokens by a patch×patch conv with stride (ViT §3.1: a linear projection of
 * flattened patches). Returns tokens [B, N, dim] and the token grid (h, w).
 */
export function patchEmbed(g: Graph, x: T, dim: number, patch: number, o: PatchEmbedOpts = {}): { tokens: T; h: number; w: number } {
  const stride = o.stride ?? patch;
  const pad = o.pad ?? (stride === patch ? 0 : Math.floor(patch / 2));
  const cin = x.shape[3]!;
  const y = conv(g.at('proj'), x, dim, patch, { stride, pad, init: o.init ?? truncNormal(Math.sqrt(1 / (patch * patch * cin))) }); // [B, h, w, dim]
  const [, h, w] = y.shape as [number, number, number, number];
  let tokens = toTokens(g, y); // [B, N, dim]
  if (o.norm) tokens = layerNorm(g.at('norm'), tokens);
  return { tokens, h, w };
}

/** Prepend a learned [CLS] token: [B, N, C] → [B, 1 + N, C]. */
export function prependCls(g: Graph, x: T, name = 'cls_token', std = 0.02): T {
  const [B, , C] = x.shape as [number, number, number];
  const cls = g.param(name, [1, 1, C], std > 0 ? truncNormal(std) : zeros);
  return g.concat([g.broadcastTo(cls, [B, 1, C]), x], 1); // [B, 1 + N, C]
}

/** Add a learned position embedding [1, N, C] (ViT §3.1, 1-D learned). */
export function addPosEmbed(g: Graph, x: T, name = 'pos_embed', std = 0.02): T {
  const [, N, C] = x.shape as [number, number, number];
  return g.add(x, g.param(name, [1, N, C], truncNormal(std)));
}
