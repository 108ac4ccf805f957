// Two wasm-backend gaps our trainings hit, patched for the duration of one unit only:
//
//   const restore = withWasmFixes();   // after selectBackend(); a no-op on other backends
//   try { …train and evaluate… } finally { restore(); }
//
// 1. UnsortedSegmentSum (the gradient of Gather, which Swin's relative-position-bias lookup
//    needs) is not registered by tfjs-backend-wasm 4.22: a plain loop on the heap.
// 2. The engine's fast Transpose (scripts/lib/engine/wasm.ts, heapTranspose) permutes data when a
//    permutation only moves size-1 axes: simplifyPermutation drops the size-1 axes but groups the
//    rest by their original indices, so [2,49,1,16] with perm [0,2,1,3] becomes the identity
//    perm [0,1] on [98,16], which the 2-D SIMD path then transposes. Swin hits it in every
//    one-window stage and with one head per stage. Patched only if a probe shows the bug.
// 3. Some of the engine's conv kernels keep a view of the wasm heap across an allocation; if that
//    allocation grows the heap the view is detached and the kernel throws ("Cannot perform
//    %TypedArray%.prototype.fill on a detached ArrayBuffer", stridedBackpropInput). Growing the
//    heap once, up front, to more than a unit needs avoids growth during training. The heap
//    stays grown (wasm memory never shrinks); that is the only effect outlasting the unit.
// All were reported to ENGINE; restoring after the unit keeps other experiments that share a
// worker process exactly as the engine made them.
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

/** The permutation restricted to the axes of size > 1, renumbered 0…k−1. */
export function nonUnitPerm(shape: readonly number[], perm: readonly number[]): number[] {
  const kept = perm.filter((p) => shape[p] !== 1);
  const rank = [...kept].sort((a, b) => a - b);
  return kept.map((p) => rank.indexOf(p));
}

/** Does the registered wasm Transpose scramble a transpose that only moves a size-1 axis? */
function transposeIsBuggy(): boolean {
  const x = tf.tensor4d(Array.from({ length: 2 * 3 * 1 * 4 }, (_, i) => i), [2, 3, 1, 4]);
  const y = tf.transpose(x, [0, 2, 1, 3]);
  const same = Array.from(y.dataSync()).every((v, i) => v === i); // a pure reshape keeps the order
  tf.dispose([x, y]);
  return !same;
}

function swap(name: string, kernelFunc: KernelConfig['kernelFunc'] | null): void {
  if (tf.getKernel(name, 'wasm')) tf.unregisterKernel(name, 'wasm');
  if (kernelFunc) tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc });
}

/** Grows the wasm heap to at least `bytes` (allocate, then free: the memory stays). */
export function reserveHeap(bytes: number): void {
  const heap = (tf.backend() as unknown as { wasm?: { HEAPU8: Uint8Array } }).wasm?.HEAPU8;
  if (!heap || heap.length >= bytes) return;
  const t = tf.zeros([Math.ceil((bytes - heap.length) / 4)]);
  t.dispose();
}

/** Applies the fixes the wasm backend needs now; returns a function that undoes them. */
export function withWasmFixes(heapBytes = 768 * 2 ** 20): () => void {
  if (tf.getBackend() !== 'wasm') return () => {};
  reserveHeap(heapBytes);
  const undo: Array<() => void> = [];
  if (!tf.getKernel('UnsortedSegmentSum', 'wasm')) {
    swap('UnsortedSegmentSum', unsortedSegmentSum as unknown as KernelConfig['kernelFunc']);
    undo.push(() => swap('UnsortedSegmentSum', null));
  }
  if (transposeIsBuggy()) {
    const orig = tf.getKernel('Transpose', 'wasm')!.kernelFunc;
    const reshape = tf.getKernel('Reshape', 'wasm')!.kernelFunc;
    const fixed = ((args: { inputs: { x: TensorInfo }; attrs: { perm: number[] }; backend: unknown }) => {
      const { x } = args.inputs, { perm } = args.attrs;
      const p = nonUnitPerm(x.shape, perm);
      if (p.every((v, i) => v === i)) return reshape({ inputs: { x }, attrs: { shape: perm.map((a) => x.shape[a]!) }, backend: args.backend } as never);
      return orig(args as never);
    }) as unknown as KernelConfig['kernelFunc'];
    swap('Transpose', fixed);
    undo.push(() => swap('Transpose', orig));
  }
  return () => { for (const u of undo.reverse()) u(); };
}
