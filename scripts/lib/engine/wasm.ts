// The wasm backend, made able to train: initialisation plus fast training kernels.
//
// tfjs-backend-wasm 4.22 runs forward Conv2D and plain 2-D MatMul on XNNPACK (~20 GFLOP/s
// per thread here) but its training kernels are missing or scalar loops (see shared/README):
//   - Conv2DBackpropFilter and the depthwise backprops are not registered at all;
//   - Conv2DBackpropInput is a scalar loop;
//   - BatchMatMul with transposeA/B or a batch > 1 is a scalar loop (~1–2 GFLOP/s);
//   - Sum over a leading axis (every bias gradient) transposes first, slowly;
//   - 5-D Transpose is a slow generic loop.
// Each is re-registered here as a composition of the fast kernels (re-expressing the maths
// so XNNPACK does the FLOPs), or as a tight loop on the wasm heap when no fast kernel fits.
// Kernels call the *stock* kernel functions directly (backend level, no engine, no tape),
// as tfjs's own kernels do, and free their temporaries with `disposeData`.
// Heap pointers are byte offsets up to 4 GiB: index HEAPF32 with `offset >>> 2` (a signed shift turns offsets ≥ 2 GiB negative).
// ATLAS_WASM_SKIP=Slice,Tile,… leaves those kernels stock (`simd` only with every kernel that uses it): for bisecting.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { backend_util, type KernelConfig, type TensorInfo, type NamedAttrMap } from '@tensorflow/tfjs';
import { cpuModel, type BackendInfo } from './backend';
import { registerSimdKernels, simdAvailable, type SimdKernels } from './wasm-simd';

// Minimal view of BackendWasm internals we rely on (stable across 4.x).
export interface WasmBackendLike extends tf.KernelBackend {
  wasm: {
    HEAPF32: Float32Array;
    HEAPU8: Uint8Array;
    asm: { memory: WebAssembly.Memory };
    tfjs: { registerTensor(id: number, size: number, off: number): void; disposeData(id: number): void };
    cwrap(name: string, ret: null, args: string[]): (...a: unknown[]) => void;
  };
  dataIdMap: { get(d: object): { id: number; memoryOffset: number; shape: number[]; dtype: string } };
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number): TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
}

/** Stock wasm kernel functions, captured before we override any of them. */
const stock = new Map<string, KernelConfig['kernelFunc']>();
let be: WasmBackendLike;

function call(name: string, inputs: Record<string, TensorInfo>, attrs: NamedAttrMap = {}): TensorInfo {
  const f = stock.get(name) ?? tf.getKernel(name, 'wasm')?.kernelFunc;
  if (!f) throw new Error(`wasm kernel ${name} missing`);
  return f({ inputs, attrs, backend: be }) as TensorInfo;
}
const free = (...ts: TensorInfo[]) => ts.forEach((t) => be.disposeData(t.dataId));
const reshape = (x: TensorInfo, shape: number[]) => call('Reshape', { x }, { shape });
const transpose = (x: TensorInfo, perm: number[]) => call('Transpose', { x }, { perm });

/** Pads (positive) or crops (negative) the H and W axes of an NHWC tensor. */
function padOrCrop(x: TensorInfo, t: number, b: number, l: number, r: number): TensorInfo {
  let cur = x;
  const owned: TensorInfo[] = [];
  if (t < 0 || b < 0 || l < 0 || r < 0) {
    const [n, h, w, c] = cur.shape as [number, number, number, number];
    const bt = Math.max(0, -t), bb = Math.max(0, -b), bl = Math.max(0, -l), br = Math.max(0, -r);
    cur = call('Slice', { x: cur }, { begin: [0, bt, bl, 0], size: [n, h - bt - bb, w - bl - br, c] });
    owned.push(cur);
  }
  if (t > 0 || b > 0 || l > 0 || r > 0) {
    const p = call('PadV2', { x: cur }, { paddings: [[0, 0], [Math.max(0, t), Math.max(0, b)], [Math.max(0, l), Math.max(0, r)], [0, 0]], constantValue: 0 });
    free(...owned);
    return p;
  }
  if (owned.length === 0) return call('Identity', { x: cur });
  return cur;
}

// ---------------------------------------------------------------------------------------
// Stride-1 'same' convolutions (every 3×3 and 1×1 conv of a ResNet stage) as k accumulated
// GEMMs on a zero-padded copy — an implicit im2col. With X padded to [B, H+2p, W+2p, Ci]
// and flattened to rows q, output row q needs rows q + i·Wp + j for kernel tap (i, j); for a
// fixed kernel row i the taps j = 0…k−1 are k·Ci *contiguous* floats, so each kernel row is
// one GEMM with K = k·Ci read straight out of the padded buffer (no im2col matrix). Rows of
// the padded grid that are not outputs (x ≥ W or y ≥ H) are computed and cropped away.
/** Switches for A/B timing of individual fast paths (bench/ab.ts); all on by default. */
export const wasmKernelOptions = { implicitConv: true, implicitConvForward: false };

interface SameConv { B: number; H: number; W: number; Ci: number; Co: number; k: number; p: number; Hp: number; Wp: number; P: number; slack: number }
function sameConv(info: backend_util.Conv2DInfo): SameConv | null {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: Ci, outChannels: Co, filterHeight: k, filterWidth: kw, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const { top, bottom, left, right } = info.padInfo;
  const p = (k - 1) / 2;
  if (!simd || !wasmKernelOptions.implicitConv || k !== kw || k % 2 === 0 || sh !== 1 || sw !== 1 || dh !== 1 || dw !== 1 || top !== p || bottom !== p || left !== p || right !== p) return null;
  if (info.dataFormat !== 'channelsLast' || info.outHeight !== H || info.outWidth !== W) return null;
  const Hp = H + 2 * p, Wp = W + 2 * p;
  return { B, H, W, Ci, Co, k, p, Hp, Wp, P: B * Hp * Wp, slack: (k - 1) * (Wp + 1) };
}
const ptr = (t: TensorInfo) => be.dataIdMap.get(t.dataId).memoryOffset;

/** x [B,H,W,C] → zero-padded rows [B·Hp·Wp + slack, C]; at (p, p) ('center') or (0, 0) ('topLeft'). */
function padRows(x: TensorInfo, c: SameConv, C: number, at: 'center' | 'topLeft', slack: number): TensorInfo {
  const out = be.makeOutput([c.P + slack, C], 'float32');
  const h = be.wasm.HEAPF32, src = ptr(x) >>> 2, dst = ptr(out) >>> 2, off = at === 'center' ? c.p : 0, run = c.W * C;
  h.fill(0, dst, dst + (c.P + slack) * C);
  for (let b = 0; b < c.B; b++) for (let y = 0; y < c.H; y++) {
    const s0 = src + (b * c.H + y) * run;
    h.copyWithin(dst + ((b * c.Hp + y + off) * c.Wp + off) * C, s0, s0 + run);
  }
  return out;
}

