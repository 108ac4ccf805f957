// Element-wise Add, Sub and Mul as one wasm SIMD module (see asm.ts), with the broadcasts the
// training graphs use. Each of the nine functions `${op}_${mode}(a, b, out, R, C, sAr, sBr)`:
//   for r < R, c < C:   out[r·C + c] = A[r] op B[r]   (byte row strides sAr, sBr; 0 repeats a row)
// where along c  vv: both operands advance;  vs: b is one value per row;  sv: a is one value per row.
// f32x4 over c, scalar tail.
import { Fn, I32, V128, wasmModule, type FnDef } from './asm';

export const BINARY_OPS = { add: [0xe4, 0x92], sub: [0xe5, 0x93], mul: [0xe6, 0x94] } as const; // [f32x4 op, f32 op]
export type BinaryOp = keyof typeof BINARY_OPS;
export type BinaryMode = 'vv' | 'vs' | 'sv';

export function assembleElementwiseModule(fma: boolean, shared: boolean): Uint8Array<ArrayBuffer> {
  const fns: FnDef[] = [];
  for (const [name, [vop, sop]] of Object.entries(BINARY_OPS)) for (const mode of ['vv', 'vs', 'sv'] as const) {
    const f = new Fn(7, fma);
    const [a, b, o, R, C, sAr, sBr] = [0, 1, 2, 3, 4, 5, 6];
    const c = f.local(I32), pa = f.local(I32), pb = f.local(I32), po = f.local(I32), sv = f.local(V128);
    const f32load = (p: number) => { f.get(p); f.op(0x2a, 2, 0); };
    f.get(o); f.set(po);
    f.while(() => f.get(R), () => {
      f.get(a); f.set(pa); f.get(b); f.set(pb);
      if (mode === 'vs') { f.vsplat32(() => f.get(b)); f.set(sv); }
      if (mode === 'sv') { f.vsplat32(() => f.get(a)); f.set(sv); }
      f.i32(0); f.set(c);
      // c + 4 <= C: four at a time
      f.while(() => { f.get(c); f.i32(4); f.op(0x6a); f.get(C); f.op(0x4c); }, () => {
        f.vstore(() => f.get(po), () => {
          if (mode === 'sv') f.get(sv); else f.vload(() => f.get(pa));
          if (mode === 'vs') f.get(sv); else f.vload(() => f.get(pb));
          f.simd(vop);
        });
        if (mode !== 'sv') f.addTo(pa, () => f.i32(16));
        if (mode !== 'vs') f.addTo(pb, () => f.i32(16));
        f.addTo(po, () => f.i32(16)); f.addTo(c, () => f.i32(4));
      });
      f.while(() => { f.get(c); f.get(C); f.op(0x48); }, () => {
        f.get(po);
        f32load(mode === 'sv' ? a : pa);
        f32load(mode === 'vs' ? b : pb);
        f.op(sop); f.op(0x38, 2, 0);
        if (mode !== 'sv') f.addTo(pa, () => f.i32(4));
        if (mode !== 'vs') f.addTo(pb, () => f.i32(4));
        f.addTo(po, () => f.i32(4)); f.addTo(c, () => f.i32(1));
      });
      f.addTo(a, () => f.get(sAr)); f.addTo(b, () => f.get(sBr));
      f.get(R); f.i32(1); f.op(0x6b); f.set(R);
    });
    fns.push({ name: `${name}_${mode}`, nParams: 7, fn: f });
  }
  return wasmModule(fns, shared);
}
