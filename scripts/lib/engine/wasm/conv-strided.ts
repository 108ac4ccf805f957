// Strided convolution gradients (ResNet's stride-2 3×3 convs) as GEMMs on phase grids.
import { backend_util, type TensorInfo } from '@tensorflow/tfjs';
import { be, free, ptr, simd, transpose } from './state';
import { CHUNK } from './conv-grid';

// Strided transposed convolution (dX of a stride-s conv) by phases, without zero-dilating dY:
// output rows h = a·s + r of phase r receive only the taps i with (r + top − i) ≡ 0 (mod s),
// from dY row a + δᵢ, δᵢ = (r + top − i)/s. Each phase is a sum of per-tap GEMMs over a
// zero-padded dY grid (as in conv-grid.ts's same-conv), then scattered into dX with stride s.
// Total work = the forward's (the dilation route did s² times as much, mostly on zeros).
export function stridedBackpropInput(dy: TensorInfo, filter: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
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
export function stridedBackpropFilter(x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
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