const CHUNK = 256; // rows per GEMM call: keeps the A/B/C panels of a chunk in L1/L2

/** y = conv(xPadded, w) on the padded grid, then cropped to [B, H, W, Co]. w: [k, k, Ci, Co]. */
function sameConvForward(xP: TensorInfo, w: TensorInfo, c: SameConv, Ci: number, Co: number): TensorInfo {
  const yp = be.makeOutput([c.B, c.Hp, c.Wp, Co], 'float32');
  const xo = ptr(xP), wo = ptr(w), yo = ptr(yp), raw = simd!.raw;
  for (let q0 = 0; q0 < c.P; q0 += CHUNK) {
    const m = Math.min(CHUNK, c.P - q0);
    for (let i = 0; i < c.k; i++) raw.bmm(xo + (q0 + i * c.Wp) * Ci * 4, wo + i * c.k * Ci * Co * 4, yo + q0 * Co * 4, 1, m, c.k * Ci, Co, Ci * 4, 4, 0, 0, i > 0 ? 1 : 0);
  }
  const out = slice({ inputs: { x: yp }, attrs: { begin: [0, 0, 0, 0], size: [c.B, c.H, c.W, Co] } });
  free(yp);
  return out;
}

function conv2D(args: { inputs: Record<string, TensorInfo>; attrs: NamedAttrMap }): TensorInfo {
  const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
  const { strides, pad, dilations, dimRoundingMode, dataFormat } = args.attrs as unknown as { strides: number | [number, number]; pad: 'same' | 'valid' | number | backend_util.ExplicitPadding; dilations: number | [number, number]; dimRoundingMode?: 'floor' | 'round' | 'ceil'; dataFormat: 'NHWC' | 'NCHW' };
  const info = backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filter.shape as [number, number, number, number], strides, dilations, pad, dimRoundingMode, false, backend_util.convertConv2DDataFormat(dataFormat));
  // Measured (bench/ab): XNNPACK's own conv beats the implicit GEMM forward (no padded-grid
  // waste), so it is off by default; the backprop-filter GEMM is the big win (2–3×).
  if (x.dtype === 'float32' && pointwiseStrided(info)) { // XNNPACK is ~0.5 GFLOP/s on this shape
    const { batchSize: B, outHeight: oh, outWidth: ow, inChannels: Ci, outChannels: Co } = info;
    const xs = be.makeOutput([B * oh * ow, Ci], 'float32');
    strideCopy(x, xs, info, Ci, 'gather');
    const w2 = reshape(filter, [Ci, Co]);
    const y = simd!.batchMatMul(xs, w2, false, false)!;
    const out = reshape(y, [B, oh, ow, Co]);
    free(xs, w2, y);
    return out;
  }
  const c = x.dtype === 'float32' && wasmKernelOptions.implicitConvForward ? sameConv(info) : null;
  if (!c) return stock.get('Conv2D')!({ ...args, backend: be }) as TensorInfo;
  const xP = padRows(x, c, c.Ci, 'center', c.slack);
  const out = sameConvForward(xP, filter, c, c.Ci, c.Co);
  free(xP);
  return out;
}

// Strided 1×1 convolutions (ResNet's downsample shortcut) are a GEMM on the subsampled pixels:
// gather X[:, ::s, ::s, :] (or scatter into dX) with copyWithin, and let the SIMD GEMM do the
// rest. The conv-based re-expressions below waste most of their work on this shape.
function pointwiseStrided(info: backend_util.Conv2DInfo): boolean {
  const { filterHeight: kh, filterWidth: kw, dilationHeight: dh, dilationWidth: dw, strideHeight: sh, strideWidth: sw } = info;
  const { top, bottom, left, right } = info.padInfo;
  return !!simd && kh === 1 && kw === 1 && dh === 1 && dw === 1 && (sh > 1 || sw > 1) && top === 0 && bottom === 0 && left === 0 && right === 0 && info.dataFormat === 'channelsLast';
}
/** Copies pixel runs between [B,H,W,C] (every s-th pixel) and a dense [B,oh,ow,C]; 'gather' or 'scatter'. */
function strideCopy(full: TensorInfo, dense: TensorInfo, info: backend_util.Conv2DInfo, C: number, dir: 'gather' | 'scatter'): void {
  const h = be.wasm.HEAPF32, f = ptr(full) >>> 2, d = ptr(dense) >>> 2;
  const { batchSize: B, inHeight: H, inWidth: W, outHeight: oh, outWidth: ow, strideHeight: sh, strideWidth: sw } = info;
  for (let b = 0; b < B; b++) for (let y = 0; y < oh; y++) for (let x = 0; x < ow; x++) {
    const fi = f + ((b * H + y * sh) * W + x * sw) * C, di = d + ((b * oh + y) * ow + x) * C;
    if (dir === 'gather') h.copyWithin(di, fi, fi + C); else h.copyWithin(fi, di, di + C);
  }
}

