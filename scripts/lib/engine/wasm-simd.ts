// Hand-assembled WebAssembly SIMD kernels that share tfjs-backend-wasm's heap.
//
// Why: tfjs-wasm's BatchMatMul with a batch > 1 (every attention matmul, [B·h, N, d]) and
// with transposes is a scalar loop (~1–2 GFLOP/s), and XNNPACK has no batched GEMM entry in
// it. No wasm toolchain is installed here, so this file emits a tiny module byte by byte:
//   bmm(a, b, c, G, M, K, N, sAm, sAk, sAg, sBg, acc)  C[g] (+)= A[g]·B[g] (acc=1 adds to C);  A read through strides
//       (so transposeA is free), B row-major [K, N], C contiguous. 4×8 register tile,
//       f32x4 FMA via relaxed-simd where V8 has it (Node ≥ 20), mul+add otherwise.
//   tr(src, dst, G, R, C)                        batched 2-D transpose [G,R,C] → [G,C,R]
//   trb(src, dst, G, R, C, E)                    the same for E-byte elements (memory.copy)
// The module imports the backend's own WebAssembly.Memory, so kernels read and write tensors
// in place (pointers are `dataIdMap.get(id).memoryOffset`); nothing is copied.
import type { TensorInfo } from '@tensorflow/tfjs';
import type { WasmBackendLike } from './wasm';

// ---- a minimal assembler ------------------------------------------------------------------
const I32 = 0x7f, F32 = 0x7d, V128 = 0x7b;
const uleb = (n: number): number[] => { const o: number[] = []; do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; o.push(b); } while (n); return o; };
const sleb = (n: number): number[] => {
  const o: number[] = [];
  for (;;) { const b = n & 0x7f; n >>= 7; if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) { o.push(b); return o; } o.push(b | 0x80); }
};
const str = (s: string) => [...uleb(s.length), ...Buffer.from(s, 'utf8')];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];

class Fn {
  readonly code: number[] = [];
  private readonly localTypes: number[] = [];
  constructor(readonly nParams: number, private readonly fma: boolean) {}
  local(t: number): number { this.localTypes.push(t); return this.nParams + this.localTypes.length - 1; }
  get = (l: number) => this.code.push(0x20, ...uleb(l));
  set = (l: number) => this.code.push(0x21, ...uleb(l));
  i32 = (v: number) => this.code.push(0x41, ...sleb(v));
  op = (...b: number[]) => this.code.push(...b);
  simd = (op: number, ...imm: number[]) => this.code.push(0xfd, ...uleb(op), ...imm);
  /** local = local + value-of(emit) */
  addTo(l: number, emit: () => void) { this.get(l); emit(); this.op(0x6a); this.set(l); }
  /** while (cond()) { body() } — cond leaves an i32 on the stack. */
  while(cond: () => void, body: () => void) {
    this.op(0x02, 0x40, 0x03, 0x40); // block loop
    cond(); this.op(0x45, 0x0d, 1); // i32.eqz; br_if 1 (exit)
    body(); this.op(0x0c, 0, 0x0b, 0x0b); // br 0; end loop; end block
  }
  /** do { body() } while (cond()) */
  doWhile(body: () => void, cond: () => void) { this.op(0x03, 0x40); body(); cond(); this.op(0x0d, 0, 0x0b); }
  vload(addr: () => void, off = 0) { addr(); this.simd(0x00, 4, ...uleb(off)); }
  vsplat32(addr: () => void) { addr(); this.simd(0x09, 2, 0); }
  vstore(addr: () => void, val: () => void, off = 0) { addr(); val(); this.simd(0x0b, 4, ...uleb(off)); }
  /** acc = acc + a*b on the stack order (a, b, acc) */
  fmaOrMulAdd(a: () => void, b: () => void, acc: number) {
    if (this.fma) { a(); b(); this.get(acc); this.simd(0x105); } else { a(); b(); this.simd(0xe6); this.get(acc); this.simd(0xe4); }
    this.set(acc);
  }
  body(): number[] {
    const groups: number[][] = this.localTypes.map((t) => [1, t]);
    const b = [...vec(groups), ...this.code, 0x0b];
    return [...uleb(b.length), ...b];
  }
}

