// Shared pieces of the GEMM-based convolutions (conv.ts, conv-strided.ts).
//
// Stride-1 'same' convolutions (every 3×3 and 1×1 conv of a ResNet stage) as k accumulated
// GEMMs on a zero-padded copy — an implicit im2col. With X padded to [B, H+2p, W+2p, Ci]
// and flattened to rows q, output row q needs rows q + i·Wp + j for kernel tap (i, j); for a
// fixed kernel row i the taps j = 0…k−1 are k·Ci *contiguous* floats, so each kernel row is
// one GEMM with K = k·Ci read straight out of the padded buffer (no im2col matrix). Rows of
// the padded grid that are not outputs (x ≥ W or y ≥ H) are computed and discarded.
import { backend_util, type TensorInfo } from '@tensorflow/tfjs';
import { be, call, free, ptr, simd } from './state';

export const CHUNK = 256; // rows per GEMM call: keeps the A/B/C panels of a chunk in L1/L2

export interface SameConv { B: number; H: number; W: number; Ci: number; Co: number; k: number; p: number; Hp: number; Wp: number; P: number; slack: number }
/** The geometry of a stride-1, odd-k, 'same' NHWC convolution; null for any other convolution. */
export function sameConv(info: backend_util.Conv2DInfo): SameConv | null {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: Ci, outChannels: Co, filterHeight: k, filterWidth: kw, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const { top, bottom, left, right } = info.padInfo;
  const p = (k - 1) / 2;
  if (!simd || k !== kw || k % 2 === 0 || sh !== 1 || sw !== 1 || dh !== 1 || dw !== 1 || top !== p || bottom !== p || left !== p || right !== p) return null;
  if (info.dataFormat !== 'channelsLast' || info.outHeight !== H || info.outWidth !== W) return null;
  const Hp = H + 2 * p, Wp = W + 2 * p;
  return { B, H, W, Ci, Co, k, p, Hp, Wp, P: B * Hp * Wp, slack: (k - 1) * (Wp + 1) };
}

/** x [B,H,W,C] → zero-padded rows [B·Hp·Wp + slack, C]; at (p, p) ('center') or (0, 0) ('topLeft'). */
export function padRows(x: TensorInfo, c: SameConv, C: number, at: 'center' | 'topLeft', slack: number): TensorInfo {
  const out = be.makeOutput([c.P + slack, C], 'float32');
  const h = be.wasm.HEAPF32, src = ptr(x) >>> 2, dst = ptr(out) >>> 2, off = at === 'center' ? c.p : 0, run = c.W * C;
  h.fill(0, dst, dst + (c.P + slack) * C);
  for (let b = 0; b < c.B; b++) for (let y = 0; y < c.H; y++) {
    const s0 = src + (b * c.H + y) * run;
    h.copyWithin(dst + ((b * c.Hp + y + off) * c.Wp + off) * C, s0, s0 + run);
  }
  return out;
}

// Strided 1×1 convolutions (ResNet's downsample shortcut) are a GEMM on the subsampled pixels:
// gather X[:, ::s, ::s, :] (or scatter into dX) with copyWithin, and let the SIMD GEMM do the
// rest. The conv-based re-expressions below waste most of their work on this shape.
export function pointwiseStrided(info: backend_util.Conv2DInfo): boolean {
  const { filterHeight: kh, filterWidth: kw, dilationHeight: dh, dilationWidth: dw, strideHeight: sh, strideWidth: sw } = info;
  const { top, bottom, left, right } = info.padInfo;
  return !!simd && kh === 1 && kw === 1 && dh === 1 && dw === 1 && (sh > 1 || sw > 1) && top === 0 && bottom === 0 && left === 0 && right === 0 && info.dataFormat === 'channelsLast';
}
/** Copies pixel runs between [B,H,W,C] (every s-th pixel) and a dense [B,oh,ow,C]; 'gather' or 'scatter'. */
export function strideCopy(full: TensorInfo, dense: TensorInfo, info: backend_util.Conv2DInfo, C: number, dir: 'gather' | 'scatter'): void {
  const h = be.wasm.HEAPF32, f = ptr(full) >>> 2, d = ptr(dense) >>> 2;
  const { batchSize: B, inHeight: H, inWidth: W, outHeight: oh, outWidth: ow, strideHeight: sh, strideWidth: sw } = info;
  for (let b = 0; b < B; b++) for (let y = 0; y < oh; y++) for (let x = 0; x < ow; x++) {
    const fi = f + ((b * H + y * sh) * W + x * sw) * C, di = d + ((b * oh + y) * ow + x) * C;
    if (dir === 'gather') h.copyWithin(di, fi, fi + C); else h.copyWithin(fi, di, di + C);
  }
}

/** Pads (positive) or crops (negative) the H and W axes of an NHWC tensor. */
export function padOrCrop(x: TensorInfo, t: number, b: number, l: number, r: number): TensorInfo {
  let cur = x;
  const owned: TensorInfo[] = [];
  if (t < 0 || b < 0 || l < 0 || r < 0) {
    const [n, h, w, c] = cur.shape as [number, number, number, number];
    const bt = Math.max(0, -t), bb = Math.max(0, -b), bl = Math.max(0, -l), br = Math.max(0, -r);
    cur = call('Slice', { x: cur }, { begin: [0, bt, bl, 0], size: [n, h - bt - bb, w - bl - br, c] });
    owned.push(cur);
  }
  if (t > 0 || b > 0 || l > 0 || r > 0) {
    const p = call('PadV2', { x: cur }, { paddings: [[0, 0], [Math.max(0, t), Math.max(0, b)], [Math.max(0, l), Math.max(0, r)], [0, 0]], constantValue: 0 });
    free(...owned);
    return p;
  }
  if (owned.length === 0) return call('Identity', { x: cur });
  return cur;
}

/**
 * y = conv(x, w) for a same-conv: k GEMMs per image (one per kernel row i, K = k·Ci) over the
 * padded rows, written straight into y [B, H, W, Co] — the GEMM's batch axis walks the H output
 * rows (A advances Wp padded pixels, C advances W output pixels), so no padded-grid output and
 * no crop. w: [k, k, Ci, Co].
 */
export function implicitConvForward(x: TensorInfo, w: TensorInfo, c: SameConv, Ci: number, Co: number): TensorInfo {
  const xP = padRows(x, c, Ci, 'center', 0);
  const out = be.makeOutput([c.B, c.H, c.W, Co], 'float32');
  const xo = ptr(xP), wo = ptr(w), yo = ptr(out), raw = simd!.raw;
  for (let b = 0; b < c.B; b++) {
    for (let i = 0; i < c.k; i++) raw.bmm(xo + (b * c.Hp + i) * c.Wp * Ci * 4, wo + i * c.k * Ci * Co * 4, yo + b * c.H * c.W * Co * 4, c.H, c.W, c.k * Ci, Co, Ci * 4, 4, c.Wp * Ci * 4, 0, i > 0 ? 1 : 0);
  }
  free(xP);
  return out;
}