// Strided transposed convolution (dX of a stride-s conv) by phases, without zero-dilating dY:
// output rows h = a·s + r of phase r receive only the taps i with (r + top − i) ≡ 0 (mod s),
// from dY row a + δᵢ, δᵢ = (r + top − i)/s. Each phase is a sum of per-tap GEMMs over a
// zero-padded dY grid (as in the same-conv above), then scattered into dX with stride s.
// Total work = the forward's (the dilation route did s² times as much, mostly on zeros).
function stridedBackpropInput(dy: TensorInfo, filter: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  // Read the heap view at each use: makeOutput can grow wasm memory and detach an older view.
  const heap = () => be.wasm.HEAPF32;
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: Ci, outChannels: Co, outHeight: oh, outWidth: ow, filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  const phases = (s: number, k: number, pad: number, n: number) => Array.from({ length: s }, (_, r) => ({
    r, count: Math.max(0, Math.ceil((n - r) / s)),
    taps: Array.from({ length: k }, (_, i) => i).filter((i) => (((r + pad - i) % s) + s) % s === 0).map((i) => ({ i, d: (r + pad - i) / s })),
  }));
  const rowsP = phases(sh, kh, top, H), colsP = phases(sw, kw, left, W);
  const all = (ps: typeof rowsP) => ps.flatMap((p) => p.taps.map((t) => t.d));
  const pTop = Math.max(0, ...all(rowsP).map((d) => -d)), pLeft = Math.max(0, ...all(colsP).map((d) => -d));
  const hg = Math.max(oh + pTop, ...rowsP.map((p) => p.count + pTop + Math.max(0, ...p.taps.map((t) => t.d))));
  const wg = Math.max(ow + pLeft, ...colsP.map((p) => p.count + pLeft + Math.max(0, ...p.taps.map((t) => t.d))));
  const P = B * hg * wg;
  const slack = (Math.max(0, ...all(rowsP)) + pTop) * wg + Math.max(0, ...all(colsP)) + pLeft + 1;
  // dY on the padded grid, at (pTop, pLeft).
  const g = be.makeOutput([P + slack, Co], 'float32');
  const go = ptr(g) >>> 2, dyo = ptr(dy) >>> 2;
  heap().fill(0, go, go + (P + slack) * Co);
  for (let b = 0; b < B; b++) for (let y = 0; y < oh; y++) heap().copyWithin(go + ((b * hg + y + pTop) * wg + pLeft) * Co, dyo + (b * oh + y) * ow * Co, dyo + (b * oh + y + 1) * ow * Co);
  const wT = transpose(filter, [0, 1, 3, 2]); // [kh, kw, Co, Ci]: each tap is a [Co, Ci] B operand
  const out = be.makeOutput([B, H, W, Ci], 'float32');
  const oo = ptr(out) >>> 2;
  heap().fill(0, oo, oo + B * H * W * Ci);
  const ph = be.makeOutput([P, Ci], 'float32');
  const raw = simd!.raw, pho = ptr(ph);
  for (const rp of rowsP) for (const cp of colsP) {
    if (!rp.count || !cp.count || !rp.taps.length || !cp.taps.length) continue; // phase gets no taps: stays 0
    for (let q0 = 0; q0 < P; q0 += CHUNK) {
      const m = Math.min(CHUNK, P - q0);
      let first = true;
      for (const ti of rp.taps) for (const tj of cp.taps) {
        const shift = (ti.d + pTop) * wg + tj.d + pLeft;
        raw.bmm(ptr(g) + (q0 + shift) * Co * 4, ptr(wT) + (ti.i * kw + tj.i) * Co * Ci * 4, pho + q0 * Ci * 4, 1, m, Co, Ci, Co * 4, 4, 0, 0, first ? 0 : 1);
        first = false;
      }
    }
    // Scatter phase (r, t): dX[b, a·sh + r, c·sw + t] = ph[b, a, c].
    for (let b = 0; b < B; b++) for (let a = 0; a < rp.count; a++) for (let c = 0; c < cp.count; c++) {
      const src = (pho >>> 2) + ((b * hg + a) * wg + c) * Ci, dst = oo + ((b * H + a * sh + rp.r) * W + c * sw + cp.r) * Ci;
      heap().copyWithin(dst, src, src + Ci);
    }
  }
  free(g, wT, ph);
  return out;
}

// Strided weight gradient by phases: tap i reads input rows o·s + i − top = (o + δᵢ)·s + rᵢ, so
// with X split into its s×s phase grids (every s-th pixel from (r, t)), each tap is one GEMM
// Xphaseᵀ·dY over shifted rows of zero-padded grids — no conv with a dY-sized kernel.
function stridedBackpropFilter(x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  // Read the heap view at each use: makeOutput can grow wasm memory and detach an older view.
  const heap = () => be.wasm.HEAPF32;
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: Ci, outChannels: Co, outHeight: oh, outWidth: ow, filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  const taps = (k: number, pad: number, s: number) => Array.from({ length: k }, (_, i) => { const r = (((i - pad) % s) + s) % s; return { i, r, d: (i - pad - r) / s }; });
  const ti = taps(kh, top, sh), tj = taps(kw, left, sw);
  const pTop = Math.max(0, ...ti.map((t) => -t.d)), pLeft = Math.max(0, ...tj.map((t) => -t.d));
  const hg = Math.max(oh + pTop + Math.max(0, ...ti.map((t) => t.d)), pTop + Math.ceil(H / sh));
  const wg = Math.max(ow + pLeft + Math.max(0, ...tj.map((t) => t.d)), pLeft + Math.ceil(W / sw));
  const P = B * hg * wg, slack = (pTop + Math.max(0, ...ti.map((t) => t.d))) * wg + pLeft + Math.max(0, ...tj.map((t) => t.d)) + 1;
  // dY on the grid at (0, 0); zeros elsewhere, so rows that are not outputs contribute nothing.
  const dyG = be.makeOutput([P, Co], 'float32'), dgo = ptr(dyG) >>> 2, dyo = ptr(dy) >>> 2;
  heap().fill(0, dgo, dgo + P * Co);
  for (let b = 0; b < B; b++) for (let y = 0; y < oh; y++) heap().copyWithin(dgo + (b * hg + y) * wg * Co, dyo + (b * oh + y) * ow * Co, dyo + (b * oh + y + 1) * ow * Co);
  // One grid per phase (r, t) that some tap uses; X[b, a·sh + r, c·sw + t] at (pTop + a, pLeft + c).
  const grids = new Map<string, TensorInfo>();
  for (const a of ti) for (const c of tj) {
    const key = `${a.r},${c.r}`;
    if (grids.has(key)) continue;
    const gI = be.makeOutput([P + slack, Ci], 'float32'), go = ptr(gI) >>> 2, xo = ptr(x) >>> 2;
    heap().fill(0, go, go + (P + slack) * Ci);
    for (let b = 0; b < B; b++) for (let ya = 0; ya * sh + a.r < H; ya++) for (let xc = 0; xc * sw + c.r < W; xc++) {
      const src = xo + ((b * H + ya * sh + a.r) * W + xc * sw + c.r) * Ci;
      heap().copyWithin(go + ((b * hg + ya + pTop) * wg + xc + pLeft) * Ci, src, src + Ci);
    }
    grids.set(key, gI);
  }
  const out = be.makeOutput([kh, kw, Ci, Co], 'float32');
  const raw = simd!.raw, oo = ptr(out);
  for (let q0 = 0; q0 < P; q0 += CHUNK) {
    const m = Math.min(CHUNK, P - q0);
    for (const a of ti) for (const c of tj) {
      const shift = (a.d + pTop) * wg + c.d + pLeft;
      raw.bmm(ptr(grids.get(`${a.r},${c.r}`)!) + (q0 + shift) * Ci * 4, ptr(dyG) + q0 * Co * 4, oo + (a.i * kw + c.i) * Ci * Co * 4, 1, Ci, m, Co, 4, Ci * 4, 0, 0, q0 > 0 ? 1 : 0);
    }
  }
  free(dyG, ...grids.values());
  return out;
}

