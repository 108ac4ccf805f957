// Fused normalisation kernels on the heap: one or two passes each instead of ~10 tfjs kernels
// forward and ~20 backward. Statistics accumulate in double precision.
//   AtlasLayerNorm(x, gamma, beta; eps) → [y, mean, rstd]      over the last axis, per row
//   AtlasLayerNormGrad(x, gamma, mean, rstd, dy) → [dx, dgamma, dbeta]
//   AtlasBatchNormTrain(x, gamma, beta; eps) → [y, mean, variance]   over all axes but the last
//       (batch statistics, biased variance as tf.moments computes it)
//   AtlasBatchNormTrainGrad(x, gamma, mean, variance, dy, dmean, dvariance; eps) → [dx, dgamma, dbeta]
import type { TensorInfo } from '@tensorflow/tfjs';
import { be, ptr, sizeOf, type KernelArgs } from './state';

const eps = (a: KernelArgs) => (a.attrs as unknown as { eps: number }).eps;

function layerNorm(a: KernelArgs): TensorInfo[] {
  const { x, gamma, beta } = a.inputs as { x: TensorInfo; gamma: TensorInfo; beta: TensorInfo };
  const C = x.shape[x.shape.length - 1]!, rows = sizeOf(x.shape) / C, e = eps(a);
  const y = be.makeOutput([...x.shape], 'float32'), mean = be.makeOutput([rows], 'float32'), rstd = be.makeOutput([rows], 'float32');
  const h = be.wasm.HEAPF32, xo = ptr(x) >>> 2, go = ptr(gamma) >>> 2, bo = ptr(beta) >>> 2, yo = ptr(y) >>> 2, mo = ptr(mean) >>> 2, ro = ptr(rstd) >>> 2;
  for (let r = 0, o = xo; r < rows; r++, o += C) {
    let s = 0;
    for (let j = 0; j < C; j++) s += h[o + j]!;
    const mu = s / C;
    let v = 0;
    for (let j = 0; j < C; j++) { const d = h[o + j]! - mu; v += d * d; }
    const rs = 1 / Math.sqrt(v / C + e);
    h[mo + r] = mu; h[ro + r] = rs;
    const out = yo + r * C;
    for (let j = 0; j < C; j++) h[out + j] = (h[o + j]! - mu) * rs * h[go + j]! + h[bo + j]!;
  }
  return [y, mean, rstd];
}

function layerNormGrad(a: KernelArgs): TensorInfo[] {
  const { x, gamma, mean, rstd, dy } = a.inputs as Record<'x' | 'gamma' | 'mean' | 'rstd' | 'dy', TensorInfo>;
  const C = x.shape[x.shape.length - 1]!, rows = sizeOf(x.shape) / C;
  const dx = be.makeOutput([...x.shape], 'float32'), dg = be.makeOutput([C], 'float32'), db = be.makeOutput([C], 'float32');
  const h = be.wasm.HEAPF32, xo = ptr(x) >>> 2, go = ptr(gamma) >>> 2, mo = ptr(mean) >>> 2, ro = ptr(rstd) >>> 2, dyo = ptr(dy) >>> 2, dxo = ptr(dx) >>> 2;
  const sg = new Float64Array(C), sb = new Float64Array(C);
  for (let r = 0; r < rows; r++) {
    const o = r * C, mu = h[mo + r]!, rs = h[ro + r]!;
    // g = dy·γ;  dx = rstd·(g − mean(g) − x̂·mean(g·x̂))
    let s1 = 0, s2 = 0;
    for (let j = 0; j < C; j++) {
      const d = h[dyo + o + j]!, xh = (h[xo + o + j]! - mu) * rs, g = d * h[go + j]!;
      s1 += g; s2 += g * xh; sg[j]! += d * xh; sb[j]! += d;
    }
    s1 /= C; s2 /= C;
    for (let j = 0; j < C; j++) {
      const xh = (h[xo + o + j]! - mu) * rs;
      h[dxo + o + j] = rs * (h[dyo + o + j]! * h[go + j]! - s1 - xh * s2);
    }
  }
  h.set(sg, ptr(dg) >>> 2); h.set(sb, ptr(db) >>> 2);
  return [dx, dg, db];
}

