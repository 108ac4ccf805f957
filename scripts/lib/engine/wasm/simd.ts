// The project's SIMD GEMM and transposes (gemm-module.ts) on tfjs-backend-wasm's heap.
//
// Why: tfjs-wasm's BatchMatMul with a batch > 1 (every attention matmul, [B·h, N, d]) and with
// transposes is a scalar loop (~1–2 GFLOP/s), and XNNPACK has no batched GEMM entry in it.
// Pointers are `dataIdMap.get(id).memoryOffset`; nothing is copied in or out.
import type { TensorInfo } from '@tensorflow/tfjs';
import { instantiate } from './asm';
import { assembleGemmModule } from './gemm-module';
import type { GemmExports, SimdKernels, WasmBackendLike } from './state';

/** 5×8 tile: 10 accumulators + 3 operands fit V8's 16 xmm registers (measured ≥ 4×8 on every shape). */
const MR = 5;

/** The SIMD kernels on `be`'s memory, or null when the runtime has no wasm SIMD. */
export function createSimdKernels(be: WasmBackendLike): SimdKernels | null {
  const inst = instantiate<GemmExports>(be.wasm.asm.memory, (fma, shared) => assembleGemmModule(fma, shared, MR));
  if (!inst) return null;
  const { exports: raw, fma } = inst;
  const off = (t: TensorInfo) => be.dataIdMap.get(t.dataId).memoryOffset;

  const transpose = (src: number, dst: number, batch: number, rows: number, cols: number) => raw.tr(src, dst, batch, rows, cols);
  const blockTranspose = (src: number, dst: number, batch: number, rows: number, cols: number, e: number) =>
    e === 4 ? raw.tr(src, dst, batch, rows, cols) : raw.trb(src, dst, batch, rows, cols, e);
  function columnSum(x: TensorInfo, m: number, n: number, outShape: number[]): TensorInfo {
    // ones[1, m] · X[m, n]: one streaming pass over X through the bmm tile.
    const ones = be.makeOutput([m], 'float32');
    be.wasm.HEAPF32.fill(1, off(ones) >>> 2, (off(ones) >>> 2) + m);
    const out = be.makeOutput(outShape, 'float32');
    raw.bmm(off(ones), off(x), off(out), 1, 1, m, n, m * 4, 4, 0, 0, 0);
    be.disposeData(ones.dataId);
    return out;
  }

  function batchMatMul(a: TensorInfo, b: TensorInfo, tA: boolean, tB: boolean): TensorInfo | null {
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return null;
    const ra = a.shape.length, rb = b.shape.length;
    const M = tA ? a.shape[ra - 1]! : a.shape[ra - 2]!, K = tA ? a.shape[ra - 2]! : a.shape[ra - 1]!;
    const N = tB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
    const outerA = a.shape.slice(0, -2), outerB = b.shape.slice(0, -2);
    const gA = outerA.reduce((p, q) => p * q, 1), gB = outerB.reduce((p, q) => p * q, 1);
    // Same batch dims, or one side unbatched (broadcast); anything fancier → stock kernel.
    const sameOuter = outerA.length === outerB.length && outerA.every((d, i) => d === outerB[i]);
    if (!(sameOuter || gA === 1 || gB === 1) || K === 0) return null;
    const G = Math.max(gA, gB);
    const outShape = [...(gA >= gB ? outerA : outerB), M, N];
    const out = be.makeOutput(outShape, 'float32');
    let bPtr = off(b), tmp: TensorInfo | null = null;
    if (tB) { // B stored [N, K]: transpose once to [K, N] so the tile loads contiguous rows
      tmp = be.makeOutput([gB, K, N], 'float32');
      raw.tr(off(b), off(tmp), gB, N, K);
      bPtr = off(tmp);
    }
    const [sAm, sAk] = tA ? [4, M * 4] : [K * 4, 4];
    // Long contractions (weight gradients: K = B·N rows) go in K-blocks accumulated into C, so
    // each block of A and B stays in L2 while every tile reuses it (5–6× faster for dW).
    const KC = K > 1024 ? 256 : K;
    for (let k0 = 0; k0 < K; k0 += KC) {
      raw.bmm(off(a) + k0 * sAk, bPtr + k0 * N * 4, off(out), G, M, Math.min(KC, K - k0), N, sAm, sAk, gA === 1 ? 0 : M * K * 4, gB === 1 ? 0 : K * N * 4, k0 > 0 ? 1 : 0);
    }
    if (tmp) be.disposeData(tmp.dataId);
    return out;
  }
  return { names: [`simd-bmm${fma ? '-fma' : ''}`, 'simd-transpose', 'simd-colsum'], fma, batchMatMul, transpose, blockTranspose, columnSum, raw };
}
