// How close the engine's SIMD128 GEMM comes to what wasm can do on this CPU, and what native
// code could do (run it: npm exec -- tsx bench/gemm-peak.ts; the bench records it too)
// 1. The SIMD128 ceiling, measured: a wasm loop of 12 independent f32x4 multiply-adds on
//    registers (no memory), i.e. the core's FMA throughput for 128-bit vectors.
// 2. The engine's GEMM kernel (wasm/gemm-module.ts) on cache-resident blocks, as the training
//    kernels call it, as a fraction of that ceiling.
// Native code uses wider vectors on the same FMA pipes: AVX2 (256-bit) does 2× the FLOP per
// instruction, AVX-512 4× on CPUs with two 512-bit FMA units (Intel Xeon) and 2× on AMD Zen 4
// (512-bit split in two). PyTorch's BLAS uses them; wasm SIMD cannot.
import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { initWasm } from '../scripts/lib/engine/wasm';
import { F32, Fn, V128, instantiate, wasmModule } from '../scripts/lib/engine/wasm/asm';
import { ptr, simd } from '../scripts/lib/engine/wasm/state';

export interface GemmPeak {
  cpu: string; vectorIsa: 'avx512' | 'avx2' | 'sse'; fma: boolean;
  /** Measured f32x4 multiply-add throughput on registers: the most any wasm SIMD128 kernel can do. */
  simd128PeakGflops: number;
  shapes: Array<{ m: number; k: number; n: number; gflops: number }>;
  bestGflops: number;
  /** best GEMM / SIMD128 peak. */
  fractionOfSimd128Peak: number;
  /** Native vector width over SIMD128 on this ISA: [low, high] (see the header). */
  nativeOverSimd128: [number, number];
}

/** n iterations of 12 independent f32x4 FMAs (or mul+add without relaxed SIMD); returns a lane so nothing is dead. */
function fmaLoop(fma: boolean, shared: boolean): Uint8Array<ArrayBuffer> {
  const f = new Fn(1, fma);
  const acc = Array.from({ length: 12 }, () => f.local(V128));
  const a = f.local(V128), b = f.local(V128);
  f.simd(0x0c, ...new Array(16).fill(0)); f.set(a);
  f.simd(0x0c, ...new Array(16).fill(0)); f.set(b);
  f.doWhile(() => {
    for (const x of acc) f.fmaOrMulAdd(() => f.get(a), () => f.get(b), x);
    f.get(0); f.i32(1); f.op(0x6b); f.set(0);
  }, () => f.get(0));
  for (let i = 1; i < acc.length; i++) { f.get(acc[0]!); f.get(acc[i]!); f.simd(0xe4); f.set(acc[0]!); }
  f.get(acc[0]!); f.simd(0x1f, 0);

  return wasmModule([{ name: 'run', nParams: 1, fn: f, results: [F32] }], shared);
}

/**
 * The fastest of many short bursts (~5 ms each), rounds interleaved across kernels: on a shared
 * machine the best burst is the one least disturbed, so it estimates the unloaded rate.
 */
function bestRates(kernels: Array<{ run: () => void; flop: number }>, bursts: number): number[] {
  const best = kernels.map(() => 0);
  const calls = kernels.map((k) => { k.run(); const t = performance.now(); k.run(); return Math.max(1, Math.round(5 / Math.max(1e-3, performance.now() - t))); });
  for (let r = 0; r < bursts; r++) kernels.forEach((k, i) => {
    const t = performance.now();
    for (let c = 0; c < calls[i]!; c++) k.run();
    best[i] = Math.max(best[i]!, (k.flop * calls[i]!) / ((performance.now() - t) / 1000) / 1e9);
  });
  return best.map((g) => +g.toFixed(2));
}

export async function measureGemmPeak(bursts = 60): Promise<GemmPeak> {
  if (tf.getBackend() !== 'wasm') await initWasm();
  if (!simd) throw new Error('gemm-peak: this runtime has no wasm SIMD');
  const mem = new WebAssembly.Memory({ initial: 1 });
  const peak = instantiate<{ run(n: number): number }>(mem, fmaLoop)!;
  const shapes = [[60, 64, 64], [250, 256, 256], [1000, 64, 192]] as const;
  const tensors = shapes.map(([m, k, n]) => [tf.randomNormal([m, k]), tf.randomNormal([k, n]), tf.zeros([m, n])] as const);
  const rates = bestRates([
    { run: () => peak.exports.run(20_000), flop: 20_000 * 12 * 8 },
    ...shapes.map(([m, k, n], i) => {
      const [a, b, c] = tensors[i]!;
      return { run: () => simd!.raw.bmm(ptr(a), ptr(b), ptr(c), 1, m, k, n, k * 4, 4, 0, 0, 0), flop: 2 * m * k * n };
    }),
  ], bursts);
  tf.dispose(tensors.flat());
  const out = shapes.map(([m, k, n], i) => ({ m, k, n, gflops: rates[i + 1]! }));
  const flags = existsSync('/proc/cpuinfo') ? (/^flags\s*:(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? '') : '';
  const vectorIsa = / avx512f\b/.test(flags) ? 'avx512' : / avx2\b/.test(flags) ? 'avx2' : 'sse';
  const bestGflops = Math.max(...out.map((s) => s.gflops));
  return {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown', vectorIsa, fma: peak.fma, simd128PeakGflops: rates[0]!, shapes: out, bestGflops,
    fractionOfSimd128Peak: +(bestGflops / rates[0]!).toFixed(3),
    nativeOverSimd128: vectorIsa === 'avx512' ? [2, 4] : vectorIsa === 'avx2' ? [2, 2] : [1, 1],
  };
}
