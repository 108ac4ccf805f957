/** Feed-forward blocks: the transformer MLP and PVTv2's conv-MLP. */
import type { Act, Graph, T } from '../nn/graph';
import { conv, linear, toMap, toTokens, type LinearOpts } from './core';

export interface MlpOpts {
  act?: Act; // default 'gelu'
  drop?: number;
  out?: number; // default: input width
  init?: LinearOpts['init'];
}

/** fc1 → act → fc2 over the last axis (ViT's MlpBlock). */
export function mlp(g: Graph, x: T, hidden: number, o: MlpOpts = {}): T {
  const cin = x.shape[x.shape.length - 1]!;
  const lin = o.init ? { init: o.init } : {};
  let y = linear(g.at('fc1'), x, hidden, lin);
  y = g.dropout(g.act(y, o.act ?? 'gelu'), o.drop ?? 0);
  y = linear(g.at('fc2'), y, o.out ?? cin, lin);
  return g.dropout(y, o.drop ?? 0);
}

/**
 * PVTv2's FFN: fc1 → 3×3 depthwise conv on the token grid → GELU → fc2
 * (Wang et al. 2022, §3.2 "convolutional feed-forward").
 */
export function convMlp(g: Graph, x: T, hidden: number, H: number, W: number, o: MlpOpts = {}): T {
  const cin = x.shape[2]!;
  let y = linear(g.at('fc1'), x, hidden);
  y = conv(g.at('dwconv'), toMap(g, y, H, W), hidden, 3, { groups: 'dw' }); // [B, H, W, hidden]
  y = g.act(toTokens(g, y), o.act ?? 'gelu');
  return linear(g.at('fc2'), y, o.out ?? cin);
}
