/**
 * Attention variants, all on one core (`attend`):
 *  - mhsa: ViT's multi-head self-attention, with PVT's spatial reduction of keys/values (sr_ratio);
 *  - windowAttention: Swin's (shifted) window attention with a relative position bias;
 *  - convProjAttention: CvT's convolutional projection of q/k/v.
 * Matmuls are written naturally on [B·h, N, d]; the engine makes them fast per backend.
 */
import type { Graph, T } from '../nn/graph';
import { truncNormal } from '../nn/rng';
import { batchNorm, conv, layerNorm, linear, toMap, toTokens } from './core';

export interface AttendOpts {
  scale?: number; // default dk^−½
  /** Adds to the logits [B, h, N, M] (relative position bias, shift mask). */
  bias?: (g: Graph, logits: T) => T;
  /** How far attention mixes tokens, for the receptive-field count: window steps or global. */
  mix?: 'global' | { steps: number };
  attnDrop?: number;
}

/**
 * Scaled dot-product attention over heads. q [B, N, h·dk], k [B, M, h·dk], v [B, M, h·dv] →
 * [B, N, h·dv]. Taps the probabilities as [B, h, N, M] under the current scope.
 * MACs: QKᵀ = B·h·N·M·dk, AV = B·h·N·M·dv.
 */
export function attend(g: Graph, q: T, k: T, v: T, heads: number, o: AttendOpts = {}): T {
  const [B, N, Ck] = q.shape as [number, number, number];
  const M = k.shape[1]!;
  const dk = Ck / heads;
  const dv = v.shape[2]! / heads;
  const split = (t: T, n: number, d: number) =>
    g.reshape(g.transpose(g.reshape(t, [B, n, heads, d]), [0, 2, 1, 3]), [B * heads, n, d]); // [B·h, n, d]
  const qh = split(g.mul(q, o.scale ?? dk ** -0.5), N, dk);
  const kh = split(k, M, dk);
  const vh = split(v, M, dv);
  let logits = g.matMul(qh, kh, false, true); // [B·h, N, M]
  if (o.bias) logits = g.reshape(o.bias(g, g.reshape(logits, [B, heads, N, M])), [B * heads, N, M]);
  const probs = g.dropout(g.softmax(logits), o.attnDrop ?? 0);
  if (g.wantsTaps) g.tap(g.reshape(probs, [B, heads, N, M])); // [B, h, N, M]
  const out = g.matMul(probs, vh); // [B·h, N, dv]
  const merged = g.reshape(g.transpose(g.reshape(out, [B, heads, N, dv]), [0, 2, 1, 3]), [B, N, heads * dv]); // [B, N, h·dv]
  return g.mixed(merged, o.mix ?? 'global');
}

/** Split the last axis into equal parts: [.., n·C] → n × [.., C]. */
export function splitLast(g: Graph, x: T, n: number): T[] {
  const r = x.shape.length;
  const c = x.shape[r - 1]! / n;
  return Array.from({ length: n }, (_, i) =>
    g.slice(x, x.shape.map((_, j) => (j === r - 1 ? i * c : 0)), x.shape.map((d, j) => (j === r - 1 ? c : d))),
  );
}

export interface MhsaOpts {
  qkvBias?: boolean; // default true
  /** PVT's spatial-reduction ratio R: keys/values from an R×R-strided conv of the token grid. */
  srRatio?: number;
  /** Token grid, needed when srRatio > 1 (tokens must be exactly h·w, no class token). */
  grid?: readonly [number, number];
  attnDrop?: number;
  projDrop?: number;
  bias?: AttendOpts['bias'];
}

/** Multi-head self-attention on tokens [B, N, C] (ViT §3.1; PVT §3.3 with srRatio > 1). */
export function mhsa(g: Graph, x: T, heads: number, o: MhsaOpts = {}): T {
  const C = x.shape[2]!;
  const bias = o.qkvBias ?? true;
  let q: T;
  let k: T;
  let v: T;
  const sr = o.srRatio ?? 1;
  if (sr > 1) {
    if (!o.grid) throw new Error(`${g.path}: spatial reduction needs the token grid`);
    q = linear(g.at('q'), x, C, { bias });
    let kvIn = conv(g.at('sr'), toMap(g, x, o.grid[0], o.grid[1]), C, sr, { stride: sr, pad: 0 }); // [B, h/R, w/R, C]
    kvIn = layerNorm(g.at('norm'), toTokens(g, kvIn)); // [B, hw/R², C]
    [k, v] = splitLast(g, linear(g.at('kv'), kvIn, 2 * C, { bias }), 2) as [T, T];
  } else {
    [q, k, v] = splitLast(g, linear(g.at('qkv'), x, 3 * C, { bias }), 3) as [T, T, T];
  }
  const y = attend(g, q, k, v, heads, { ...(o.bias ? { bias: o.bias } : {}), attnDrop: o.attnDrop ?? 0 });
  return g.dropout(linear(g.at('proj'), y, C), o.projDrop ?? 0);
}

