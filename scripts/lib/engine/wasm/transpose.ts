// Transpose on the heap: axes that stay adjacent are merged first, then the SIMD block or 2-D/3-D
// transposes run, or a generic JS loop (stock wasm runs rank ≥ 5 through a slow generic loop).
import type { TensorInfo } from '@tensorflow/tfjs';
import { be, call, callStock, free, reshape, simd, type KernelArgs } from './state';

// Transpose of rank ≥ 5 (attention's [B,N,3,h,d] → [3,B,h,N,d]) is a generic slow loop in
// stock wasm; merge axes that stay adjacent, then use the SIMD/JS heap kernel.
function transposeKernel({ inputs, attrs }: KernelArgs): TensorInfo {
  const { x } = inputs as { x: TensorInfo };
  const { perm } = attrs as unknown as { perm: number[] };
  const fast = heapTranspose(x, perm);
  return fast ?? callStock('Transpose', { inputs, attrs });
}

/** Collapses runs of input axes that stay adjacent and in order under `perm`. */
export function simplifyPermutation(shape: readonly number[], perm: readonly number[]): { shape: number[]; perm: number[] } {
  // Drop size-1 axes, renumber the rest 0…k−1 in input order, then merge runs of axes that stay
  // adjacent. Renumbering first matters: [2,49,1,16] with perm [0,2,1,3] only moves a size-1 axis,
  // so it must come out as the identity (a reshape), not as a 2-D swap of [98,16].
  const kept = perm.filter((p) => shape[p] !== 1);
  const inputOrder = [...kept].sort((a, b) => a - b);
  const rank = kept.map((p) => inputOrder.indexOf(p));
  const groups: number[][] = [];
  for (const r of rank) {
    const g = groups[groups.length - 1];
    if (g && g[g.length - 1]! + 1 === r) g.push(r);
    else groups.push([r]);
  }
  const order = [...groups].sort((g1, g2) => g1[0]! - g2[0]!);
  const newShape = order.map((g) => g.reduce((s, r) => s * shape[inputOrder[r]!]!, 1));
  const newPerm = groups.map((g) => order.indexOf(g));
  return { shape: newShape, perm: newPerm };
}

function heapTranspose(x: TensorInfo, perm: number[]): TensorInfo | null {
  if (x.dtype !== 'float32') return null;
  const s = simplifyPermutation(x.shape, perm);
  const outShape = perm.map((p) => x.shape[p]!);
  if (s.perm.every((p, i) => p === i)) return reshape(x, outShape); // a no-op permutation: share the buffer
  // [A, B, C, D] → [A, C, B, D] (attention's head split/merge): a batched block transpose,
  // D floats per block, done with memory.copy per block instead of per element.
  if (simd && s.perm.length === 4 && s.perm.join() === '0,2,1,3' && s.shape[3]! >= 4) {
    const out = be.makeOutput(outShape, 'float32');
    simd.blockTranspose(be.dataIdMap.get(x.dataId).memoryOffset, be.dataIdMap.get(out.dataId).memoryOffset, s.shape[0]!, s.shape[1]!, s.shape[2]!, 4 * s.shape[3]!);
    return out;
  }
  if (simd && s.perm.length === 3 && s.perm.join() === '1,0,2' && s.shape[2]! >= 4) {
    const out = be.makeOutput(outShape, 'float32');
    simd.blockTranspose(be.dataIdMap.get(x.dataId).memoryOffset, be.dataIdMap.get(out.dataId).memoryOffset, 1, s.shape[0]!, s.shape[1]!, 4 * s.shape[2]!);
    return out;
  }
  // ≤ 4-D after merging: the stock kernel is fast; 2-D and 3-D swaps go to SIMD if present.
  if (s.perm.length <= 4 && !(simd && (s.perm.length === 2 || (s.perm.length === 3 && s.perm[0] === 0 && s.perm[1] === 2)))) {
    if (s.perm.length === x.shape.length) return null;
    const xr = reshape(x, s.shape);
    const t = call('Transpose', { x: xr }, { perm: s.perm });
    const out = reshape(t, outShape);
    free(xr, t);
    return out;
  }
  const out = be.makeOutput(outShape, 'float32');
  const src = be.dataIdMap.get(x.dataId).memoryOffset, dst = be.dataIdMap.get(out.dataId).memoryOffset;
  if (simd && s.perm.length === 2) { simd.transpose(src, dst, 1, s.shape[0]!, s.shape[1]!); return out; }
  if (simd && s.perm.length === 3 && s.perm[0] === 0 && s.perm[1] === 2) { simd.transpose(src, dst, s.shape[0]!, s.shape[1]!, s.shape[2]!); return out; }
  jsTranspose(be.wasm.HEAPF32, src >>> 2, dst >>> 2, s.shape, s.perm);
  return out;
}

/** Generic N-D transpose on the heap; innermost loop runs over the output's last axis. */
export function jsTranspose(heap: Float32Array, src: number, dst: number, shape: number[], perm: number[]): void {
  const r = shape.length;
  const inStride = new Array<number>(r);
  let acc = 1;
  for (let i = r - 1; i >= 0; i--) { inStride[i] = acc; acc *= shape[i]!; }
  const oShape = perm.map((p) => shape[p]!), oStride = perm.map((p) => inStride[p]!);
  const idx = new Array<number>(r).fill(0);
  const last = oShape[r - 1]!, lastStride = oStride[r - 1]!;
  const total = acc;
  let o = dst, base = src;
  while (o < dst + total) {
    for (let k = 0, s = base; k < last; k++, s += lastStride) heap[o++] = heap[s]!;
    // Increment the multi-index over the leading r−1 output axes.
    for (let ax = r - 2; ax >= 0; ax--) {
      idx[ax]!++;
      base += oStride[ax]!;
      if (idx[ax]! < oShape[ax]!) break;
      base -= oStride[ax]! * oShape[ax]!;
      idx[ax] = 0;
    }
  }
}

export const TRANSPOSE_KERNELS = { Transpose: transposeKernel };
