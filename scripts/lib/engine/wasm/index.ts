// The wasm backend, made able to train: initialisation plus fast training kernels.
//
// tfjs-backend-wasm 4.22 runs forward Conv2D and plain 2-D MatMul on XNNPACK (~20 GFLOP/s per
// thread) but its training kernels are missing or scalar loops:
//   - Conv2DBackpropFilter and the depthwise backprops are not registered at all;
//   - Conv2DBackpropInput is a scalar loop;
//   - BatchMatMul with transposeA/B or a batch > 1 is a scalar loop (~1–2 GFLOP/s);
//   - Sum over a leading axis (every bias gradient) transposes first, slowly;
//   - 5-D Transpose, Slice and Tile are slow generic loops; UnsortedSegmentSum is missing;
//   - Add, Sub and Multiply broadcast slowly across rows ([B,H,W,C]·[C]).
// Each is re-registered here, one file per kernel family, as a composition of the fast kernels
// (re-expressing the maths so XNNPACK or the project's SIMD GEMM does the FLOPs), or as a tight
// loop on the wasm heap. Kernels call *stock* kernel functions directly (backend level, no engine,
// no tape), as tfjs's own kernels do, and free their temporaries with `disposeData`.
//
//   const info = await initWasm();   // { name: 'wasm', device: 'tfjs-wasm-simd · 1 thread · …', kernels }
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { cpuModel, type BackendInfo } from '../device';
import { CONV_KERNELS } from './conv';
import { COPY_KERNELS } from './copy';
import { DEPTHWISE_KERNELS } from './depthwise';
import { ELEMENTWISE_KERNELS } from './elementwise';
import { FUSED_ACT_KERNELS } from './fused-act';
import { FUSED_NORM_KERNELS } from './fused-norm';
import { registerFusedGradients, registerReductionGradients } from './gradients';
import { MATMUL_KERNELS } from './matmul';
import { SEGMENT_KERNELS } from './segment';
import { createSimdKernels } from './simd';
import { setBackend, setSimd, stock, type KernelArgs, type KernelFn, type WasmBackendLike } from './state';
import { TRANSPOSE_KERNELS } from './transpose';

export { fusedAdamW } from './adamw';
export { jsTranspose, simplifyPermutation } from './transpose';
export type { WasmBackendLike } from './state';

const OVERRIDES: Record<string, KernelFn> = {
  ...CONV_KERNELS, ...MATMUL_KERNELS, ...ELEMENTWISE_KERNELS, ...TRANSPOSE_KERNELS, ...COPY_KERNELS, ...DEPTHWISE_KERNELS, ...SEGMENT_KERNELS,
};
/** Kernels tfjs does not have: fused ops that scripts/lib/engine/ops.ts calls (gradients in gradients.ts). */
const FUSED: Record<string, (a: KernelArgs) => TensorInfo | TensorInfo[]> = { ...FUSED_ACT_KERNELS, ...FUSED_NORM_KERNELS };
/** Stock kernels our kernels call besides the ones they override. */
const ALSO_CALLED = ['Reshape', 'PadV2', 'Reverse'];

let registered: string[] | null = null;

/** Registers the fast kernels on the (initialised) wasm backend. Idempotent. */
export function registerFastWasmKernels(backend: WasmBackendLike): string[] {
  if (registered) return registered;
  setBackend(backend);
  for (const name of [...Object.keys(OVERRIDES), ...ALSO_CALLED]) {
    const k = tf.getKernel(name, 'wasm');
    if (k && !stock.has(name)) stock.set(name, k.kernelFunc);
  }
  const simd = createSimdKernels(backend);
  setSimd(simd);
  const names: string[] = [];
  for (const [name, fn] of Object.entries({ ...OVERRIDES, ...FUSED })) {
    if (tf.getKernel(name, 'wasm')) tf.unregisterKernel(name, 'wasm');
    const kernelFunc = (a: KernelArgs & { backend: unknown }) => { setBackend(a.backend as WasmBackendLike); return fn(a); };
    tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelConfig['kernelFunc'] });
    names.push(name);
  }
  if (simd) names.push(...simd.names);
  registerReductionGradients();
  registerFusedGradients();
  names.push('grad:Sum', 'grad:Mean');
  registered = names;
  return names;
}

/** Initialises tfjs-backend-wasm with our kernels. */
export async function initWasm(): Promise<Omit<BackendInfo, 'reason'>> {
  const ok = await tf.setBackend('wasm');
  if (!ok) throw new Error('wasm backend failed to initialise');
  await tf.ready();
  const backend = tf.backend() as unknown as WasmBackendLike;
  const kernels = registerFastWasmKernels(backend);
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = (await import('@tensorflow/tfjs-backend-wasm')).getThreadsCount?.() ?? 1;
  return { name: 'wasm', device: `tfjs-wasm${simd ? '-simd' : ''} · ${threads} thread${threads > 1 ? 's' : ''} · ${cpuModel()}`, kernels, threads };
}
