// BatchMatMul and leading-axis Sum/Mean on the project's SIMD GEMM (simd.ts).
import type { TensorInfo } from '@tensorflow/tfjs';
import { be, callStock, free, ptr, simd, transpose, type KernelArgs } from './state';

// BatchMatMul: every float32 case → the SIMD GEMM (batched, broadcast, transposed). Without SIMD: batch 1 with transposes → explicit transpose + XNNPACK 2-D path.
function batchMatMul({ inputs, attrs }: KernelArgs): TensorInfo {
  const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
  const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
  // The SIMD tile (FMA) beats XNNPACK's 2-D path here too (~45 vs ~34 GFLOP/s on [6400,64]·[64,192]),
  // reads transposed A through strides, and needs no operator/packing per call.
  const fast = simd?.batchMatMul(a, b, transposeA, transposeB);
  if (fast) return fast;
  const batchA = a.shape.slice(0, -2).reduce((p, q) => p * q, 1);
  const batchB = b.shape.slice(0, -2).reduce((p, q) => p * q, 1);
  if (batchA === 1 && batchB === 1) {
    if (!transposeA && !transposeB) return callStock('BatchMatMul', { inputs, attrs });
    const swap = (t: TensorInfo) => transpose(t, [...Array(t.shape.length - 2).keys(), t.shape.length - 1, t.shape.length - 2]);
    const a2 = transposeA ? swap(a) : a, b2 = transposeB ? swap(b) : b;
    const out = callStock('BatchMatMul', { inputs: { a: a2, b: b2 }, attrs: { transposeA: false, transposeB: false } });
    if (transposeA) free(a2);
    if (transposeB) free(b2);
    return out;
  }
  return callStock('BatchMatMul', { inputs, attrs });
}

// Sum over leading axes (bias gradients: Σ over B·N rows of dY) is a transpose + reduce in
// stock wasm (~10 ms for 6400×192). ones[1,M] · X[M,N] through the SIMD GEMM is ~20× faster.
function sum({ inputs, attrs }: KernelArgs): TensorInfo {
  const { x } = inputs as { x: TensorInfo };
  const { axis, keepDims } = attrs as unknown as { axis: number | number[]; keepDims: boolean };
  const r = x.shape.length;
  const axes = (Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + r : a)).sort((p, q) => p - q);
  const leading = axes.every((a, i) => a === i) && axes.length < r && x.dtype === 'float32';
  if (!leading) return callStock('Sum', { inputs, attrs });
  const m = x.shape.slice(0, axes.length).reduce((p, q) => p * q, 1);
  const rest = x.shape.slice(axes.length);
  const n = rest.reduce((p, q) => p * q, 1);
  if (m < 64) return callStock('Sum', { inputs, attrs });
  const outShape = keepDims ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : rest;
  // Without SIMD the stock kernel (transpose + reduce) is correct, only slower.
  return simd ? simd.columnSum(x, m, n, outShape) : callStock('Sum', { inputs, attrs });
}

// Mean over leading axes (BatchNorm's batch statistics over [B, H, W]): column sums / m.
function mean(args: KernelArgs): TensorInfo {
  const { x } = args.inputs as { x: TensorInfo };
  const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
  const r = x.shape.length;
  const axes = (Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + r : a)).sort((p, q) => p - q);
  const m = x.shape.slice(0, axes.length).reduce((p, q) => p * q, 1);
  if (!simd || x.dtype !== 'float32' || !axes.every((a, i) => a === i) || axes.length >= r || m < 64) return callStock('Mean', args);
  const n = x.shape.slice(axes.length).reduce((p, q) => p * q, 1);
  const out = simd.columnSum(x, m, n, keepDims ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x.shape.slice(axes.length));
  const h = be.wasm.HEAPF32, o = ptr(out) >>> 2;
  for (let i = 0; i < n; i++) h[o + i]! /= m;
  return out;
}

export const MATMUL_KERNELS = { BatchMatMul: batchMatMul, Sum: sum, Mean: mean };