// ---------------------------------------------------------------------------------------
// Conv2DBackpropFilter: dW[i,j,ci,co] = Σ_{n,y,x} X[n, y·s+i−pt, x·s+j−pl, ci] · dY[n,y,x,co]
// is itself a convolution: input Xᵀ [ci, H, W, n] (batch↔channels), filter dYᵀ [oh, ow, n, co],
// stride 1, dilation = the forward stride. XNNPACK then does the FLOPs.
function conv2DBackpropFilter({ inputs, attrs }: { inputs: Record<string, TensorInfo>; attrs: NamedAttrMap }): TensorInfo {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, pad, dimRoundingMode, filterShape, dataFormat } = attrs as unknown as {
    strides: [number, number] | number; pad: 'same' | 'valid' | number | backend_util.ExplicitPadding; dimRoundingMode?: 'floor' | 'round' | 'ceil';
    filterShape: [number, number, number, number]; dataFormat: 'NHWC' | 'NCHW';
  };
  if (dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter (atlas wasm): NCHW unsupported');
  const info = backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode);
  if (x.dtype === 'float32' && pointwiseStrided(info)) {
    const { batchSize: B, outHeight: oh, outWidth: ow, inChannels: Ci, outChannels: Co } = info;
    const xs = be.makeOutput([B * oh * ow, Ci], 'float32');
    strideCopy(x, xs, info, Ci, 'gather');
    const dy2 = reshape(dy, [B * oh * ow, Co]);
    const w = simd!.batchMatMul(xs, dy2, true, false)!; // [Ci, Co]
    const out = reshape(w, [1, 1, Ci, Co]);
    free(xs, dy2, w);
    return out;
  }
  if (simd && x.dtype === 'float32' && (info.strideHeight > 1 || info.strideWidth > 1) && info.dataFormat === 'channelsLast') return stridedBackpropFilter(x, dy, info);
  const c = x.dtype === 'float32' ? sameConv(info) : null;
  if (c) {
    // dW[i] ([k·Ci, Co]) = Σ_q A_i[q]ᵀ · dYp[q], A_i read from the padded X with row stride Ci.
    const xP = padRows(x, c, c.Ci, 'center', c.slack), dyP = padRows(dy, c, c.Co, 'topLeft', 0);
    const out = be.makeOutput([c.k, c.k, c.Ci, c.Co], 'float32');
    const xo = ptr(xP), dyo = ptr(dyP), wo = ptr(out), raw = simd!.raw;
    for (let q0 = 0; q0 < c.P; q0 += CHUNK) {
      const m = Math.min(CHUNK, c.P - q0);
      for (let i = 0; i < c.k; i++) raw.bmm(xo + (q0 + i * c.Wp) * c.Ci * 4, dyo + q0 * c.Co * 4, wo + i * c.k * c.Ci * c.Co * 4, 1, c.k * c.Ci, m, c.Co, 4, c.Ci * 4, 0, 0, q0 > 0 ? 1 : 0);
    }
    free(xP, dyP);
    return out;
  }
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, inHeight: H, inWidth: W, outHeight: oh, outWidth: ow } = info;
  const { top, left } = info.padInfo;
  const xT = transpose(x, [3, 1, 2, 0]); // [ci, H, W, n]
  // The "image" must be exactly (k−1) + (o−1)·s + 1 tall so the output is k×k.
  const xP = padOrCrop(xT, top, kh + (oh - 1) * sh - H - top, left, kw + (ow - 1) * sw - W - left);
  const dyT = transpose(dy, [1, 2, 0, 3]); // [oh, ow, n, co]
  const r = call('Conv2D', { x: xP, filter: dyT }, { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [sh, sw], dimRoundingMode: undefined as unknown as string }); // [ci, kh, kw, co]
  const out = transpose(r, [1, 2, 0, 3]); // [kh, kw, ci, co]
  free(xT, xP, dyT, r);
  return out;
}

// Conv2DBackpropInput: dX = dY (zero-dilated by the stride) correlated with the filter rotated
// 180° and in/out channels swapped; padding chosen so the output is exactly H×W.
function conv2DBackpropInput({ inputs, attrs }: { inputs: Record<string, TensorInfo>; attrs: NamedAttrMap }): TensorInfo {
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const { strides, pad, dimRoundingMode, inputShape, dataFormat } = attrs as unknown as {
    strides: [number, number] | number; pad: 'same' | 'valid' | number | backend_util.ExplicitPadding; dimRoundingMode?: 'floor' | 'round' | 'ceil';
    inputShape: [number, number, number, number]; dataFormat: 'NHWC' | 'NCHW';
  };
  if (dataFormat === 'NCHW') throw new Error('Conv2DBackpropInput (atlas wasm): NCHW unsupported');
  const info = backend_util.computeConv2DInfo(inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode);
  if (dy.dtype === 'float32' && pointwiseStrided(info)) {
    const { batchSize: B, outHeight: oh, outWidth: ow, inChannels: Ci, outChannels: Co } = info;
    const dy2 = reshape(dy, [B * oh * ow, Co]), w2 = reshape(filter, [Ci, Co]);
    const dxs = simd!.batchMatMul(dy2, w2, false, true)!; // [P, Ci]
    const out = be.makeOutput([...inputShape], 'float32');
    be.wasm.HEAPF32.fill(0, ptr(out) >>> 2, (ptr(out) >>> 2) + inputShape.reduce((p, q) => p * q, 1));
    strideCopy(out, dxs, info, Ci, 'scatter');
    free(dy2, w2, dxs);
    return out;
  }
  const c = dy.dtype === 'float32' && wasmKernelOptions.implicitConvForward ? sameConv(info) : null;
  if (c) {
    // dX = same-conv of dY with the filter rotated 180° and in/out swapped.
    const wRev = call('Reverse', { x: filter }, { dims: [0, 1] });
    const wT = transpose(wRev, [0, 1, 3, 2]); // [k, k, Co, Ci]
    const dyP = padRows(dy, c, c.Co, 'center', c.slack);
    const out = sameConvForward(dyP, wT, c, c.Co, c.Ci);
    free(wRev, wT, dyP);
    return out;
  }
  if (simd && dy.dtype === 'float32' && (info.strideHeight > 1 || info.strideWidth > 1) && info.dataFormat === 'channelsLast') return stridedBackpropInput(dy, filter, info);
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, inHeight: H, inWidth: W, outHeight: oh, outWidth: ow, batchSize: n, outChannels: co } = info;
  const { top, left } = info.padInfo;
  let d = dy;
  const owned: TensorInfo[] = [];
  if (sh > 1 || sw > 1) {
    // Insert s−1 zeros after every row/column: [n, oh, 1, ow, 1, c] → pad → [n, oh·sh, ow·sw, c].
    const r6 = reshape(dy, [n, oh, 1, ow, 1, co]);
    const p6 = call('PadV2', { x: r6 }, { paddings: [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]], constantValue: 0 });
    d = reshape(p6, [n, oh * sh, ow * sw, co]);
    owned.push(r6, p6, d);
  }
  const Lh = d.shape[1]!, Lw = d.shape[2]!;
  const dP = padOrCrop(d, kh - 1 - top, H + top - Lh, kw - 1 - left, W + left - Lw);
  const wRev = call('Reverse', { x: filter }, { dims: [0, 1] });
  const wT = transpose(wRev, [0, 1, 3, 2]); // [kh, kw, co, ci]
  const out = call('Conv2D', { x: dP, filter: wT }, { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined as unknown as string });
  free(...owned, dP, wRev, wT);
  return out;
}

