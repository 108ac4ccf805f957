// Kernels the wasm backend lacks but our trainings need, registered only where missing.
//
//   ensureWasmKernels();   // after selectBackend(); a no-op on other backends or once the engine has them
//
// UnsortedSegmentSum is the gradient of Gather (tfjs-core's GatherV2 grad), which Swin's
// relative-position-bias lookup needs; tfjs-backend-wasm 4.22 does not register it. A plain
// loop on the heap is enough: the table is (2M−1)² × heads floats. Reported to ENGINE.
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';

interface WasmLike {
  readSync(dataId: object): ArrayLike<number>;
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array;
}

function unsortedSegmentSum({ inputs, attrs, backend }: { inputs: Record<string, TensorInfo>; attrs: NamedAttrMap; backend: unknown }): TensorInfo {
  const be = backend as WasmLike;
  const x = inputs.x!, ids = inputs.segmentIds!;
  const numSegments = (attrs as { numSegments: number }).numSegments;
  const outer = ids.shape.reduce((a, b) => a * b, 1);
  const rest = x.shape.slice(ids.shape.length);
  const inner = rest.reduce((a, b) => a * b, 1);
  const xv = be.readSync(x.dataId), iv = be.readSync(ids.dataId);
  const out = be.makeOutput([numSegments, ...rest], x.dtype);
  const ov = be.typedArrayFromHeap(out);
  ov.fill(0);
  for (let i = 0; i < outer; i++) {
    const s = iv[i]!;
    if (s < 0 || s >= numSegments) continue; // tfjs semantics: out-of-range ids are dropped
    for (let k = 0; k < inner; k++) ov[s * inner + k]! += xv[i * inner + k]!;
  }
  return out;
}

/** Registers the missing wasm kernels (idempotent). Returns the names it added. */
export function ensureWasmKernels(): string[] {
  if (tf.getBackend() !== 'wasm') return [];
  const added: string[] = [];
  if (!tf.getKernel('UnsortedSegmentSum', 'wasm')) {
    tf.registerKernel({ kernelName: 'UnsortedSegmentSum', backendName: 'wasm', kernelFunc: unsortedSegmentSum as unknown as KernelConfig['kernelFunc'] });
    added.push('UnsortedSegmentSum');
  }
  return added;
}