function assemble(fma: boolean, shared: boolean, MR = 4): Uint8Array<ArrayBuffer> {
  const fns: { name: string; nParams: number; fn: Fn; params?: number[]; results?: number[] }[] = [];

  // ---- bmm ----
  {
    const f = new Fn(12, fma);
    const [a, b, c, G, M, K, N, sAm, sAk, sAg, sBg, accum] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
    const m = f.local(I32), n = f.local(I32), k = f.local(I32), pb = f.local(I32), pc = f.local(I32), rowB = f.local(I32), aRow = f.local(I32);
    const pa = Array.from({ length: MR }, () => f.local(I32));
    const acc = Array.from({ length: 2 * MR }, () => f.local(V128));
    const bv = [f.local(V128), f.local(V128)];
    const av = f.local(V128);
    const sacc = Array.from({ length: MR }, () => f.local(F32));
    f.get(N); f.i32(4); f.op(0x6c); f.set(rowB); // rowB = N*4 bytes

    // One register tile: MR rows × (NV vectors of 4 | 1 scalar column) at (m, n).
    const tile = (MR: number, NV: number) => {
      // pa[r] = aRow + r*sAm ; pb = b + n*4
      for (let r = 0; r < MR; r++) { f.get(aRow); if (r) { f.get(sAm); f.i32(r); f.op(0x6c, 0x6a); } f.set(pa[r]!); }
      f.get(b); f.get(n); f.i32(4); f.op(0x6c, 0x6a); f.set(pb);
      // C address of row r at column n: pc + (m + r)·rowB + n·4
      const cAddr = (r: number) => { f.get(pc); f.get(m); f.i32(r); f.op(0x6a); f.get(rowB); f.op(0x6c, 0x6a); f.get(n); f.i32(4); f.op(0x6c, 0x6a); };
      // Accumulators start at 0, or at C's current values when accumulating (C += A·B).
      f.get(accum); f.op(0x04, 0x40); // if
      if (NV > 0) for (let r = 0; r < MR; r++) for (let j = 0; j < NV; j++) { f.vload(() => cAddr(r), 16 * j); f.set(acc[r * NV + j]!); }
      else for (let r = 0; r < MR; r++) { cAddr(r); f.op(0x2a, 2, 0); f.set(sacc[r]!); }
      f.op(0x05); // else
      if (NV > 0) for (let i = 0; i < MR * NV; i++) { f.simd(0x0c, ...new Array(16).fill(0)); f.set(acc[i]!); }
      else for (let r = 0; r < MR; r++) { f.op(0x43, 0, 0, 0, 0); f.set(sacc[r]!); }
      f.op(0x0b); // end
      f.get(K); f.set(k);
      f.doWhile(() => {
        if (NV > 0) {
          for (let j = 0; j < NV; j++) { f.vload(() => f.get(pb), 16 * j); f.set(bv[j]!); }
          for (let r = 0; r < MR; r++) {
            f.vsplat32(() => f.get(pa[r]!)); f.set(av);
            for (let j = 0; j < NV; j++) f.fmaOrMulAdd(() => f.get(av), () => f.get(bv[j]!), acc[r * NV + j]!);
          }
        } else {
          for (let r = 0; r < MR; r++) {
            f.get(sacc[r]!); f.get(pa[r]!); f.op(0x2a, 2, 0); f.get(pb); f.op(0x2a, 2, 0); f.op(0x94, 0x92); f.set(sacc[r]!);
          }
        }
        for (let r = 0; r < MR; r++) f.addTo(pa[r]!, () => f.get(sAk));
        f.addTo(pb, () => f.get(rowB));
        f.get(k); f.i32(1); f.op(0x6b); f.set(k);
      }, () => f.get(k));
      // store: C[(m+r)*N + n]  (pc = c + ((m*N + n)*4) ; row r adds r*rowB)
      for (let r = 0; r < MR; r++) {
        const addr = () => cAddr(r);
        if (NV > 0) for (let j = 0; j < NV; j++) f.vstore(addr, () => f.get(acc[r * NV + j]!), 16 * j);
        else { addr(); f.get(sacc[r]!); f.op(0x38, 2, 0); }
      }
    };
    const colLoops = (MR: number) => {
      f.i32(0); f.set(n);
      f.while(() => { f.get(n); f.i32(8); f.op(0x6a); f.get(N); f.op(0x4c); }, () => { tile(MR, 2); f.addTo(n, () => f.i32(8)); }); // n+8 <= N
      f.while(() => { f.get(n); f.i32(4); f.op(0x6a); f.get(N); f.op(0x4c); }, () => { tile(MR, 1); f.addTo(n, () => f.i32(4)); });
      f.while(() => { f.get(n); f.get(N); f.op(0x48); }, () => { tile(MR, 0); f.addTo(n, () => f.i32(1)); });
    };
    f.get(c); f.set(pc);
    f.while(() => f.get(G), () => {
      f.i32(0); f.set(m);
      f.while(() => { f.get(m); f.i32(MR); f.op(0x6a); f.get(M); f.op(0x4c); }, () => {
        f.get(a); f.get(m); f.get(sAm); f.op(0x6c, 0x6a); f.set(aRow);
        colLoops(MR);
        f.addTo(m, () => f.i32(MR));
      });
      if (MR > 4) f.while(() => { f.get(m); f.i32(4); f.op(0x6a); f.get(M); f.op(0x4c); }, () => {
        f.get(a); f.get(m); f.get(sAm); f.op(0x6c, 0x6a); f.set(aRow);
        colLoops(4);
        f.addTo(m, () => f.i32(4));
      });
      f.while(() => { f.get(m); f.get(M); f.op(0x48); }, () => {
        f.get(a); f.get(m); f.get(sAm); f.op(0x6c, 0x6a); f.set(aRow);
        colLoops(1);
        f.addTo(m, () => f.i32(1));
      });
      f.addTo(a, () => f.get(sAg));
      f.addTo(b, () => f.get(sBg));
      f.addTo(pc, () => { f.get(M); f.get(rowB); f.op(0x6c); });
      f.get(G); f.i32(1); f.op(0x6b); f.set(G);
    });
    fns.push({ name: 'bmm', nParams: 12, fn: f });
  }

  // ---- tr: [G, R, C] → [G, C, R], 8×8 blocks for locality ----
  {
    const f = new Fn(5, fma);
    const [src, dst, G, R, C] = [0, 1, 2, 3, 4];
    const r0 = f.local(I32), c0 = f.local(I32), r = f.local(I32), cc = f.local(I32), rEnd = f.local(I32), cEnd = f.local(I32), ps = f.local(I32), pd = f.local(I32), rowBytes = f.local(I32), colBytes = f.local(I32);
    f.get(C); f.i32(4); f.op(0x6c); f.set(rowBytes);
    f.get(R); f.i32(4); f.op(0x6c); f.set(colBytes);
    const min = (x: () => void, y: () => void) => { x(); y(); x(); y(); f.op(0x48, 0x1b); }; // select(x, y, x<y)
    f.while(() => f.get(G), () => {
      f.i32(0); f.set(r0);
      f.while(() => { f.get(r0); f.get(R); f.op(0x48); }, () => {
        min(() => { f.get(r0); f.i32(8); f.op(0x6a); }, () => f.get(R)); f.set(rEnd);
        f.i32(0); f.set(c0);
        f.while(() => { f.get(c0); f.get(C); f.op(0x48); }, () => {
          min(() => { f.get(c0); f.i32(8); f.op(0x6a); }, () => f.get(C)); f.set(cEnd);
          f.get(r0); f.set(r);
          f.while(() => { f.get(r); f.get(rEnd); f.op(0x48); }, () => {
            // ps = src + (r*C + c0)*4 ; pd = dst + (c0*R + r)*4
            f.get(src); f.get(r); f.get(rowBytes); f.op(0x6c, 0x6a); f.get(c0); f.i32(4); f.op(0x6c, 0x6a); f.set(ps);
            f.get(dst); f.get(c0); f.get(colBytes); f.op(0x6c, 0x6a); f.get(r); f.i32(4); f.op(0x6c, 0x6a); f.set(pd);
            f.get(c0); f.set(cc);
            f.while(() => { f.get(cc); f.get(cEnd); f.op(0x48); }, () => {
              f.get(pd); f.get(ps); f.op(0x28, 2, 0); f.op(0x36, 2, 0); // i32 load/store: a bit-exact copy
              f.addTo(ps, () => f.i32(4)); f.addTo(pd, () => f.get(colBytes)); f.addTo(cc, () => f.i32(1));
            });
            f.addTo(r, () => f.i32(1));
          });
          f.addTo(c0, () => f.i32(8));
        });
        f.addTo(r0, () => f.i32(8));
      });
      f.get(R); f.get(rowBytes); f.op(0x6c); f.set(r0); // reuse r0 as the batch stride in bytes
      f.addTo(src, () => f.get(r0)); f.addTo(dst, () => f.get(r0));
      f.get(G); f.i32(1); f.op(0x6b); f.set(G);
    });
    fns.push({ name: 'tr', nParams: 5, fn: f });
  }

  // ---- trb: [G, R, C] of E-byte elements → [G, C, R] (E a multiple of 4: blocks move whole) ----
  {
    const f = new Fn(6, fma);
    const [src, dst, G, R, C, E] = [0, 1, 2, 3, 4, 5];
    const r = f.local(I32), cc = f.local(I32), ps = f.local(I32), pd = f.local(I32), rowBytes = f.local(I32), colBytes = f.local(I32);
    f.get(C); f.get(E); f.op(0x6c); f.set(rowBytes);
    f.get(R); f.get(E); f.op(0x6c); f.set(colBytes);
    f.while(() => f.get(G), () => {
      f.i32(0); f.set(r);
      f.while(() => { f.get(r); f.get(R); f.op(0x48); }, () => {
        f.get(src); f.get(r); f.get(rowBytes); f.op(0x6c, 0x6a); f.set(ps);
        f.get(dst); f.get(r); f.get(E); f.op(0x6c, 0x6a); f.set(pd);
        f.i32(0); f.set(cc);
        f.while(() => { f.get(cc); f.get(C); f.op(0x48); }, () => {
          f.get(pd); f.get(ps); f.get(E); f.op(0xfc, 0x0a, 0, 0); // memory.copy
          f.addTo(ps, () => f.get(E)); f.addTo(pd, () => f.get(colBytes)); f.addTo(cc, () => f.i32(1));
        });
        f.addTo(r, () => f.i32(1));
      });
      f.get(R); f.get(rowBytes); f.op(0x6c); f.set(r);
      f.addTo(src, () => f.get(r)); f.addTo(dst, () => f.get(r));
      f.get(G); f.i32(1); f.op(0x6b); f.set(G);
    });
    fns.push({ name: 'trb', nParams: 6, fn: f });
  }

  // ---- sumsq(p, n) → Σ p[i]² (f32), for the global gradient norm ----
  {
    const f = new Fn(2, fma);
    const [p, n] = [0, 1];
    const acc = f.local(V128), s = f.local(F32);
    f.simd(0x0c, ...new Array(16).fill(0)); f.set(acc);
    f.while(() => { f.get(n); f.i32(4); f.op(0x4e); }, () => { // n >= 4
      f.vload(() => f.get(p)); f.vload(() => f.get(p)); f.simd(0xe6); f.get(acc); f.simd(0xe4); f.set(acc);
      f.addTo(p, () => f.i32(16)); f.get(n); f.i32(4); f.op(0x6b); f.set(n);
    });
    for (let l = 0; l < 4; l++) { f.get(acc); f.simd(0x1f, l); if (l) { f.get(s); f.op(0x92); } f.set(s); }
    f.while(() => f.get(n), () => {
      f.get(s); f.get(p); f.op(0x2a, 2, 0); f.get(p); f.op(0x2a, 2, 0); f.op(0x94, 0x92); f.set(s);
      f.addTo(p, () => f.i32(4)); f.get(n); f.i32(1); f.op(0x6b); f.set(n);
    });
    f.get(s);
    fns.push({ name: 'sumsq', nParams: 2, fn: f, results: [F32] });
  }

  // ---- adamw(p, g, m, v, pOut, mOut, vOut, n, lr, b1, 1−b1, b2, 1−b2, eps, decay, 1/bc1, 1/bc2, gscale) ----
  // One fused pass per parameter instead of ~12 tfjs kernels (AdamW, Loshchilov & Hutter 2019).
  {
    const params = [I32, I32, I32, I32, I32, I32, I32, I32, F32, F32, F32, F32, F32, F32, F32, F32, F32, F32];
    const f = new Fn(params.length, fma);
    const [p, g, m, v, po, mo, vo, n, lr, b1, ob1, b2, ob2, eps, decay, ibc1, ibc2, gs] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17] as const;
    const gg = f.local(F32), mm = f.local(F32), vv = f.local(F32), off = f.local(I32);
    const ld = (base: number) => { f.get(base); f.get(off); f.op(0x6a); f.op(0x2a, 2, 0); };
    const st = (base: number, val: () => void) => { f.get(base); f.get(off); f.op(0x6a); val(); f.op(0x38, 2, 0); };
    f.i32(0); f.set(off);
    f.while(() => f.get(n), () => {
      ld(g); f.get(gs); f.op(0x94); f.set(gg);                                                   // g·scale
      f.get(b1); ld(m); f.op(0x94); f.get(ob1); f.get(gg); f.op(0x94, 0x92); f.set(mm);          // m' = b1·m + (1−b1)·g
      f.get(b2); ld(v); f.op(0x94); f.get(ob2); f.get(gg); f.get(gg); f.op(0x94, 0x94, 0x92); f.set(vv); // v' = b2·v + (1−b2)·g²
      st(mo, () => f.get(mm)); st(vo, () => f.get(vv));
      // p' = p·decay − lr · (m'/bc1) / (√(v'/bc2) + eps)
      st(po, () => { ld(p); f.get(decay); f.op(0x94); f.get(lr); f.get(mm); f.get(ibc1); f.op(0x94, 0x94); f.get(vv); f.get(ibc2); f.op(0x94, 0x91); f.get(eps); f.op(0x92, 0x95, 0x93); });
      f.addTo(off, () => f.i32(4)); f.get(n); f.i32(1); f.op(0x6b); f.set(n);
    });
    fns.push({ name: 'adamw', nParams: params.length, fn: f, params });
  }

  const types = fns.map((x) => [0x60, ...vec((x.params ?? new Array(x.nParams).fill(I32)).map((t) => [t])), ...vec((x.results ?? []).map((t) => [t]))]);
  const mem = shared ? [0x03, 0, ...uleb(65536)] : [0x00, 0];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, vec(types)),
    ...section(2, vec([[...str('env'), ...str('memory'), 0x02, ...mem]])),
    ...section(3, vec(fns.map((_, i) => uleb(i)))),
    ...section(7, vec(fns.map((x, i) => [...str(x.name), 0x00, ...uleb(i)]))),
    ...section(10, vec(fns.map((x) => x.fn.body()))),
  ]);
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
  raw: { bmm: (...a: number[]) => void; tr: (...a: number[]) => void; trb: (...a: number[]) => void; sumsq: (p: number, n: number) => number; adamw: (...a: number[]) => void };
}