// BatchMatMul: every float32 case → the SIMD GEMM in wasm-simd.ts (batched, broadcast,
// transposed). Without SIMD: batch 1 with transposes → explicit transpose + XNNPACK 2-D path.
function batchMatMul({ inputs, attrs }: { inputs: Record<string, TensorInfo>; attrs: NamedAttrMap }): TensorInfo {
  const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
  const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
  // The SIMD tile (FMA) beats XNNPACK's 2-D path here too (~45 vs ~34 GFLOP/s on [6400,64]·[64,192]),
  // reads transposed A through strides, and needs no operator/packing per call.
  const fast = simd?.batchMatMul(a, b, transposeA, transposeB);
  if (fast) return fast;
  const batchA = a.shape.slice(0, -2).reduce((p, q) => p * q, 1);
  const batchB = b.shape.slice(0, -2).reduce((p, q) => p * q, 1);
  if (batchA === 1 && batchB === 1) {
    if (!transposeA && !transposeB) return stock.get('BatchMatMul')!({ inputs, attrs, backend: be }) as TensorInfo;
    const swap = (t: TensorInfo) => transpose(t, [...Array(t.shape.length - 2).keys(), t.shape.length - 1, t.shape.length - 2]);
    const a2 = transposeA ? swap(a) : a, b2 = transposeB ? swap(b) : b;
    const out = stock.get('BatchMatMul')!({ inputs: { a: a2, b: b2 }, attrs: { transposeA: false, transposeB: false }, backend: be }) as TensorInfo;
    if (transposeA) free(a2);
    if (transposeB) free(b2);
    return out;
  }
  return stock.get('BatchMatMul')!({ inputs, attrs, backend: be }) as TensorInfo;
}
let simd: SimdKernels | null = null;

// Sum over leading axes (bias gradients: Σ over B·N rows of dY) is a transpose + reduce in
// stock wasm (~10 ms for 6400×192). ones[1,M] · X[M,N] through the SIMD GEMM is ~20× faster.
function sum({ inputs, attrs }: { inputs: Record<string, TensorInfo>; attrs: NamedAttrMap }): TensorInfo {
  const { x } = inputs as { x: TensorInfo };
  const { axis, keepDims } = attrs as unknown as { axis: number | number[]; keepDims: boolean };
  const r = x.shape.length;
  const axes = (Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + r : a)).sort((p, q) => p - q);
  const leading = axes.every((a, i) => a === i) && axes.length < r && x.dtype === 'float32';
  if (!leading) return stock.get('Sum')!({ inputs, attrs, backend: be }) as TensorInfo;
  const m = x.shape.slice(0, axes.length).reduce((p, q) => p * q, 1);
  const rest = x.shape.slice(axes.length);
  const n = rest.reduce((p, q) => p * q, 1);
  if (m < 64) return stock.get('Sum')!({ inputs, attrs, backend: be }) as TensorInfo;
  const outShape0 = keepDims ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : rest;
  if (simd) return simd.columnSum(x, m, n, outShape0);
  const ones = be.makeOutput([1, m], 'float32');
  be.wasm.HEAPF32.fill(1, be.dataIdMap.get(ones.dataId).memoryOffset >>> 2, (be.dataIdMap.get(ones.dataId).memoryOffset >>> 2) + m);
  const x2 = reshape(x, [1, m, n]);
  const s = stock.get('BatchMatMul')!({ inputs: { a: reshape(ones, [1, 1, m]), b: x2 }, attrs: { transposeA: false, transposeB: false }, backend: be }) as TensorInfo;
  const outShape = keepDims ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : rest;
  const out = reshape(s, outShape);
  free(ones, ones, x2, s);
  return out;
}

// Mean over leading axes (BatchNorm's batch statistics over [B, H, W]): column sums / m.
function mean(args: { inputs: Record<string, TensorInfo>; attrs: NamedAttrMap }): TensorInfo {
  const { x } = args.inputs as { x: TensorInfo };
  const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
  const r = x.shape.length;
  const axes = (Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + r : a)).sort((p, q) => p - q);
  const m = x.shape.slice(0, axes.length).reduce((p, q) => p * q, 1);
  if (!simd || x.dtype !== 'float32' || !axes.every((a, i) => a === i) || axes.length >= r || m < 64) return stock.get('Mean')!({ ...args, backend: be }) as TensorInfo;
  const n = x.shape.slice(axes.length).reduce((p, q) => p * q, 1);
  const out = simd.columnSum(x, m, n, keepDims ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x.shape.slice(axes.length));
  const h = be.wasm.HEAPF32, o = ptr(out) >>> 2;
  for (let i = 0; i < n; i++) h[o + i]! /= m;
  return out;
}

// Transpose of rank ≥ 5 (attention's [B,N,3,h,d] → [3,B,h,N,d]) is a generic slow loop in
// stock wasm; merge axes that stay adjacent, then use the SIMD/JS heap kernel.
function transposeKernel({ inputs, attrs }: { inputs: Record<string, TensorInfo>; attrs: NamedAttrMap }): TensorInfo {
  const { x } = inputs as { x: TensorInfo };
  const { perm } = attrs as unknown as { perm: number[] };
  const fast = heapTranspose(x, perm);
  return fast ?? (stock.get('Transpose')!({ inputs, attrs, backend: be }) as TensorInfo);
}

/** Collapses runs of input axes that stay adjacent and in order under `perm`. */
export function simplifyPermutation(shape: readonly number[], perm: readonly number[]): { shape: number[]; perm: number[] } {
  // Drop size-1 axes, renumber the rest 0…k−1 in input order, then merge runs of axes that stay
  // adjacent. Renumbering first matters: [2,49,1,16] with perm [0,2,1,3] only moves a size-1 axis,
  // so it must come out as the identity (a reshape), not as a 2-D swap of [98,16].
  const kept = perm.filter((p) => shape[p] !== 1);
  const inputOrder = [...kept].sort((a, b) => a - b);
  const rank = kept.map((p) => inputOrder.indexOf(p));
  const groups: number[][] = [];
  for (const r of rank) {
    const g = groups[groups.length - 1];
    if (g && g[g.length - 1]! + 1 === r) g.push(r);
    else groups.push([r]);
  }
  const order = [...groups].sort((g1, g2) => g1[0]! - g2[0]!);
  const newShape = order.map((g) => g.reduce((s, r) => s * shape[inputOrder[r]!]!, 1));
  const newPerm = groups.map((g) => order.indexOf(g));
  return { shape: newShape, perm: newPerm };
}

