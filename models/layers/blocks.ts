/**
 * Convolutional blocks: ResNet basic/bottleneck, MBConv (+ squeeze-excite), ConvNeXt block,
 * and Swin's patch merging. Feature maps are NHWC [B, H, W, C].
 */
import type { Act, Graph, T } from '../nn/graph';
import { truncNormal } from '../nn/rng';
import { conv, convNormAct, dropPath, layerNorm, layerScale, linear, norm, type NormKind } from './core';
import { mlp } from './mlp';

export interface ResBlockOpts {
  stride?: number;
  norm?: NormKind; // default 'bn'
  act?: Act; // default 'relu'
  dropPath?: number;
  /** Where a bottleneck strides: '1x1' (He et al. 2016, v1) or '3x3' (torchvision "v1.5"). */
  strideAt?: '1x1' | '3x3';
  /** Weight-standardised convs (BiT). */
  ws?: boolean;
}

/** 1×1 conv + norm on the shortcut when the shape changes (He et al. 2016, option B). */
function projectShortcut(g: Graph, x: T, out: number, stride: number, kind: NormKind, ws = false): T {
  if (stride === 1 && x.shape[3] === out) return x;
  return convNormAct(g.at('downsample'), x, out, 1, { stride, pad: 0, norm: kind, act: 'identity', ws });
}

/** ResNet basic block: 3×3 → 3×3, identity or projected shortcut (He et al. 2016, Fig. 5 left). */
export function basicBlock(g: Graph, x: T, out: number, o: ResBlockOpts = {}): T {
  const stride = o.stride ?? 1;
  const kind = o.norm ?? 'bn';
  const act = o.act ?? 'relu';
  const ws = o.ws ?? false;
  let y = convNormAct(g.at('conv1'), x, out, 3, { stride, norm: kind, act, ws });
  y = convNormAct(g.at('conv2'), y, out, 3, { norm: kind, act: 'identity', ws });
  y = dropPath(g, y, o.dropPath ?? 0);
  return g.act(g.add(y, projectShortcut(g, x, out, stride, kind, ws)), act);
}

/** ResNet bottleneck: 1×1 (width) → 3×3 (width) → 1×1 (out), He et al. 2016, Fig. 5 right. */
export function bottleneck(g: Graph, x: T, width: number, out: number, o: ResBlockOpts = {}): T {
  const stride = o.stride ?? 1;
  const kind = o.norm ?? 'bn';
  const act = o.act ?? 'relu';
  const s1 = o.strideAt === '1x1' ? stride : 1;
  const s3 = o.strideAt === '1x1' ? 1 : stride;
  const ws = o.ws ?? false;
  let y = convNormAct(g.at('conv1'), x, width, 1, { stride: s1, pad: 0, norm: kind, act, ws });
  y = convNormAct(g.at('conv2'), y, width, 3, { stride: s3, norm: kind, act, ws });
  y = convNormAct(g.at('conv3'), y, out, 1, { pad: 0, norm: kind, act: 'identity', ws });
  y = dropPath(g, y, o.dropPath ?? 0);
  return g.act(g.add(y, projectShortcut(g, x, out, stride, kind, ws)), act);
}

/**
 * Squeeze-and-excitation (Hu et al. 2018): global pool → fc (reduce) → act → fc → sigmoid gate.
 * `rd` is the reduced width. Every output depends on the whole map (a global receptive field).
 */
export function squeezeExcite(g: Graph, x: T, rd: number, act: Act = 'silu'): T {
  const C = x.shape[3]!;
  let s = g.mixed(g.mean(x, [1, 2], true), 'global'); // [B, 1, 1, C]
  s = g.act(conv(g.at('fc1'), s, rd, 1, { pad: 0 }), act);
  s = g.act(conv(g.at('fc2'), s, C, 1, { pad: 0 }), 'sigmoid');
  return g.mul(x, s);
}

export interface MbConvOpts {
  hidden?: number; // expanded width (default 4 × in; CoAtNet/MaxViT expand from the output: 4 × out)
  kernel?: number; // depthwise kernel (default 3)
  stride?: number;
  /** Where the block strides: the depthwise conv (default) or the expanding 1×1 (CoAtNet paper, §A.1). */
  strideOn?: 'dw' | '1x1';
  act?: Act; // default 'silu'
  norm?: NormKind; // default 'bn'
  eps?: number;
  /** Squeeze-excite reduced width (channels); 0 or absent: no SE. */
  seRd?: number;
  seAct?: Act; // default 'silu'
  /** CoAtNet/MaxViT's MBConv: pre-norm on the input, biased 1×1 projection with no norm after it. */
  preNorm?: boolean;
  /** Shortcut when the shape changes: 'none' (MobileNetV2) or 'pool-conv' (2×2 avg-pool, then 1×1 conv). */
  shortcut?: 'none' | 'pool-conv';
  dropPath?: number;
}