function batchNormTrain(a: KernelArgs): TensorInfo[] {
  const { x, gamma, beta } = a.inputs as { x: TensorInfo; gamma: TensorInfo; beta: TensorInfo };
  const C = x.shape[x.shape.length - 1]!, rows = sizeOf(x.shape) / C, e = eps(a);
  const y = be.makeOutput([...x.shape], 'float32'), mean = be.makeOutput([C], 'float32'), variance = be.makeOutput([C], 'float32');
  const h = be.wasm.HEAPF32, xo = ptr(x) >>> 2, yo = ptr(y) >>> 2;
  // One pass for Σx and Σx² in double precision (float32 inputs: the cancellation in
  // Σx²/m − μ² stays far below float32's resolution unless |μ| ≫ σ by ~10⁴).
  const s = new Float64Array(C), ss = new Float64Array(C);
  for (let r = 0, o = xo; r < rows; r++, o += C) for (let j = 0; j < C; j++) { const v = h[o + j]!; s[j]! += v; ss[j]! += v * v; }
  const scale = new Float64Array(C), shift = new Float64Array(C), go = ptr(gamma) >>> 2, bo = ptr(beta) >>> 2;
  for (let j = 0; j < C; j++) {
    s[j]! /= rows;
    ss[j] = Math.max(0, ss[j]! / rows - s[j]! * s[j]!);
    scale[j] = h[go + j]! / Math.sqrt(ss[j]! + e);
    shift[j] = h[bo + j]! - s[j]! * scale[j]!;
  }
  for (let r = 0, o = 0; r < rows; r++, o += C) for (let j = 0; j < C; j++) h[yo + o + j] = h[xo + o + j]! * scale[j]! + shift[j]!;
  h.set(s, ptr(mean) >>> 2); h.set(ss, ptr(variance) >>> 2);
  return [y, mean, variance];
}

function batchNormTrainGrad(a: KernelArgs): TensorInfo[] {
  const { x, gamma, mean, variance, dy, dmean, dvariance } = a.inputs as Record<'x' | 'gamma' | 'mean' | 'variance' | 'dy' | 'dmean' | 'dvariance', TensorInfo>;
  const C = x.shape[x.shape.length - 1]!, rows = sizeOf(x.shape) / C, e = eps(a);
  const dx = be.makeOutput([...x.shape], 'float32'), dg = be.makeOutput([C], 'float32'), db = be.makeOutput([C], 'float32');
  const h = be.wasm.HEAPF32, xo = ptr(x) >>> 2, dyo = ptr(dy) >>> 2, dxo = ptr(dx) >>> 2;
  const mu = new Float64Array(C), rs = new Float64Array(C), sd = new Float64Array(C), sdx = new Float64Array(C);
  for (let j = 0; j < C; j++) { mu[j] = h[(ptr(mean) >>> 2) + j]!; rs[j] = 1 / Math.sqrt(h[(ptr(variance) >>> 2) + j]! + e); }
  for (let r = 0, o = 0; r < rows; r++, o += C) for (let j = 0; j < C; j++) { const d = h[dyo + o + j]!; sd[j]! += d; sdx[j]! += d * (h[xo + o + j]! - mu[j]!) * rs[j]!; }
  // dx = γ·rstd·(dy − mean(dy) − x̂·mean(dy·x̂)) + dmean/m + dvar·2(x − μ)/m
  const k1 = new Float64Array(C), k2 = new Float64Array(C), k0 = new Float64Array(C), kv = new Float64Array(C);
  const go = ptr(gamma) >>> 2, dmo = ptr(dmean) >>> 2, dvo = ptr(dvariance) >>> 2;
  for (let j = 0; j < C; j++) {
    const gr = h[go + j]! * rs[j]!;
    k1[j] = gr; // × dy
    k2[j] = gr * (sdx[j]! / rows) * rs[j]! - (2 * h[dvo + j]!) / rows; // × −(x − μ)
    k0[j] = -gr * (sd[j]! / rows) + h[dmo + j]! / rows; // constant
    kv[j] = mu[j]!;
  }
  for (let r = 0, o = 0; r < rows; r++, o += C) for (let j = 0; j < C; j++) h[dxo + o + j] = k1[j]! * h[dyo + o + j]! - k2[j]! * (h[xo + o + j]! - kv[j]!) + k0[j]!;
  h.set(sdx, ptr(dg) >>> 2); h.set(sd, ptr(db) >>> 2);
  return [dx, dg, db];
}

type MultiKernel = (a: KernelArgs) => TensorInfo[];
export const FUSED_NORM_KERNELS: Record<string, MultiKernel> = {
  AtlasLayerNorm: layerNorm, AtlasLayerNormGrad: layerNormGrad, AtlasBatchNormTrain: batchNormTrain, AtlasBatchNormTrainGrad: batchNormTrainGrad,
};