function heapTranspose(x: TensorInfo, perm: number[]): TensorInfo | null {
  if (x.dtype !== 'float32') return null;
  const s = simplifyPermutation(x.shape, perm);
  const outShape = perm.map((p) => x.shape[p]!);
  if (s.perm.every((p, i) => p === i)) return reshape(x, outShape); // a no-op permutation: share the buffer
  // [A, B, C, D] → [A, C, B, D] (attention's head split/merge): a batched block transpose,
  // D floats per block, done with memory.copy per block instead of per element.
  if (simd && s.perm.length === 4 && s.perm.join() === '0,2,1,3' && s.shape[3]! >= 4) {
    const out = be.makeOutput(outShape, 'float32');
    simd.blockTranspose(be.dataIdMap.get(x.dataId).memoryOffset, be.dataIdMap.get(out.dataId).memoryOffset, s.shape[0]!, s.shape[1]!, s.shape[2]!, 4 * s.shape[3]!);
    return out;
  }
  if (simd && s.perm.length === 3 && s.perm.join() === '1,0,2' && s.shape[2]! >= 4) {
    const out = be.makeOutput(outShape, 'float32');
    simd.blockTranspose(be.dataIdMap.get(x.dataId).memoryOffset, be.dataIdMap.get(out.dataId).memoryOffset, 1, s.shape[0]!, s.shape[1]!, 4 * s.shape[2]!);
    return out;
  }
  // ≤ 4-D after merging: the stock kernel is fast; 2-D and 3-D swaps go to SIMD if present.
  if (s.perm.length <= 4 && !(simdTranspose && (s.perm.length === 2 || (s.perm.length === 3 && s.perm[0] === 0 && s.perm[1] === 2)))) {
    if (s.perm.length === x.shape.length) return null;
    const xr = reshape(x, s.shape);
    const t = call('Transpose', { x: xr }, { perm: s.perm });
    const out = reshape(t, outShape);
    free(xr, t);
    return out;
  }
  const out = be.makeOutput(outShape, 'float32');
  const src = be.dataIdMap.get(x.dataId).memoryOffset, dst = be.dataIdMap.get(out.dataId).memoryOffset;
  if (simdTranspose && s.perm.length === 2) { simdTranspose(src, dst, 1, s.shape[0]!, s.shape[1]!); return out; }
  if (simdTranspose && s.perm.length === 3 && s.perm[0] === 0 && s.perm[1] === 2) { simdTranspose(src, dst, s.shape[0]!, s.shape[1]!, s.shape[2]!); return out; }
  jsTranspose(be.wasm.HEAPF32, src >>> 2, dst >>> 2, s.shape, s.perm);
  return out;
}
let simdTranspose: ((src: number, dst: number, batch: number, rows: number, cols: number) => void) | null = null;

/** Generic N-D transpose on the heap; innermost loop runs over the output's last axis. */
export function jsTranspose(heap: Float32Array, src: number, dst: number, shape: number[], perm: number[]): void {
  const r = shape.length;
  const inStride = new Array<number>(r);
  let acc = 1;
  for (let i = r - 1; i >= 0; i--) { inStride[i] = acc; acc *= shape[i]!; }
  const oShape = perm.map((p) => shape[p]!), oStride = perm.map((p) => inStride[p]!);
  const idx = new Array<number>(r).fill(0);
  const last = oShape[r - 1]!, lastStride = oStride[r - 1]!;
  const total = acc;
  let o = dst, base = src;
  while (o < dst + total) {
    for (let k = 0, s = base; k < last; k++, s += lastStride) heap[o++] = heap[s]!;
    // Increment the multi-index over the leading r−1 output axes.
    for (let ax = r - 2; ax >= 0; ax--) {
      idx[ax]!++;
      base += oStride[ax]!;
      if (idx[ax]! < oShape[ax]!) break;
      base -= oStride[ax]! * oShape[ax]!;
      idx[ax] = 0;
    }
  }
}

// Depthwise backprops are not registered on wasm; they are cheap (no channel mixing), so a
// tight loop on the heap is enough. Channel multiplier m: filter [kh, kw, C, m].
function depthwiseBackpropFilter({ inputs, attrs }: { inputs: Record<string, TensorInfo>; attrs: NamedAttrMap }): TensorInfo {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, dilations, pad, dimRoundingMode, filterShape } = attrs as unknown as {
    strides: number | [number, number]; dilations: number | [number, number]; pad: 'same' | 'valid' | number | backend_util.ExplicitPadding;
    dimRoundingMode?: 'floor' | 'round' | 'ceil'; filterShape: [number, number, number, number];
  };
  const ci = backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, strides, dilations, pad, dimRoundingMode, true);
  const out = be.makeOutput(filterShape, 'float32');
  const h = be.wasm.HEAPF32;
  const xo = be.dataIdMap.get(x.dataId).memoryOffset >>> 2, dyo = be.dataIdMap.get(dy.dataId).memoryOffset >>> 2, wo = be.dataIdMap.get(out.dataId).memoryOffset >>> 2;
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, outChannels: CO, filterHeight: KH, filterWidth: KW,
    strideHeight: SH, strideWidth: SW, dilationHeight: DH, dilationWidth: DW } = ci;
  const m = CO / C, pt = ci.padInfo.top, pl = ci.padInfo.left;
  h.fill(0, wo, wo + KH * KW * CO);
  for (let i = 0; i < KH; i++) for (let j = 0; j < KW; j++) {
    const wBase = wo + (i * KW + j) * CO;
    for (let n = 0; n < N; n++) for (let y = 0; y < OH; y++) {
      const iy = y * SH + i * DH - pt;
      if (iy < 0 || iy >= H) continue;
      for (let xx = 0; xx < OW; xx++) {
        const ix = xx * SW + j * DW - pl;
        if (ix < 0 || ix >= W) continue;
        const xBase = xo + ((n * H + iy) * W + ix) * C, dBase = dyo + ((n * OH + y) * OW + xx) * CO;
        for (let c = 0; c < C; c++) { const xv = h[xBase + c]!; for (let q = 0; q < m; q++) h[wBase + c * m + q]! += xv * h[dBase + c * m + q]!; }
      }
    }
  }
  return out;
}

