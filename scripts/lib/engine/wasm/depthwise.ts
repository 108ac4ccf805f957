import { backend_util, type TensorInfo } from '@tensorflow/tfjs';
import { be, type KernelArgs } from './state';

type Shape4 = [number, number, number, number];

/** The depthwise geometry of a backprop kernel's attrs. */
function depthwiseInfo(attrs: KernelArgs['attrs'], xShape: Shape4, filterShape: Shape4): backend_util.Conv2DInfo {
  const { strides, dilations, pad, dimRoundingMode } = attrs as unknown as {
    strides: number | [number, number]; dilations: number | [number, number]; pad: 'same' | 'valid' | number | backend_util.ExplicitPadding; dimRoundingMode?: 'floor' | 'round' | 'ceil';
  };
  return backend_util.computeConv2DInfo(xShape, filterShape, strides, dilations, pad, dimRoundingMode, true);
}

// Depthwise backprops are not registered on wasm; they are cheap (no channel mixing), so a
// tight loop on the heap is enough. Channel multiplier m: filter [kh, kw, C, m].
function depthwiseBackpropFilter({ inputs, attrs }: KernelArgs): TensorInfo {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { filterShape } = attrs as unknown as { filterShape: Shape4 };
  const ci = depthwiseInfo(attrs, x.shape as Shape4, filterShape);
  const out = be.makeOutput(filterShape, 'float32');
  const h = be.wasm.HEAPF32;
  const xo = be.dataIdMap.get(x.dataId).memoryOffset >>> 2, dyo = be.dataIdMap.get(dy.dataId).memoryOffset >>> 2, wo = be.dataIdMap.get(out.dataId).memoryOffset >>> 2;
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, outChannels: CO, filterHeight: KH, filterWidth: KW,
    strideHeight: SH, strideWidth: SW, dilationHeight: DH, dilationWidth: DW } = ci;
  const m = CO / C, pt = ci.padInfo.top, pl = ci.padInfo.left;
  h.fill(0, wo, wo + KH * KW * CO);
  for (let i = 0; i < KH; i++) for (let j = 0; j < KW; j++) {
    const wBase = wo + (i * KW + j) * CO;
    for (let n = 0; n < N; n++) for (let y = 0; y < OH; y++) {
      const iy = y * SH + i * DH - pt;
      if (iy < 0 || iy >= H) continue;
      for (let xx = 0; xx < OW; xx++) {
        const ix = xx * SW + j * DW - pl;
        if (ix < 0 || ix >= W) continue;
        const xBase = xo + ((n * H + iy) * W + ix) * C, dBase = dyo + ((n * OH + y) * OW + xx) * CO;
        for (let c = 0; c < C; c++) { const xv = h[xBase + c]!; for (let q = 0; q < m; q++) h[wBase + c * m + q]! += xv * h[dBase + c * m + q]!; }
      }
    }
  }
  return out;
}

function depthwiseBackpropInput({ inputs, attrs }: KernelArgs): TensorInfo {
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const { inputShape } = attrs as unknown as { inputShape: Shape4 };
  const ci = depthwiseInfo(attrs, inputShape, filter.shape as Shape4);
  const out = be.makeOutput(inputShape, 'float32');
  const h = be.wasm.HEAPF32;
  const dxo = be.dataIdMap.get(out.dataId).memoryOffset >>> 2, dyo = be.dataIdMap.get(dy.dataId).memoryOffset >>> 2, wo = be.dataIdMap.get(filter.dataId).memoryOffset >>> 2;
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, outChannels: CO, filterHeight: KH, filterWidth: KW,
    strideHeight: SH, strideWidth: SW, dilationHeight: DH, dilationWidth: DW } = ci;
  const m = CO / C, pt = ci.padInfo.top, pl = ci.padInfo.left;
  h.fill(0, dxo, dxo + N * H * W * C);
  for (let n = 0; n < N; n++) for (let y = 0; y < OH; y++) for (let i = 0; i < KH; i++) {
    const iy = y * SH + i * DH - pt;
    if (iy < 0 || iy >= H) continue;
    for (let xx = 0; xx < OW; xx++) for (let j = 0; j < KW; j++) {
      const ix = xx * SW + j * DW - pl;
      if (ix < 0 || ix >= W) continue;
      const xBase = dxo + ((n * H + iy) * W + ix) * C, dBase = dyo + ((n * OH + y) * OW + xx) * CO, wBase = wo + (i * KW + j) * CO;
      for (let c = 0; c < C; c++) { let acc = 0; for (let q = 0; q < m; q++) acc += h[dBase + c * m + q]! * h[wBase + c * m + q]!; h[xBase + c]! += acc; }
    }
  }
  return out;
}

export const DEPTHWISE_KERNELS = { DepthwiseConv2dNativeBackpropFilter: depthwiseBackpropFilter, DepthwiseConv2dNativeBackpropInput: depthwiseBackpropInput };
