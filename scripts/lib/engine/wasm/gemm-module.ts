// The GEMM, transpose and optimiser kernels, emitted as one wasm SIMD module (see asm.ts):
//   bmm(a, b, c, G, M, K, N, sAm, sAk, sAg, sBg, acc)  C[g] (+)= A[g]·B[g] (acc=1 adds to C); A read through strides
//       (so transposeA is free), B row-major [K, N], C contiguous. MR×8 register tile,
//       f32x4 FMA via relaxed-simd where V8 has it (Node ≥ 20), mul+add otherwise.
//   tr(src, dst, G, R, C)                        batched 2-D transpose [G,R,C] → [G,C,R]
//   trb(src, dst, G, R, C, E)                    the same for E-byte elements (v128 moves, or memory.copy)
//   sumsq(p, n) → Σ p[i]²                        the global gradient norm
//   adamw(…)                                     one fused AdamW pass per parameter
import { F32, Fn, I32, V128, uleb, wasmModule, type FnDef } from './asm';

export function assembleGemmModule(fma: boolean, shared: boolean, MR = 4): Uint8Array<ArrayBuffer> {
  const fns: FnDef[] = [];

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
    const r = f.local(I32), cc = f.local(I32), ps = f.local(I32), pd = f.local(I32), rowBytes = f.local(I32), colBytes = f.local(I32), k = f.local(I32);
    f.get(C); f.get(E); f.op(0x6c); f.set(rowBytes);
    f.get(R); f.get(E); f.op(0x6c); f.set(colBytes);
    f.while(() => f.get(G), () => {
      f.i32(0); f.set(r);
      f.while(() => { f.get(r); f.get(R); f.op(0x48); }, () => {
        f.get(src); f.get(r); f.get(rowBytes); f.op(0x6c, 0x6a); f.set(ps);
        f.get(dst); f.get(r); f.get(E); f.op(0x6c, 0x6a); f.set(pd);
        f.i32(0); f.set(cc);
        f.while(() => { f.get(cc); f.get(C); f.op(0x48); }, () => {
          // Blocks of whole vectors (E % 16 = 0, e.g. a 16-float head) move by v128 load/store;
          // others by memory.copy, which costs a call per block.
          f.get(E); f.i32(15); f.op(0x71, 0x45); f.op(0x04, 0x40); // if ((E & 15) == 0)
          f.i32(0); f.set(k);
          f.while(() => { f.get(k); f.get(E); f.op(0x48); }, () => {
            f.vstore(() => { f.get(pd); f.get(k); f.op(0x6a); }, () => f.vload(() => { f.get(ps); f.get(k); f.op(0x6a); }));
            f.addTo(k, () => f.i32(16));
          });
          f.op(0x05); // else
          f.get(pd); f.get(ps); f.get(E); f.op(0xfc, 0x0a, 0, 0); // memory.copy
          f.op(0x0b); // end
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
  return wasmModule(fns, shared);
}