export function simdAvailable(): boolean {
  try { return WebAssembly.validate(assemble(false, false)); } catch { return false; }
}

export function registerSimdKernels(be: WasmBackendLike, opts: { rows?: number } = {}): SimdKernels {
  const memory = be.wasm.asm.memory;
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  const MR = opts.rows ?? 5; // 5×8 tile: 10 accumulators + 3 operands fit V8's 16 xmm registers (bench: ≥ 4×8 everywhere)
  let bytes = assemble(true, shared, MR), fma = true;
  if (!WebAssembly.validate(bytes)) { bytes = assemble(false, shared, MR); fma = false; } // no relaxed-simd
  const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
  const raw = inst.exports as unknown as SimdKernels['raw'];
  const off = (t: TensorInfo) => be.dataIdMap.get(t.dataId).memoryOffset;

  const transpose = (src: number, dst: number, batch: number, rows: number, cols: number) => raw.tr(src, dst, batch, rows, cols);
  const blockTranspose = (src: number, dst: number, batch: number, rows: number, cols: number, e: number) =>
    e === 4 ? raw.tr(src, dst, batch, rows, cols) : raw.trb(src, dst, batch, rows, cols, e);
  function columnSum(x: TensorInfo, m: number, n: number, outShape: number[]): TensorInfo {
    // ones[1, m] · X[m, n]: one streaming pass over X through the bmm tile.
    const ones = be.makeOutput([m], 'float32');
    be.wasm.HEAPF32.fill(1, off(ones) >>> 2, (off(ones) >>> 2) + m);
    const out = be.makeOutput(outShape, 'float32');
    raw.bmm(off(ones), off(x), off(out), 1, 1, m, n, m * 4, 4, 0, 0, 0);
    be.disposeData(ones.dataId);
    return out;
  }

  function batchMatMul(a: TensorInfo, b: TensorInfo, tA: boolean, tB: boolean): TensorInfo | null {
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return null;
    const ra = a.shape.length, rb = b.shape.length;
    const M = tA ? a.shape[ra - 1]! : a.shape[ra - 2]!, K = tA ? a.shape[ra - 2]! : a.shape[ra - 1]!;
    const N = tB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
    const outerA = a.shape.slice(0, -2), outerB = b.shape.slice(0, -2);
    const gA = outerA.reduce((p, q) => p * q, 1), gB = outerB.reduce((p, q) => p * q, 1);
    // Same batch dims, or one side unbatched (broadcast); anything fancier → stock kernel.
    const sameOuter = outerA.length === outerB.length && outerA.every((d, i) => d === outerB[i]);
    if (!(sameOuter || gA === 1 || gB === 1) || K === 0) return null;
    const G = Math.max(gA, gB);
    const outShape = [...(gA >= gB ? outerA : outerB), M, N];
    const out = be.makeOutput(outShape, 'float32');
    let bPtr = off(b), tmp: TensorInfo | null = null;
    if (tB) { // B stored [N, K]: transpose once to [K, N] so the tile loads contiguous rows
      tmp = be.makeOutput([gB, K, N], 'float32');
      raw.tr(off(b), off(tmp), gB, N, K);
      bPtr = off(tmp);
    }
    const [sAm, sAk] = tA ? [4, M * 4] : [K * 4, 4];
    // Long contractions (weight gradients: K = B·N rows) go in K-blocks accumulated into C, so
    // each block of A and B stays in L2 while every tile reuses it (5–6× faster for dW).
    const KC = K > 1024 ? 256 : K;
    for (let k0 = 0; k0 < K; k0 += KC) {
      raw.bmm(off(a) + k0 * sAk, bPtr + k0 * N * 4, off(out), G, M, Math.min(KC, K - k0), N, sAm, sAk, gA === 1 ? 0 : M * K * 4, gB === 1 ? 0 : K * N * 4, k0 > 0 ? 1 : 0);
    }
    if (tmp) be.disposeData(tmp.dataId);
    return out;
  }
  return { names: [`simd-bmm${fma ? '-fma' : ''}`, 'simd-transpose', 'simd-colsum'], fma, batchMatMul, transpose, blockTranspose, columnSum, raw };
}
