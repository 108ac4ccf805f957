// Conv2D and its two gradients on the wasm backend.
//
// tfjs-backend-wasm 4.22 runs forward Conv2D on XNNPACK, does not register Conv2DBackpropFilter
// at all, and runs Conv2DBackpropInput as a scalar loop. Each gradient is re-expressed so that
// the FLOPs run on a fast kernel: the project's SIMD GEMM on padded or phase grids (stride 1
// 'same', strided, strided 1×1), else a convolution XNNPACK runs.
import { backend_util, type TensorInfo } from '@tensorflow/tfjs';
import { be, call, callStock, free, ptr, reshape, simd, transpose, type KernelArgs } from './state';
import { CHUNK, implicitConvForward, padOrCrop, padRows, pointwiseStrided, sameConv, strideCopy, type SameConv } from './conv-grid';
import { stridedBackpropFilter, stridedBackpropInput } from './conv-strided';

/**
 * Where the implicit GEMM (conv-grid.ts) beats XNNPACK for a same-conv, measured on the ResNet
 * stages at batch 128 (bench/conv-ab.ts, best of 12 interleaved rounds on a loaded 2-core EPYC):
 * forward ×1.15 at 28×28×16 and ×2.4 at 14×14×32 but ×0.82 at 7×7×64 (7-pixel rows fill the 5-row
 * tile badly); dX ×1.7, ×1.25 and ×1.06. Narrow inputs (the 1-channel stem) give K = 3·Ci too
 * short for the tile.
 */
const implicitPays = (c: SameConv, inChannels: number) => c.W >= 14 && inChannels >= 8;

function conv2D(args: KernelArgs): TensorInfo {
  const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
  const { strides, pad, dilations, dimRoundingMode, dataFormat } = args.attrs as unknown as { strides: number | [number, number]; pad: 'same' | 'valid' | number | backend_util.ExplicitPadding; dilations: number | [number, number]; dimRoundingMode?: 'floor' | 'round' | 'ceil'; dataFormat: 'NHWC' | 'NCHW' };
  const info = backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filter.shape as [number, number, number, number], strides, dilations, pad, dimRoundingMode, false, backend_util.convertConv2DDataFormat(dataFormat));
  // Strided 1×1 (ResNet's downsample shortcut): XNNPACK is ~0.5 GFLOP/s on this shape.
  if (x.dtype === 'float32' && pointwiseStrided(info)) {
    const { batchSize: B, outHeight: oh, outWidth: ow, inChannels: Ci, outChannels: Co } = info;
    const xs = be.makeOutput([B * oh * ow, Ci], 'float32');
    strideCopy(x, xs, info, Ci, 'gather');
    const w2 = reshape(filter, [Ci, Co]);
    const y = simd!.batchMatMul(xs, w2, false, false)!;
    const out = reshape(y, [B, oh, ow, Co]);
    free(xs, w2, y);
    return out;
  }
  const c = x.dtype === 'float32' ? sameConv(info) : null;
  if (c && implicitPays(c, c.Ci)) return implicitConvForward(x, filter, c, c.Ci, c.Co);
  return callStock('Conv2D', args);
}

type Shape4 = [number, number, number, number];

/** The conv geometry of a backprop kernel's attrs (NHWC only; dilation 1, as tfjs's conv2d gradients pass). */
function backpropInfo(op: string, attrs: KernelArgs['attrs'], xShape: Shape4, filterShape: Shape4): backend_util.Conv2DInfo {
  const { strides, pad, dimRoundingMode, dataFormat } = attrs as unknown as {
    strides: [number, number] | number; pad: 'same' | 'valid' | number | backend_util.ExplicitPadding; dimRoundingMode?: 'floor' | 'round' | 'ceil'; dataFormat: 'NHWC' | 'NCHW';
  };
  if (dataFormat === 'NCHW') throw new Error(`${op} (atlas wasm): NCHW unsupported`);
  return backend_util.computeConv2DInfo(xShape, filterShape, strides, 1, pad, dimRoundingMode);
}