/**
 * Inverted residual (MobileNetV2; CoAtNet/MaxViT's "MBConv"): 1×1 expand → k×k depthwise →
 * [SE] → 1×1 project, residual when shapes allow (or via the shortcut option).
 */
export function mbconv(g: Graph, x: T, out: number, o: MbConvOpts = {}): T {
  const cin = x.shape[3]!;
  const stride = o.stride ?? 1;
  const kind = o.norm ?? 'bn';
  const act = o.act ?? 'silu';
  const eps = o.eps ?? 1e-5;
  const hidden = o.hidden ?? 4 * cin;
  let y = o.preNorm ? norm(g.at('pre_norm'), x, kind, eps) : x;
  const on1x1 = o.strideOn === '1x1';
  if (hidden !== cin || o.preNorm) y = convNormAct(g.at('conv_pw'), y, hidden, 1, { stride: on1x1 ? stride : 1, pad: 0, norm: kind, act, eps });
  y = convNormAct(g.at('conv_dw'), y, hidden, o.kernel ?? 3, { stride: on1x1 ? 1 : stride, groups: 'dw', norm: kind, act, eps });
  if (o.seRd) y = squeezeExcite(g.at('se'), y, o.seRd, o.seAct ?? 'silu');
  if (o.preNorm) y = conv(g.at('conv_pwl'), y, out, 1, { pad: 0 });
  else y = convNormAct(g.at('conv_pwl'), y, out, 1, { pad: 0, norm: kind, act: 'identity', eps });
  if (stride === 1 && cin === out) return g.add(dropPath(g, y, o.dropPath ?? 0), x);
  if ((o.shortcut ?? 'none') === 'none') return y;
  return g.add(dropPath(g, y, o.dropPath ?? 0), poolConvShortcut(g.at('shortcut'), x, out, stride));
}

/** CoAtNet/MaxViT's downsampling shortcut: 2×2/2 average pool (if strided), then a biased 1×1 conv (if widened). */
export function poolConvShortcut(g: Graph, x: T, out: number, stride: number): T {
  let s = stride > 1 ? g.avgPool(x, stride, stride, 0) : x;
  if (s.shape[3] !== out) s = conv(g, s, out, 1, { pad: 0 });
  return s;
}

export interface ConvNeXtBlockOpts {
  kernel?: number; // default 7
  mlpRatio?: number; // default 4
  layerScaleInit?: number; // default 1e-6 (0: none)
  dropPath?: number;
}

/** ConvNeXt block (Liu et al. 2022, Fig. 4): 7×7 depthwise → LN → 1×1 (4×) → GELU → 1×1 → scale, residual. */
export function convnextBlock(g: Graph, x: T, o: ConvNeXtBlockOpts = {}): T {
  const C = x.shape[3]!;
  let y = conv(g.at('conv_dw'), x, C, o.kernel ?? 7, { groups: 'dw', init: truncNormal(0.02) });
  y = layerNorm(g.at('norm'), y, 1e-6);
  y = mlp(g.at('mlp'), y, (o.mlpRatio ?? 4) * C); // pointwise convs as linears on channels-last maps
  if ((o.layerScaleInit ?? 1e-6) > 0) y = layerScale(g, y, o.layerScaleInit ?? 1e-6);
  return g.add(x, dropPath(g, y, o.dropPath ?? 0));
}

/**
 * Swin's patch merging (Liu et al. 2021, §3.1): concatenate each 2×2 neighbourhood (4C),
 * LayerNorm, then a linear 4C → 2C. [B, H, W, C] → [B, H/2, W/2, out].
 */
export function patchMerging(g: Graph, x: T, out?: number): T {
  const [B, H, W, C] = x.shape as [number, number, number, number];
  let y = x;
  if (H % 2 || W % 2) y = g.pad(y, [[0, 0], [0, H % 2], [0, W % 2], [0, 0]]);
  const [Hp, Wp] = [H + (H % 2), W + (W % 2)];
  y = g.reshape(y, [B * (Hp / 2), 2, Wp / 2, 2 * C]); // [B·H/2, dy, W/2, (dx, C)]
  y = g.reshape(g.transpose(y, [0, 2, 1, 3]), [B, Hp / 2, Wp / 2, 4 * C]); // [B, H/2, W/2, (dy, dx, C)]
  y = g.mixed(y, { steps: 2, stride: 2 });
  y = layerNorm(g.at('norm'), y);
  return linear(g.at('reduction'), y, out ?? 2 * C, { bias: false });
}
