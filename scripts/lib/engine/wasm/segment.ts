import type { TensorInfo } from '@tensorflow/tfjs';
import { be, type KernelArgs } from './state';

/**
 * UnsortedSegmentSum: the gradient of Gather (e.g. Swin's relative-position-bias lookup) has no
 * wasm kernel in tfjs-backend-wasm 4.22. A plain loop over the heap; out-of-range ids are dropped
 * as tfjs specifies.
 */
function unsortedSegmentSum({ inputs, attrs }: KernelArgs): TensorInfo {
  const x = inputs.x!, ids = inputs.segmentIds!;
  const numSegments = (attrs as unknown as { numSegments: number }).numSegments;
  const outer = ids.shape.reduce((a, b) => a * b, 1);
  const rest = x.shape.slice(ids.shape.length);
  const inner = rest.reduce((a, b) => a * b, 1);
  const out = be.makeOutput([numSegments, ...rest], x.dtype);
  const heap = be.wasm.HEAPF32;
  const heapI32 = new Int32Array(heap.buffer);
  const xo = be.dataIdMap.get(x.dataId).memoryOffset >>> 2;
  const io = be.dataIdMap.get(ids.dataId).memoryOffset >>> 2;
  const oo = be.dataIdMap.get(out.dataId).memoryOffset >>> 2;
  heap.fill(0, oo, oo + numSegments * inner);
  for (let i = 0; i < outer; i++) {
    const seg = heapI32[io + i]!;
    if (seg < 0 || seg >= numSegments) continue;
    for (let k = 0; k < inner; k++) heap[oo + seg * inner + k]! += heap[xo + i * inner + k]!;
  }
  return out;
}

export const SEGMENT_KERNELS = { UnsortedSegmentSum: unsortedSegmentSum };
