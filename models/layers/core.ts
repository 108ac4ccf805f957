/**
 * Parametrised primitives: linear, conv, norms, conv-norm-act, drop-path, layer scale.
 * Each takes a scoped Graph; its parameters live under that scope (`<scope>.w`, `<scope>.b`).
 */
import type { Act, Graph, Pad, T } from '../nn/graph';
import { fanInUniform, heNormal, ones, truncNormal, zeros, type Init } from '../nn/rng';

export interface LinearOpts {
  bias?: boolean; // default true
  init?: Init; // default trunc-normal(0.02), timm's ViT init
}

/** y = x·W + b over the last axis. Flattened to 2-D so the backend's fast GEMM path applies. */
export function linear(g: Graph, x: T, out: number, o: LinearOpts = {}): T {
  const cin = x.shape[x.shape.length - 1]!;
  const w = g.param('w', [cin, out], o.init ?? truncNormal(0.02));
  const lead = x.shape.slice(0, -1);
  let y = x.shape.length === 2 ? g.matMul(x, w) : g.matMul(g.reshape(x, [-1, cin]), w); // [B·N, out]
  if (o.bias ?? true) y = g.add(y, g.param('b', [out], zeros));
  return x.shape.length === 2 ? y : g.reshape(y, [...lead, out]);
}

export interface ConvOpts {
  stride?: number;
  pad?: Pad; // default (k−1)/2: 'same' for odd k at stride 1
  dilation?: number;
  /** 1: dense conv; 'dw': depthwise (out must be a multiple of in). */
  groups?: 1 | 'dw';
  bias?: boolean; // default true
  init?: Init; // default He normal over fan-out (timm's ResNet init)
  /** Weight standardisation (BiT's StdConv): each filter normalised to zero mean, unit variance. */
  ws?: boolean;
}

/** BiT's StdConv2d: w ← (w − mean)/√(var + eps) per output channel, over (kh, kw, Cin). */
function standardize(g: Graph, w: T, eps = 1e-8): T {
  const mean = g.mean(w, [0, 1, 2], true); // [1, 1, 1, Cout]
  const centred = g.sub(w, mean);
  const variance = g.mean(g.unary(centred, 'square'), [0, 1, 2], true);
  return g.mul(centred, g.unary(g.add(variance, eps), 'rsqrt'));
}

/** 2-D conv on [B, H, W, C]; weight [k, k, Cin, Cout] (depthwise: [k, k, Cin, Cout/Cin]). */
export function conv(g: Graph, x: T, out: number, k: number, o: ConvOpts = {}): T {
  const cin = x.shape[3]!;
  const stride = o.stride ?? 1;
  const pad = o.pad ?? Math.floor((k - 1) / 2) * (o.dilation ?? 1);
  let y: T;
  if (o.groups === 'dw') {
    if (out % cin !== 0) throw new Error(`${g.path}: depthwise conv ${cin}→${out} needs a channel multiplier`);
    const w = g.param('w', [k, k, cin, out / cin], o.init ?? heNormal((k * k * out) / cin));
    y = g.depthwiseConv2d(x, w, stride, pad, o.dilation ?? 1);
  } else {
    const w = g.param('w', [k, k, cin, out], o.init ?? heNormal(k * k * out));
    y = g.conv2d(x, o.ws ? standardize(g, w) : w, stride, pad, o.dilation ?? 1);
  }
  if (o.bias ?? true) y = g.add(y, g.param('b', [out], zeros));
  return y;
}

/** PyTorch's default conv/linear init (uniform ±1/√fan_in), for families that keep it. */
export const torchDefault = (fanIn: number): Init => fanInUniform(fanIn);

// ------------------------------------------------------------------ norms

export type NormKind = 'bn' | 'ln' | 'gn1' | 'gn32' | 'none';

/** LayerNorm over the channel (last) axis. */
export function layerNorm(g: Graph, x: T, eps = 1e-5): T {
  const c = x.shape[x.shape.length - 1]!;
  return g.layerNorm(x, g.param('scale', [c], ones), g.param('bias', [c], zeros), eps);
}

/**
 * BatchNorm over all axes but the last. Training: batch moments, running stats updated with
 * momentum 0.1 (PyTorch's convention). Eval: running stats.
 */
