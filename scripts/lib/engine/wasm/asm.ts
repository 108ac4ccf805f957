// A minimal WebAssembly assembler: no wasm toolchain is installed here, so the engine's SIMD
// kernels are emitted byte by byte. Each kernel family builds one small module that imports the
// backend's own WebAssembly.Memory (`env.memory`), so kernels read and write tensors in place.
//   const f = new Fn(nParams, fma); …f.get/f.set/f.simd…; wasmModule([{ name, nParams, fn: f }], shared)
export const I32 = 0x7f, F32 = 0x7d, V128 = 0x7b;
export const uleb = (n: number): number[] => { const o: number[] = []; do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; o.push(b); } while (n); return o; };
export const sleb = (n: number): number[] => {
  const o: number[] = [];
  for (;;) { const b = n & 0x7f; n >>= 7; if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) { o.push(b); return o; } o.push(b | 0x80); }
};
export const str = (s: string) => [...uleb(s.length), ...Buffer.from(s, 'utf8')];
export const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
export const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];

export class Fn {
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

export interface FnDef { name: string; nParams: number; fn: Fn; params?: number[]; results?: number[] }

/** One module exporting `fns` (params default to i32), importing env.memory (shared or not). */
export function wasmModule(fns: FnDef[], shared: boolean): Uint8Array<ArrayBuffer> {
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

/**
 * Instantiates `build(fma, shared)` on the backend's memory: with relaxed-SIMD FMA where the
 * runtime validates it, else plain mul+add. Null when the runtime has no wasm SIMD at all.
 */
export function instantiate<T>(memory: WebAssembly.Memory, build: (fma: boolean, shared: boolean) => Uint8Array<ArrayBuffer>): { exports: T; fma: boolean } | null {
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  for (const fma of [true, false]) {
    const bytes = build(fma, shared);
    if (!WebAssembly.validate(bytes)) continue;
    return { exports: new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports as T, fma };
  }
  return null;
}
