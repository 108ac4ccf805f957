// What every wasm kernel shares: the backend (its heap and tensor map), the stock kernels we
// override (captured before overriding), and the hand-assembled SIMD kernels when available.
//
// Heap pointers are byte offsets up to 4 GiB: index HEAPF32 with `offset >>> 2` (a signed shift
// turns offsets ≥ 2 GiB negative). Read `be.wasm.HEAPF32` after the last `makeOutput` of a
// kernel: an allocation can grow wasm memory and detach an older view.
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';

// Minimal view of BackendWasm internals we rely on (stable across 4.x).
export interface WasmBackendLike extends tf.KernelBackend {
  wasm: {
    HEAPF32: Float32Array;
    HEAPU8: Uint8Array;
    asm: { memory: WebAssembly.Memory };
    tfjs: { registerTensor(id: number, size: number, off: number): void; disposeData(id: number): void };
    cwrap(name: string, ret: null, args: string[]): (...a: unknown[]) => void;
  };
  dataIdMap: { get(d: object): { id: number; memoryOffset: number; shape: number[]; dtype: string } };
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number): TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
  incRef(dataId: object): void;
}

/** The exports of gemm-module.ts (byte offsets and sizes in, results on the heap). */
export interface GemmExports {
  bmm: (...a: number[]) => void;
  tr: (...a: number[]) => void;
  trb: (...a: number[]) => void;
  sumsq: (p: number, n: number) => number;
  adamw: (...a: number[]) => void;
}

export interface SimdKernels {
  names: string[];
  fma: boolean;
  batchMatMul(a: TensorInfo, b: TensorInfo, tA: boolean, tB: boolean): TensorInfo | null;
  transpose(src: number, dst: number, batch: number, rows: number, cols: number): void;
  /** [G, R, C] → [G, C, R] with elements of `elemBytes` bytes (a multiple of 4). */
  blockTranspose(src: number, dst: number, batch: number, rows: number, cols: number, elemBytes: number): void;
  /** out[n] = Σ_m x[m, n] over a row-major [M, N] block (bias gradients). */
  columnSum(x: TensorInfo, m: number, n: number, outShape: number[]): TensorInfo;
  raw: GemmExports;
}

export interface KernelArgs { inputs: Record<string, TensorInfo>; attrs: NamedAttrMap }
export type KernelFn = (a: KernelArgs) => TensorInfo;

/** Stock wasm kernel functions, captured before we override any of them. */
export const stock = new Map<string, KernelConfig['kernelFunc']>();
export let be: WasmBackendLike;
/** The SIMD kernels, or null on a runtime without wasm SIMD (every caller has a stock fallback). */
export let simd: SimdKernels | null = null;

export function setBackend(backend: WasmBackendLike): void { be = backend; }
export function setSimd(kernels: SimdKernels | null): void { simd = kernels; }

/** Calls a stock kernel (or, if we did not override it, the registered one) at backend level. */
export function call(name: string, inputs: Record<string, TensorInfo>, attrs: NamedAttrMap = {}): TensorInfo {
  const f = stock.get(name) ?? tf.getKernel(name, 'wasm')?.kernelFunc;
  if (!f) throw new Error(`wasm kernel ${name} missing`);
  return f({ inputs, attrs, backend: be }) as TensorInfo;
}
/** The stock kernel for `name` with the original arguments. */
export const callStock = (name: string, args: KernelArgs): TensorInfo => stock.get(name)!({ ...args, backend: be }) as TensorInfo;
export const free = (...ts: TensorInfo[]) => ts.forEach((t) => be.disposeData(t.dataId));
export const reshape = (x: TensorInfo, shape: number[]) => call('Reshape', { x }, { shape });
export const transpose = (x: TensorInfo, perm: number[]) => call('Transpose', { x }, { perm });
/** Byte offset of a tensor's data on the wasm heap. */
export const ptr = (t: TensorInfo) => be.dataIdMap.get(t.dataId).memoryOffset;
export const sizeOf = (shape: readonly number[]) => shape.reduce((p, q) => p * q, 1);