function depthwiseBackpropInput({ inputs, attrs }: { inputs: Record<string, TensorInfo>; attrs: NamedAttrMap }): TensorInfo {
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const { strides, dilations, pad, dimRoundingMode, inputShape } = attrs as unknown as {
    strides: number | [number, number]; dilations: number | [number, number]; pad: 'same' | 'valid' | number | backend_util.ExplicitPadding;
    dimRoundingMode?: 'floor' | 'round' | 'ceil'; inputShape: [number, number, number, number];
  };
  const ci = backend_util.computeConv2DInfo(inputShape, filter.shape as [number, number, number, number], strides, dilations, pad, dimRoundingMode, true);
  const out = be.makeOutput(inputShape, 'float32');
  const h = be.wasm.HEAPF32;
  const dxo = be.dataIdMap.get(out.dataId).memoryOffset >>> 2, dyo = be.dataIdMap.get(dy.dataId).memoryOffset >>> 2, wo = be.dataIdMap.get(filter.dataId).memoryOffset >>> 2;
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, outChannels: CO, filterHeight: KH, filterWidth: KW,
    strideHeight: SH, strideWidth: SW, dilationHeight: DH, dilationWidth: DW } = ci;
  const m = CO / C, pt = ci.padInfo.top, pl = ci.padInfo.left;
  h.fill(0, dxo, dxo + N * H * W * C);
  for (let n = 0; n < N; n++) for (let y = 0; y < OH; y++) for (let i = 0; i < KH; i++) {
    const iy = y * SH + i * DH - pt;
    if (iy < 0 || iy >= H) continue;
    for (let xx = 0; xx < OW; xx++) for (let j = 0; j < KW; j++) {
      const ix = xx * SW + j * DW - pl;
      if (ix < 0 || ix >= W) continue;
      const xBase = dxo + ((n * H + iy) * W + ix) * C, dBase = dyo + ((n * OH + y) * OW + xx) * CO, wBase = wo + (i * KW + j) * CO;
      for (let c = 0; c < C; c++) { let acc = 0; for (let q = 0; q < m; q++) acc += h[dBase + c * m + q]! * h[wBase + c * m + q]!; h[xBase + c]! += acc; }
    }
  }
  return out;
}

// Slice: stock wasm copies element by element through a generic N-D loop (~20 ms for the
// q/k/v split of [128,50,192]). Here: copy contiguous runs with copyWithin (memmove).
function slice({ inputs, attrs }: { inputs: Record<string, TensorInfo>; attrs: NamedAttrMap }): TensorInfo {
  const { x } = inputs as { x: TensorInfo };
  const { begin, size } = attrs as unknown as { begin: number[]; size: number[] };
  const r = x.shape.length;
  const b = Array.from({ length: r }, (_, i) => begin[i] ?? 0);
  const sz = Array.from({ length: r }, (_, i) => (size[i] === undefined || size[i] === -1 ? x.shape[i]! - b[i]! : size[i]!));
  // Innermost axis that is cut: everything after it is a contiguous run.
  let cut = r - 1;
  while (cut > 0 && b[cut] === 0 && sz[cut] === x.shape[cut]) cut--;
  const inner = x.shape.slice(cut + 1).reduce((p, q) => p * q, 1);
  const run = sz[cut]! * inner;
  if (x.dtype !== 'float32' || run < 16) return stock.get('Slice')!({ inputs, attrs, backend: be }) as TensorInfo;
  const out = be.makeOutput(sz, 'float32');
  const h = be.wasm.HEAPF32;
  const src = be.dataIdMap.get(x.dataId).memoryOffset >>> 2, dst = be.dataIdMap.get(out.dataId).memoryOffset >>> 2;
  const strides = new Array<number>(r);
  let acc = 1;
  for (let i = r - 1; i >= 0; i--) { strides[i] = acc; acc *= x.shape[i]!; }
  const outer = sz.slice(0, cut);
  const nRuns = outer.reduce((p, q) => p * q, 1);
  const idx = new Array<number>(cut).fill(0);
  let o = dst;
  for (let k = 0; k < nRuns; k++) {
    let s0 = src + b[cut]! * strides[cut]!;
    for (let i = 0; i < cut; i++) s0 += (b[i]! + idx[i]!) * strides[i]!;
    h.copyWithin(o, s0, s0 + run);
    o += run;
    for (let i = cut - 1; i >= 0; i--) { if (++idx[i]! < outer[i]!) break; idx[i] = 0; }
  }
  return out;
}

// Identity: tensors are immutable, so share the buffer (as the cpu backend and wasm's Reshape
// do) instead of copying it; hundreds of clones per ViT step come from casts and gradients.
function identity({ inputs }: { inputs: Record<string, TensorInfo>; attrs: NamedAttrMap }): TensorInfo {
  const { x } = inputs as { x: TensorInfo };
  (be as unknown as { incRef(d: object): void }).incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

// Cast to the same dtype (tfjs casts float32 → float32 all over its gradients): share.
function cast(args: { inputs: Record<string, TensorInfo>; attrs: NamedAttrMap }): TensorInfo {
  const { x } = args.inputs as { x: TensorInfo };
  if ((args.attrs as { dtype?: string }).dtype === x.dtype) return identity(args);
  return stock.get('Cast')!({ ...args, backend: be }) as TensorInfo;
}

// SplitV: the stock kernel calls the stock (slow) slice; route each piece through ours.
function splitV({ inputs, attrs }: { inputs: Record<string, TensorInfo>; attrs: NamedAttrMap }): TensorInfo[] {
  const { x } = inputs as { x: TensorInfo };
  const { numOrSizeSplits, axis } = attrs as unknown as { numOrSizeSplits: number | number[]; axis: number };
  const ax = axis < 0 ? axis + x.shape.length : axis;
  const sizes = backend_util.prepareSplitSize(x as unknown as tf.Tensor, numOrSizeSplits, ax);
  const begin = new Array<number>(x.shape.length).fill(0);
  return sizes.map((sz) => {
    const size = [...x.shape]; size[ax] = sz;
    const piece = slice({ inputs: { x }, attrs: { begin: [...begin], size } });
    begin[ax]! += sz;
    return piece;
  });
}

// Tile (and so broadcastTo, used by BatchNorm's and reductions' gradients) is a generic
// per-element loop in stock wasm (~0.7 s per ResNet step). Here: write each input row once
// (fill when it is a single value), then replicate whole blocks with copyWithin.
function tile({ inputs, attrs }: { inputs: Record<string, TensorInfo>; attrs: NamedAttrMap }): TensorInfo {
  const { x } = inputs as { x: TensorInfo };
  const { reps } = attrs as unknown as { reps: number[] };
  if (x.dtype !== 'float32' || x.shape.length === 0) return stock.get('Tile')!({ inputs, attrs, backend: be }) as TensorInfo;
  const r = x.shape.length;
  const outShape = x.shape.map((d, i) => d * reps[i]!);
  const out = be.makeOutput(outShape, 'float32');
  const h = be.wasm.HEAPF32;
  const inStride = new Array<number>(r), outStride = new Array<number>(r);
  let a = 1, b = 1;
  for (let i = r - 1; i >= 0; i--) { inStride[i] = a; outStride[i] = b; a *= x.shape[i]!; b *= outShape[i]!; }
  const rec = (ax: number, src: number, dst: number): void => {
    const n = x.shape[ax]!, block = n * outStride[ax]!;
    if (ax === r - 1) {
      if (n === 1) h.fill(h[src]!, dst, dst + reps[ax]!);
      else { h.copyWithin(dst, src, src + n); for (let k = 1, len = n; k < reps[ax]!; k *= 2, len *= 2) h.copyWithin(dst + len, dst, dst + Math.min(len, n * reps[ax]! - len)); }
      return;
    }
    for (let i = 0; i < n; i++) rec(ax + 1, src + i * inStride[ax]!, dst + i * outStride[ax]!);
    const total = block * reps[ax]!;
    for (let len = block; len < total; len *= 2) h.copyWithin(dst + len, dst, dst + Math.min(len, total - len));
  };
  rec(0, be.dataIdMap.get(x.dataId).memoryOffset >>> 2, be.dataIdMap.get(out.dataId).memoryOffset >>> 2);
  return out;
}


/**
 * UnsortedSegmentSum: the gradient of Gather (e.g. Swin's relative-position-bias lookup) has no
 * wasm kernel in tfjs-backend-wasm 4.22. A plain loop over the heap; out-of-range ids are dropped
 * as tfjs specifies.
 */
function unsortedSegmentSum({ inputs, attrs }: { inputs: Record<string, TensorInfo>; attrs: NamedAttrMap }): TensorInfo {
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

type KF = (a: { inputs: Record<string, TensorInfo>; attrs: NamedAttrMap }) => TensorInfo;
const OVERRIDES: Record<string, KF> = {
  Conv2D: conv2D,
  Conv2DBackpropFilter: conv2DBackpropFilter,
  Conv2DBackpropInput: conv2DBackpropInput,
  BatchMatMul: batchMatMul,
  Sum: sum,
  Mean: mean,
  Transpose: transposeKernel,
  Slice: slice,
  Identity: identity,
  Cast: cast,
  SplitV: splitV as unknown as KF,
  Tile: tile,
  DepthwiseConv2dNativeBackpropFilter: depthwiseBackpropFilter,
  DepthwiseConv2dNativeBackpropInput: depthwiseBackpropInput,
  UnsortedSegmentSum: unsortedSegmentSum,
};

let registered: string[] | null = null;

/** Registers the fast kernels on the (initialised) wasm backend. Idempotent. */
export function registerFastWasmKernels(backend: WasmBackendLike): string[] {
  if (registered) return registered;
  be = backend;
  for (const name of [...Object.keys(OVERRIDES), 'Reshape', 'PadV2', 'Reverse']) {
    const k = tf.getKernel(name, 'wasm');
    if (k && !stock.has(name)) stock.set(name, k.kernelFunc);
  }
  const names: string[] = [];
  const skip = new Set((process.env.ATLAS_WASM_SKIP ?? '').split(',').filter(Boolean)); // debugging only
  for (const [name, fn] of Object.entries(OVERRIDES)) {
    if (skip.has(name)) continue;
    if (tf.getKernel(name, 'wasm')) tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: ((a: { inputs: Record<string, TensorInfo>; attrs: NamedAttrMap; backend: unknown }) => { be = a.backend as unknown as WasmBackendLike; return fn(a); }) as unknown as KernelConfig['kernelFunc'] });
    names.push(name);
  }
  if (simdAvailable() && !skip.has('simd')) {
    simd = registerSimdKernels(backend);
    simdTranspose = simd.transpose;
    names.push(...simd.names);
  }
  registerReductionGradients();
  names.push('grad:Sum', 'grad:Mean');
  registered = names;
  return names;
}