export function batchNorm(g: Graph, x: T, eps = 1e-5, momentum = 0.1, gammaInit: Init = ones): T {
  const c = x.shape[x.shape.length - 1]!;
  const gamma = g.param('scale', [c], gammaInit);
  const beta = g.param('bias', [c], zeros);
  const runMean = g.buffer('mean', [c], zeros);
  const runVar = g.buffer('var', [c], ones);
  if (!g.training) return g.batchNorm(x, runMean, runVar, gamma, beta, eps);
  const { y, mean, variance } = g.batchNormTrain(x, gamma, beta, eps); // mean, variance: [C]
  g.assign(runMean, g.add(g.mul(runMean, 1 - momentum), g.mul(mean, momentum)));
  g.assign(runVar, g.add(g.mul(runVar, 1 - momentum), g.mul(variance, momentum)));
  return y;
}

/** GroupNorm on [B, H, W, C]: statistics per sample over (H, W, C/groups). groups=1 is PoolFormer's norm. */
export function groupNorm(g: Graph, x: T, groups: number, eps = 1e-5): T {
  const [B, H, W, C] = x.shape as [number, number, number, number];
  const xg = g.reshape(x, [B, H * W, groups, C / groups]); // [B, HW, G, C/G]
  const mean = g.mean(xg, [1, 3], true); // [B, 1, G, 1]
  const centred = g.sub(xg, mean);
  const variance = g.mean(g.unary(centred, 'square'), [1, 3], true);
  const normed = g.reshape(g.mul(centred, g.unary(g.add(variance, eps), 'rsqrt')), [B, H, W, C]);
  return g.add(g.mul(normed, g.param('scale', [C], ones)), g.param('bias', [C], zeros));
}

export function norm(g: Graph, x: T, kind: NormKind, eps?: number): T {
  switch (kind) {
    case 'bn':
      return batchNorm(g, x, eps ?? 1e-5);
    case 'ln':
      return layerNorm(g, x, eps ?? 1e-5);
    case 'gn1':
      return groupNorm(g, x, 1, eps ?? 1e-5);
    case 'gn32':
      return groupNorm(g, x, 32, eps ?? 1e-5);
    case 'none':
      return x;
  }
}

export interface ConvNormActOpts extends Omit<ConvOpts, 'bias'> {
  norm?: NormKind; // default 'bn'
  act?: Act; // default 'relu'
  eps?: number;
  /** Zero-init the norm's scale (last BN of a residual branch). */
  zeroGamma?: boolean;
}

/** conv → norm → act, params under `<scope>.conv` and `<scope>.norm`. The conv has no bias when normed. */
export function convNormAct(g: Graph, x: T, out: number, k: number, o: ConvNormActOpts = {}): T {
  const kind = o.norm ?? 'bn';
  let y = conv(g.at('conv'), x, out, k, { ...o, bias: kind === 'none' });
  if (kind === 'bn' && o.zeroGamma) y = batchNorm(g.at('norm'), y, o.eps ?? 1e-5, 0.1, zeros);
  else y = norm(g.at('norm'), y, kind, o.eps);
  return g.act(y, o.act ?? 'relu');
}

// ------------------------------------------------------------------ regularisers, scaling

/** Stochastic depth on a residual branch; identity at eval. */
export function dropPath(g: Graph, x: T, rate: number): T {
  return g.dropPath(x, rate);
}

/** Per-channel learnable scale (CaiT/ConvNeXt layer scale), init `value`. */
export function layerScale(g: Graph, x: T, value: number): T {
  const c = x.shape[x.shape.length - 1]!;
  return g.mul(x, g.param('gamma', [c], { kind: 'const', value }));
}

/** Global average pool [B, H, W, C] → [B, C] (or tokens [B, N, C] → [B, C]). */
export function globalAvgPool(g: Graph, x: T): T {
  const axes = x.shape.length === 4 ? [1, 2] : [1];
  return g.mixed(g.mean(x, axes), 'global');
}

/** [B, H, W, C] → [B, H·W, C]. */
export function toTokens(g: Graph, x: T): T {
  const [B, H, W, C] = x.shape as [number, number, number, number];
  return g.reshape(x, [B, H * W, C]); // [B, N, C]
}

/** [B, H·W, C] → [B, H, W, C]. */
export function toMap(g: Graph, x: T, H: number, W: number): T {
  const [B, , C] = x.shape as [number, number, number];
  return g.reshape(x, [B, H, W, C]); // [B, H, W, C]
}