// ------------------------------------------------------------------ windows

/** [B, H, W, C] → windows [B·nH·nW, wh·ww, C], with 4-D transposes only (5-D ones are slow on wasm). */
export function windowPartition(g: Graph, x: T, wh: number, ww: number): T {
  const [B, H, W, C] = x.shape as [number, number, number, number];
  const y = g.reshape(x, [B * (H / wh), wh, W / ww, ww * C]); // [B·nH, wh, nW, ww·C]
  return g.reshape(g.transpose(y, [0, 2, 1, 3]), [B * (H / wh) * (W / ww), wh * ww, C]); // [B·nH·nW, wh·ww, C]
}

/** Inverse of windowPartition: [B·nH·nW, wh·ww, C] → [B, H, W, C]. */
export function windowReverse(g: Graph, x: T, wh: number, ww: number, H: number, W: number): T {
  const C = x.shape[2]!;
  const B = x.shape[0]! / ((H / wh) * (W / ww));
  const y = g.reshape(x, [B * (H / wh), W / ww, wh, ww * C]); // [B·nH, nW, wh, ww·C]
  return g.reshape(g.transpose(y, [0, 2, 1, 3]), [B, H, W, C]); // [B, H, W, C]
}

/**
 * MaxViT's grid partition: G×G tokens strided H/G apart form one "window" (dilated, global mixing).
 * [B, H, W, C] → [B·(H/G)·(W/G), G·G, C].
 */
export function gridPartition(g: Graph, x: T, G: number): T {
  const [B, H, W, C] = x.shape as [number, number, number, number];
  const hy = H / G;
  const hx = W / G;
  let y = g.transpose(g.reshape(x, [B, G, hy, W * C]), [0, 2, 1, 3]); // [B, hy, gy, (gx, hx, C)]
  y = g.transpose(g.reshape(y, [B * hy * G, G, hx, C]), [0, 2, 1, 3]); // [(B, hy, gy), hx, gx, C]
  y = g.transpose(g.reshape(y, [B * hy, G, hx, G * C]), [0, 2, 1, 3]); // [(B, hy), hx, gy, (gx, C)]
  return g.reshape(y, [B * hy * hx, G * G, C]); // [B·hy·hx, G², C]
}

/** Inverse of gridPartition. */
export function gridReverse(g: Graph, x: T, G: number, H: number, W: number): T {
  const C = x.shape[2]!;
  const hy = H / G;
  const hx = W / G;
  const B = x.shape[0]! / (hy * hx);
  let y = g.transpose(g.reshape(x, [B * hy, hx, G, G * C]), [0, 2, 1, 3]); // [(B, hy), gy, hx, (gx, C)]
  y = g.transpose(g.reshape(y, [B * hy * G, hx, G, C]), [0, 2, 1, 3]); // [(B, hy, gy), gx, hx, C]
  y = g.transpose(g.reshape(y, [B, hy, G, W * C]), [0, 2, 1, 3]); // [B, gy, hy, (gx, hx, C)]
  return g.reshape(y, [B, H, W, C]);
}

/** Index of (Δy, Δx) into a (2wh−1)(2ww−1) relative-position table, for every token pair of a window. */
export function relativePositionIndex(wh: number, ww: number): Int32Array {
  const n = wh * ww;
  const idx = new Int32Array(n * n);
  for (let i = 0; i < n; i++) {
    const yi = Math.floor(i / ww);
    const xi = i % ww;
    for (let j = 0; j < n; j++) {
      const dy = yi - Math.floor(j / ww) + wh - 1;
      const dx = xi - (j % ww) + ww - 1;
      idx[i * n + j] = dy * (2 * ww - 1) + dx;
    }
  }
  return idx;
}

/** Learned relative position bias [h, N, N] for an wh×ww window (Swin §3.2 "Relative position bias"). */
export function relativePositionBias(g: Graph, heads: number, wh: number, ww: number): T {
  const n = wh * ww;
  const table = g.param('relative_position_bias_table', [(2 * wh - 1) * (2 * ww - 1), heads], truncNormal(0.02));
  const index = g.constant(`relpos${wh}x${ww}`, [n * n], 'int32', () => relativePositionIndex(wh, ww));
  const bias = g.reshape(g.gather(table, index), [n, n, heads]); // [N, N, h]
  return g.transpose(bias, [2, 0, 1]); // [h, N, N]
}