// tfjs's Sum/Mean gradients materialise ones(x.shape) in JS (makeOnesTypedArray, then an
// upload and a broadcasting multiply) every call: LayerNorm alone does this ~50× per ViT step.
// Same maths with broadcastTo (our Tile): no JS-side array, no multiply. Backend-agnostic.
function registerReductionGradients(): void {
  const expanded = (dy: tf.Tensor, shape: number[], axis: number | number[]) => {
    const axes = tf.util.parseAxisParam(axis, shape);
    const e = shape.slice();
    axes.forEach((a) => { e[a] = 1; });
    return { dy: tf.reshape(dy, e), size: axes.reduce((p, a) => p * shape[a]!, 1) };
  };
  tf.registerGradient({
    kernelName: 'Sum', inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const x = saved[0]!;
      return { x: () => tf.broadcastTo(expanded(dy as tf.Tensor, x.shape, (attrs as { axis: number | number[] }).axis).dy, x.shape).toFloat() };
    },
  });
  tf.registerGradient({
    kernelName: 'Mean', inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const x = saved[0]!;
      const e = expanded(dy as tf.Tensor, x.shape, (attrs as { axis: number | number[] }).axis);
      return { x: () => tf.broadcastTo(tf.div(e.dy, e.size), x.shape) };
    },
  });
}

/**
 * A fused AdamW step on the wasm heap: the global gradient norm (one SIMD pass per gradient)
 * and one pass per parameter writing new p, m, v buffers, instead of ~14 tfjs kernels per
 * parameter (≈1000 dispatches per mini-ViT step). Null when not on wasm with our kernels.
 */
export function fusedAdamW(vars: tf.Variable[], cfg: { beta1: number; beta2: number; eps: number; weightDecay: number; gradClip: number }, decays: (v: tf.Variable) => boolean) {
  if (!simd || tf.getBackend() !== 'wasm' || vars.some((v) => v.dtype !== 'float32')) return null;
  const kernels = simd;
  const m = vars.map((v) => tf.variable(tf.zerosLike(v), false));
  const s = vars.map((v) => tf.variable(tf.zerosLike(v), false));
  const decay = vars.map(decays);
  const addr = (t: tf.Tensor) => be.dataIdMap.get(t.dataId).memoryOffset;
  return {
    step(grads: tf.NamedTensorMap, lr: number, step: number): void {
      const gs = vars.map((v) => { const g = grads[v.name]; if (!g) throw new Error(`no gradient for ${v.name}`); return g; });
      let scale = 1;
      if (cfg.gradClip > 0) {
        let ss = 0;
        for (const g of gs) ss += kernels.raw.sumsq(addr(g), g.size);
        scale = Math.min(1, cfg.gradClip / (Math.sqrt(ss) + 1e-6));
      }
      const ibc1 = 1 / (1 - cfg.beta1 ** (step + 1)), ibc2 = 1 / (1 - cfg.beta2 ** (step + 1));
      vars.forEach((v, i) => {
        const outs = [0, 1, 2].map(() => tf.engine().makeTensorFromTensorInfo(be.makeOutput([...v.shape], 'float32')));
        kernels.raw.adamw(addr(v), addr(gs[i]!), addr(m[i]!), addr(s[i]!), addr(outs[0]!), addr(outs[1]!), addr(outs[2]!), v.size,
          lr, cfg.beta1, 1 - cfg.beta1, cfg.beta2, 1 - cfg.beta2, cfg.eps, decay[i] ? 1 - lr * cfg.weightDecay : 1, ibc1, ibc2, scale);
        v.assign(outs[0]!); m[i]!.assign(outs[1]!); s[i]!.assign(outs[2]!);
        tf.dispose(outs);
      });
    },
    dispose: () => tf.dispose([...m, ...s]),
  };
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
