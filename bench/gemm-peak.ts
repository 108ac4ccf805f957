// The wasm SIMD128 ceiling on this CPU and the engine's GEMM against it (see bench/gemm.ts):
//   npm exec -- tsx bench/gemm-peak.ts
import os from 'node:os';
import { measureGemmPeak } from './gemm';

const r = await measureGemmPeak();
console.log(`${r.cpu}, ${r.vectorIsa}, wasm relaxed FMA ${r.fma}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`SIMD128 ceiling (f32x4 FMA on registers): ${r.simd128PeakGflops} GFLOP/s per core`);
for (const s of r.shapes) console.log(`  GEMM ${s.m}×${s.k}·${s.k}×${s.n}: ${s.gflops} GFLOP/s`);
console.log(`best GEMM ${r.bestGflops} GFLOP/s = ${(100 * r.fractionOfSimd128Peak).toFixed(0)}% of the SIMD128 ceiling; native ${r.vectorIsa} code has ${r.nativeOverSimd128.join('–')}× that ceiling`);