/** Swin's shifted-window mask [nW, N, N]: 0 within a region, −100 across the rolled seam. */
export function shiftMask(H: number, W: number, win: number, shift: number): Float32Array {
  const label = new Int32Array(H * W);
  const region = (p: number, n: number) => (p < n - win ? 0 : p < n - shift ? 1 : 2);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) label[y * W + x] = region(y, H) * 3 + region(x, W);
  const nW = (H / win) * (W / win);
  const N = win * win;
  const mask = new Float32Array(nW * N * N);
  for (let wy = 0; wy < H / win; wy++) {
    for (let wx = 0; wx < W / win; wx++) {
      const w = wy * (W / win) + wx;
      const lab = (t: number) => label[(wy * win + Math.floor(t / win)) * W + wx * win + (t % win)]!;
      for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) mask[(w * N + i) * N + j] = lab(i) === lab(j) ? 0 : -100;
    }
  }
  return mask;
}

export interface WindowAttentionOpts {
  window: number;
  shift: number; // 0 for W-MSA, ⌊window/2⌋ for SW-MSA
  qkvBias?: boolean;
  attnDrop?: number;
}

/**
 * Swin's W-MSA / SW-MSA on a map [B, H, W, C] → [B, H, W, C] (Liu et al. 2021, §3.2).
 * The map is zero-padded to a multiple of the window (as Swin's detection code does), so any
 * resolution can be counted; shifted windows are masked where the roll wraps around.
 */
export function windowAttention(g: Graph, x: T, heads: number, o: WindowAttentionOpts): T {
  const [B, H, W, C] = x.shape as [number, number, number, number];
  const win = o.window;
  const Hp = Math.ceil(H / win) * win;
  const Wp = Math.ceil(W / win) * win;
  let y = Hp !== H || Wp !== W ? g.pad(x, [[0, 0], [0, Hp - H], [0, Wp - W], [0, 0]]) : x;
  if (o.shift > 0) y = g.roll(y, -o.shift, [1, 2]);
  const windows = windowPartition(g, y, win, win); // [B·nW, N, C]
  const [q, k, v] = splitLast(g, linear(g.at('qkv'), windows, 3 * C, { bias: o.qkvBias ?? true }), 3) as [T, T, T];
  const relBias = relativePositionBias(g, heads, win, win); // [h, N, N]
  const nW = (Hp / win) * (Wp / win);
  const N = win * win;
  const mask = o.shift > 0 ? g.constant(`shiftmask${Hp}x${Wp}w${win}s${o.shift}`, [1, nW, 1, N, N], 'float32', () => shiftMask(Hp, Wp, win, o.shift)) : null;
  const bias = (gg: Graph, logits: T): T => {
    const withRel = gg.add(logits, relBias); // [B·nW, h, N, N]
    if (!mask) return withRel;
    const masked = gg.add(gg.reshape(withRel, [B, nW, heads, N, N]), mask); // [B, nW, h, N, N]
    return gg.reshape(masked, [B * nW, heads, N, N]);
  };
  const out = attend(g, q, k, v, heads, { bias, mix: { steps: win }, attnDrop: o.attnDrop ?? 0 });
  let z = windowReverse(g, linear(g.at('proj'), out, C), win, win, Hp, Wp); // [B, Hp, Wp, C]
  if (o.shift > 0) z = g.roll(z, o.shift, [1, 2]);
  if (Hp !== H || Wp !== W) z = g.slice(z, [0, 0, 0, 0], [B, H, W, C]);
  return z;
}

export interface ConvProjOpts {
  kernel?: number; // default 3
  kvStride?: number; // default 2 (CvT's "squeezed" keys/values)
  cls?: boolean; // a class token leads the sequence and skips the convs
  qkvBias?: boolean;
}

/**
 * CvT's convolutional projection (Wu et al. 2021, §3.2): q, k, v each from a depthwise k×k conv
 * + BN on the token map (k, v strided), then a linear projection. x [B, (1+)h·w, C].
 */
export function convProjAttention(g: Graph, x: T, heads: number, h: number, w: number, o: ConvProjOpts = {}): T {
  const [B, , C] = x.shape as [number, number, number];
  const kernel = o.kernel ?? 3;
  let cls: T | null = null;
  let body = x;
  if (o.cls) {
    cls = g.slice(x, [0, 0, 0], [B, 1, C]); // [B, 1, C]
    body = g.slice(x, [0, 1, 0], [B, h * w, C]); // [B, hw, C]
  }
  const map = toMap(g, body, h, w);
  const proj = (name: string, stride: number): T => {
    const s = g.at(`conv_proj_${name}`);
    let t = conv(s.at('conv'), map, C, kernel, { groups: 'dw', stride, bias: false });
    t = toTokens(g, batchNorm(s.at('bn'), t)); // [B, h'·w', C]
    if (cls) t = g.concat([cls, t], 1);
    return linear(g.at(`proj_${name}`), t, C, { bias: o.qkvBias ?? true });
  };
  const q = proj('q', 1);
  const k = proj('k', o.kvStride ?? 2);
  const v = proj('v', o.kvStride ?? 2);
  return linear(g.at('proj'), attend(g, q, k, v, heads), C);
}
