// Kernels that only move data: Slice, SplitV, Tile, and the zero-copy Identity and same-dtype Cast.
import * as tf from '@tensorflow/tfjs';
import { backend_util, type TensorInfo } from '@tensorflow/tfjs';
import { be, callStock, type KernelArgs, type KernelFn } from './state';

// Slice: stock wasm copies element by element through a generic N-D loop (~20 ms for the
// q/k/v split of [128,50,192]). Here: copy contiguous runs with copyWithin (memmove).
function slice({ inputs, attrs }: KernelArgs): TensorInfo {
  const { x } = inputs as { x: TensorInfo };
  const { begin, size } = attrs as unknown as { begin: number[]; size: number[] };
  const r = x.shape.length;
  const b = Array.from({ length: r }, (_, i) => begin[i] ?? 0);
  const sz = Array.from({ length: r }, (_, i) => (size[i] === undefined || size[i] === -1 ? x.shape[i]! - b[i]! : size[i]!));
  // Innermost axis that is cut: everything after it is a contiguous run.
  let cut = r - 1;
  while (cut > 0 && b[cut] === 0 && sz[cut] === x.shape[cut]) cut--;
  const inner = x.shape.slice(cut + 1).reduce((p, q) => p * q, 1);
  const run = sz[cut]! * inner;
  if (x.dtype !== 'float32' || run < 16) return callStock('Slice', { inputs, attrs });
  const out = be.makeOutput(sz, 'float32');
  const h = be.wasm.HEAPF32;
  const src = be.dataIdMap.get(x.dataId).memoryOffset >>> 2, dst = be.dataIdMap.get(out.dataId).memoryOffset >>> 2;
  const strides = new Array<number>(r);
  let acc = 1;
  for (let i = r - 1; i >= 0; i--) { strides[i] = acc; acc *= x.shape[i]!; }
  const outer = sz.slice(0, cut);
  const nRuns = outer.reduce((p, q) => p * q, 1);
  const idx = new Array<number>(cut).fill(0);
  let o = dst;
  for (let k = 0; k < nRuns; k++) {
    let s0 = src + b[cut]! * strides[cut]!;
    for (let i = 0; i < cut; i++) s0 += (b[i]! + idx[i]!) * strides[i]!;
    h.copyWithin(o, s0, s0 + run);
    o += run;
    for (let i = cut - 1; i >= 0; i--) { if (++idx[i]! < outer[i]!) break; idx[i] = 0; }
  }
  return out;
}

// Identity: tensors are immutable, so share the buffer (as the cpu backend and wasm's Reshape
// do) instead of copying it; hundreds of clones per ViT step come from casts and gradients.
function identity({ inputs }: KernelArgs): TensorInfo {
  const { x } = inputs as { x: TensorInfo };
  (be as unknown as { incRef(d: object): void }).incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

// Cast to the same dtype (tfjs casts float32 → float32 all over its gradients): share.
function cast(args: KernelArgs): TensorInfo {
  const { x } = args.inputs as { x: TensorInfo };
  if ((args.attrs as { dtype?: string }).dtype === x.dtype) return identity(args);
  return callStock('Cast', args);
}

// SplitV: the stock kernel calls the stock (slow) slice; route each piece through ours.
function splitV({ inputs, attrs }: KernelArgs): TensorInfo[] {
  const { x } = inputs as { x: TensorInfo };
  const { numOrSizeSplits, axis } = attrs as unknown as { numOrSizeSplits: number | number[]; axis: number };
  const ax = axis < 0 ? axis + x.shape.length : axis;
  const sizes = backend_util.prepareSplitSize(x as unknown as tf.Tensor, numOrSizeSplits, ax);
  const begin = new Array<number>(x.shape.length).fill(0);
  return sizes.map((sz) => {
    const size = [...x.shape]; size[ax] = sz;
    const piece = slice({ inputs: { x }, attrs: { begin: [...begin], size } });
    begin[ax]! += sz;
    return piece;
  });
}

// Tile (and so broadcastTo, used by BatchNorm's and reductions' gradients) is a generic
// per-element loop in stock wasm (~0.7 s per ResNet step). Here: write each input row once
// (fill when it is a single value), then replicate whole blocks with copyWithin.
function tile({ inputs, attrs }: KernelArgs): TensorInfo {
  const { x } = inputs as { x: TensorInfo };
  const { reps } = attrs as unknown as { reps: number[] };
  if (x.dtype !== 'float32' || x.shape.length === 0) return callStock('Tile', { inputs, attrs });
  const r = x.shape.length;
  const outShape = x.shape.map((d, i) => d * reps[i]!);
  const out = be.makeOutput(outShape, 'float32');
  const h = be.wasm.HEAPF32;
  const inStride = new Array<number>(r), outStride = new Array<number>(r);
  let a = 1, b = 1;
  for (let i = r - 1; i >= 0; i--) { inStride[i] = a; outStride[i] = b; a *= x.shape[i]!; b *= outShape[i]!; }
  const rec = (ax: number, src: number, dst: number): void => {
    const n = x.shape[ax]!, block = n * outStride[ax]!;
    if (ax === r - 1) {
      if (n === 1) h.fill(h[src]!, dst, dst + reps[ax]!);
      else { h.copyWithin(dst, src, src + n); for (let k = 1, len = n; k < reps[ax]!; k *= 2, len *= 2) h.copyWithin(dst + len, dst, dst + Math.min(len, n * reps[ax]! - len)); }
      return;
    }
    for (let i = 0; i < n; i++) rec(ax + 1, src + i * inStride[ax]!, dst + i * outStride[ax]!);
    const total = block * reps[ax]!;
    for (let len = block; len < total; len *= 2) h.copyWithin(dst + len, dst, dst + Math.min(len, total - len));
  };
  rec(0, be.dataIdMap.get(x.dataId).memoryOffset >>> 2, be.dataIdMap.get(out.dataId).memoryOffset >>> 2);
  return out;
}

export const COPY_KERNELS = { Slice: slice, Identity: identity, Cast: cast, SplitV: splitV as unknown as KernelFn, Tile: tile };
