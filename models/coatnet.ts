/**
 * CoAtNet — Dai et al. 2021, "CoAtNet: Marrying Convolution and Attention for All Data Sizes",
 * arXiv 2106.04803.
 *
 * C-C-T-T: a 2-conv stem (S0), two stages of pre-norm MBConv (S1, S2), two stages of
 * relative-attention transformer blocks (S3, S4); each stage halves the map in its first block
 * (pool + 1×1 on the shortcut). Global pool → LN → tanh pre-logits → head. No official code;
 * the block details follow timm's paper-like `coatnet_0` (maxxvit.py).
 * Taps: stem, stage1…4, stageS.blockNN.attn.
 */
import type { Act, Graph, T } from './nn/graph';
import {
  attend,
  batchNorm,
  blockName,
  conv,
  dropPath,
  dropPathRates,
  globalAvgPool,
  layerNorm,
  linear,
  mbconv,
  mlp,
  poolConvShortcut,
  relativePositionBias,
  splitLast,
  toMap,
  toTokens,
} from './layers';
import { defineFamily, IN1K, type BaseConfig } from './common';

export interface CoatNetConfig extends BaseConfig {
  stemWidth: number; // S0: D_0
  blocks: Array<'C' | 'T'>; // block type per stage S1–S4
  depths: number[]; // L_1…L_4
  dims: number[]; // D_1…D_4
  expandRatio: number; // MBConv and FFN expansion (4)
  seRatio: number; // SE width as a fraction of the MBConv output (0.25)
  dimHead: number; // 32
  headHidden: number; // pre-logits width
  /** MBConv downsampling: stride-2 in the first 1×1 conv (the paper, §A.1) or in the depthwise conv (timm). */
  mbconvStride: 'dw' | '1x1';
  dropPath: number;
}

/** S0 / MaxViT's stem: 3×3/2 conv → BN → act → 3×3 conv. */
export function convStem(g: Graph, x: T, width: number, o: { bias: boolean; act: Act; eps: number }): T {
  let y = conv(g.at('conv1'), x, width, 3, { stride: 2, bias: o.bias });
  y = g.act(batchNorm(g.at('norm1'), y, o.eps), o.act);
  return conv(g.at('conv2'), y, width, 3, { bias: o.bias });
}

/** CoAtNet/MaxViT MBConv: pre-norm BN, expansion from the output width, SE, biased projection. */
export function coatMbconv(g: Graph, x: T, out: number, stride: number, o: { expand: number; se: number; act: Act; eps: number; dropPath: number; strideOn: 'dw' | '1x1' }): T {
  return mbconv(g, x, out, {
    hidden: o.expand * out,
    stride,
    strideOn: o.strideOn,
    act: o.act,
    eps: o.eps,
    seRd: Math.floor(o.se * out),
    preNorm: true,
    shortcut: 'pool-conv',
    dropPath: o.dropPath,
  });
}

/** Global pool → LayerNorm → Linear + tanh (pre-logits) → Linear (timm's NormMlpClassifierHead), under `head.*`. */
export function normMlpHead(g: Graph, x: T, hidden: number, numClasses: number, eps: number): T {
  const h = g.at('head');
  const pooled = layerNorm(h.at('norm'), globalAvgPool(h, x), eps);
  const pre = g.tap(h.act(linear(h.at('pre_logits'), pooled, hidden), 'tanh'), 'pre_logits');
  return linear(h.at('fc'), pre, numClasses);
}

/**
 * Relative-attention transformer block on a map (§3.1, Eq. 3; §3.2 "downsampling"):
 * x ← Proj(Pool(x)) + Attn(Pool(LN(x))) in the first block of a stage, x + FFN(LN(x)).
 */
function coatTransformer(g: Graph, x: T, out: number, stride: number, cfg: CoatNetConfig, dp: number): T {
  const eps = 1e-6;
  let xn = layerNorm(g.at('norm1'), x, eps);
  let shortcut = x;
  if (stride > 1) {
    xn = g.avgPool(xn, stride, stride, 0);
    shortcut = poolConvShortcut(g.at('shortcut'), x, out, stride);
  }
  const [, H, W] = xn.shape as [number, number, number, number];
  const heads = out / cfg.dimHead;
  const a = g.at('attn');
  const [q, k, v] = splitLast(a, linear(a.at('qkv'), toTokens(a, xn), 3 * out), 3) as [T, T, T];
  const rel = relativePositionBias(a.at('rel_pos'), heads, H, W); // [h, HW, HW]: the whole map is one window
  const y = linear(a.at('proj'), attend(a, q, k, v, heads, { bias: (gg, logits) => gg.add(logits, rel) }), out);
  let z = g.add(shortcut, dropPath(g, toMap(g, y, H, W), dp));
  z = g.add(z, dropPath(g, mlp(g.at('mlp'), layerNorm(g.at('norm2'), z, eps), cfg.expandRatio * out), dp));
  return z;
}

function buildCoatNet(cfg: CoatNetConfig) {
  return (g: Graph, x: T): T => {
    let y = g.tap(convStem(g.at('stem'), x, cfg.stemWidth, { bias: false, act: 'gelu', eps: 1e-5 }), 'stem');
    const rates = dropPathRates(cfg.dropPath, cfg.depths.reduce((a, b) => a + b, 0));
    let k = 0;
    cfg.depths.forEach((depth, s) => {
      const st = g.at(`stage${s + 1}`);
      for (let j = 0; j < depth; j++, k++) {
        const stride = j === 0 ? 2 : 1;
        const b = st.at(blockName(k));
        switch (cfg.blocks[s]!) {
          case 'C':
            y = coatMbconv(b, y, cfg.dims[s]!, stride, { expand: cfg.expandRatio, se: cfg.seRatio, act: 'gelu', eps: 1e-5, dropPath: rates[k]!, strideOn: cfg.mbconvStride });
            break;
          case 'T':
            y = coatTransformer(b, y, cfg.dims[s]!, stride, cfg, rates[k]!);
            break;
        }
      }
      g.tap(y, `stage${s + 1}`);
    });
    return normMlpHead(g, y, cfg.headHidden, cfg.numClasses, 1e-6);
  };
}

export const COATNET = defineFamily<CoatNetConfig>({
  family: 'CoAtNet (Dai et al. 2021)',
  variants: {
    // Table 3, CoAtNet-0: L=(2,2,3,5,2), D=(64,96,192,384,768) for S0–S4, blocks C-C-T-T.
    coatnet_0_224: { ...IN1K, stemWidth: 64, blocks: ['C', 'C', 'T', 'T'], depths: [2, 3, 5, 2], dims: [96, 192, 384, 768], expandRatio: 4, seRatio: 0.25, dimHead: 32, headHidden: 768, mbconvStride: '1x1', dropPath: 0 },
  },
  build: buildCoatNet,
  admits: (_cfg, side) => side % 32 === 0,
  admitsRule: 'multiples of 32',
});