// ---------------------------------------------------------------------------------------
// Conv2DBackpropFilter: dW[i,j,ci,co] = Σ_{n,y,x} X[n, y·s+i−pt, x·s+j−pl, ci] · dY[n,y,x,co]
// is itself a convolution: input Xᵀ [ci, H, W, n] (batch↔channels), filter dYᵀ [oh, ow, n, co],
// stride 1, dilation = the forward stride. XNNPACK then does the FLOPs.
function conv2DBackpropFilter({ inputs, attrs }: KernelArgs): TensorInfo {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const info = backpropInfo('Conv2DBackpropFilter', attrs, x.shape as Shape4, (attrs as unknown as { filterShape: Shape4 }).filterShape);
  if (x.dtype === 'float32' && pointwiseStrided(info)) {
    const { batchSize: B, outHeight: oh, outWidth: ow, inChannels: Ci, outChannels: Co } = info;
    const xs = be.makeOutput([B * oh * ow, Ci], 'float32');
    strideCopy(x, xs, info, Ci, 'gather');
    const dy2 = reshape(dy, [B * oh * ow, Co]);
    const w = simd!.batchMatMul(xs, dy2, true, false)!; // [Ci, Co]
    const out = reshape(w, [1, 1, Ci, Co]);
    free(xs, dy2, w);
    return out;
  }
  if (simd && x.dtype === 'float32' && (info.strideHeight > 1 || info.strideWidth > 1) && info.dataFormat === 'channelsLast') return stridedBackpropFilter(x, dy, info);
  const c = x.dtype === 'float32' ? sameConv(info) : null;
  if (c) {
    // dW[i] ([k·Ci, Co]) = Σ_q A_i[q]ᵀ · dYp[q], A_i read from the padded X with row stride Ci.
    const xP = padRows(x, c, c.Ci, 'center', c.slack), dyP = padRows(dy, c, c.Co, 'topLeft', 0);
    const out = be.makeOutput([c.k, c.k, c.Ci, c.Co], 'float32');
    const xo = ptr(xP), dyo = ptr(dyP), wo = ptr(out), raw = simd!.raw;
    for (let q0 = 0; q0 < c.P; q0 += CHUNK) {
      const m = Math.min(CHUNK, c.P - q0);
      for (let i = 0; i < c.k; i++) raw.bmm(xo + (q0 + i * c.Wp) * c.Ci * 4, dyo + q0 * c.Co * 4, wo + i * c.k * c.Ci * c.Co * 4, 1, c.k * c.Ci, m, c.Co, 4, c.Ci * 4, 0, 0, q0 > 0 ? 1 : 0);
    }
    free(xP, dyP);
    return out;
  }
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, inHeight: H, inWidth: W, outHeight: oh, outWidth: ow } = info;
  const { top, left } = info.padInfo;
  const xT = transpose(x, [3, 1, 2, 0]); // [ci, H, W, n]
  // The "image" must be exactly (k−1) + (o−1)·s + 1 tall so the output is k×k.
  const xP = padOrCrop(xT, top, kh + (oh - 1) * sh - H - top, left, kw + (ow - 1) * sw - W - left);
  const dyT = transpose(dy, [1, 2, 0, 3]); // [oh, ow, n, co]
  const r = call('Conv2D', { x: xP, filter: dyT }, { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [sh, sw], dimRoundingMode: undefined as unknown as string }); // [ci, kh, kw, co]
  const out = transpose(r, [1, 2, 0, 3]); // [kh, kw, ci, co]
  free(xT, xP, dyT, r);
  return out;
}

// Conv2DBackpropInput: dX = dY (zero-dilated by the stride) correlated with the filter rotated
// 180° and in/out channels swapped; padding chosen so the output is exactly H×W.
function conv2DBackpropInput({ inputs, attrs }: KernelArgs): TensorInfo {
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const { inputShape } = attrs as unknown as { inputShape: Shape4 };
  const info = backpropInfo('Conv2DBackpropInput', attrs, inputShape, filter.shape as Shape4);
  if (dy.dtype === 'float32' && pointwiseStrided(info)) {
    const { batchSize: B, outHeight: oh, outWidth: ow, inChannels: Ci, outChannels: Co } = info;
    const dy2 = reshape(dy, [B * oh * ow, Co]), w2 = reshape(filter, [Ci, Co]);
    const dxs = simd!.batchMatMul(dy2, w2, false, true)!; // [P, Ci]
    const out = be.makeOutput([...inputShape], 'float32');
    be.wasm.HEAPF32.fill(0, ptr(out) >>> 2, (ptr(out) >>> 2) + inputShape.reduce((p, q) => p * q, 1));
    strideCopy(out, dxs, info, Ci, 'scatter');
    free(dy2, w2, dxs);
    return out;
  }
  const c = dy.dtype === 'float32' ? sameConv(info) : null;
  if (c && implicitPays(c, c.Co)) {
    // dX = same-conv of dY with the filter rotated 180° and in/out channels swapped.
    const wRev = call('Reverse', { x: filter }, { dims: [0, 1] });
    const wT = transpose(wRev, [0, 1, 3, 2]); // [k, k, Co, Ci]
    const out = implicitConvForward(dy, wT, c, c.Co, c.Ci);
    free(wRev, wT);
    return out;
  }
  if (simd && dy.dtype === 'float32' && (info.strideHeight > 1 || info.strideWidth > 1) && info.dataFormat === 'channelsLast') return stridedBackpropInput(dy, filter, info);
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, inHeight: H, inWidth: W, outHeight: oh, outWidth: ow, batchSize: n, outChannels: co } = info;
  const { top, left } = info.padInfo;
  let d = dy;
  const owned: TensorInfo[] = [];
  if (sh > 1 || sw > 1) {
    // Insert s−1 zeros after every row/column: [n, oh, 1, ow, 1, c] → pad → [n, oh·sh, ow·sw, c].
    const r6 = reshape(dy, [n, oh, 1, ow, 1, co]);
    const p6 = call('PadV2', { x: r6 }, { paddings: [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]], constantValue: 0 });
    d = reshape(p6, [n, oh * sh, ow * sw, co]);
    owned.push(r6, p6, d);
  }
  const Lh = d.shape[1]!, Lw = d.shape[2]!;
  const dP = padOrCrop(d, kh - 1 - top, H + top - Lh, kw - 1 - left, W + left - Lw);
  const wRev = call('Reverse', { x: filter }, { dims: [0, 1] });
  const wT = transpose(wRev, [0, 1, 3, 2]); // [kh, kw, co, ci]
  const out = call('Conv2D', { x: dP, filter: wT }, { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined as unknown as string });
  free(...owned, dP, wRev, wT);
  return out;
}

export const CONV_KERNELS = { Conv2D: conv2D, Conv2DBackpropFilter: conv2DBackpropFilter, Conv2DBackpropInput: conv2DBackpropInput };
