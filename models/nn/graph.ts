/**
 * Graph: the one op set every layer in the zoo is written against, run in two modes.
 *
 *  - 'run'   : real tfjs tensors on the active backend (training, inference, taps).
 *  - 'count' : symbolic shapes only. Nothing is allocated unless a ParamStore asks to
 *              materialise parameters (model creation does, analyses of ViT-L/Swin-B don't).
 *
 * Both modes infer each op's output shape the same way and report to an optional
 * Recorder: per scoped path, parameters, multiply-adds, activation sizes. In run mode the
 * inferred shape is checked against the real one, so the counting path is tested by
 * every forward pass of every instantiated model.
 *
 * Layer code takes a scoped Graph (`g.at('attn')`) and calls `g.param`, `g.matMul`,
 * `g.conv2d`, ... Parameter paths are the scope joined by dots: `block03.attn.qkv.w`.
 */
import * as tf from '@tensorflow/tfjs';
import * as fused from './ops';
import type { Init } from './rng';
import type { ParamStore } from './store';

/** A tensor handle: a tf.Tensor in run mode, a Sym in count mode. Layers see only the shape. */
export interface T {
  readonly shape: readonly number[];
}

/** Symbolic tensor of count mode. `rf`/`jump`: theoretical receptive field bookkeeping (px). */
export class Sym implements T {
  constructor(
    readonly shape: number[],
    readonly buf: number, // activation buffer id (-1: a weight or constant, not an activation)
    public rf: number, // largest receptive field among its elements, input px (Infinity: global)
    public jump: number, // input px per step of the spatial grid it lives on (0: none)
  ) {}
}

export type Act = 'relu' | 'relu6' | 'gelu' | 'gelu_tanh' | 'silu' | 'hardswish' | 'sigmoid' | 'tanh' | 'identity';
export type Unary = Act | 'exp' | 'sqrt' | 'rsqrt' | 'square' | 'neg' | 'abs' | 'erf' | 'hardsigmoid';
/** Conv/pool padding: symmetric pixels, or [top, bottom, left, right]. */
export type Pad = number | readonly [number, number, number, number];

export interface OpEvent {
  path: string; // scope path of the op
  op: string;
  macs: number;
  outElems: number;
}

export interface TapInfo {
  shape: number[];
  rf: number;
  jump: number;
}

/**
 * Everything a walk reports. Activation liveness (for peak memory) is tracked in count mode:
 * a buffer lives from the op that creates it to the last op that reads it; reshapes alias.
 */
export class Recorder {
  readonly ops: OpEvent[] = [];
  readonly params = new Map<string, number[]>();
  readonly buffers = new Map<string, number[]>();
  readonly taps = new Map<string, TapInfo>();
  /** buffer id → [size in elements, first op index, last op index] */
  readonly live: Array<[number, number, number]> = [];

  op(e: OpEvent): number {
    this.ops.push(e);
    return this.ops.length - 1;
  }
  param(path: string, shape: readonly number[]): void {
    if (!this.params.has(path)) this.params.set(path, [...shape]);
  }
  buffer(path: string, shape: readonly number[]): void {
    if (!this.buffers.has(path)) this.buffers.set(path, [...shape]);
  }
  /** A new activation buffer, alive from op `at` (default: the next op to be recorded). */
  newBuf(size: number, at = this.ops.length): number {
    this.live.push([size, at, at]);
    return this.live.length - 1;
  }
  /** The next op to be recorded reads `buf`. */
  use(buf: number): void {
    const b = this.live[buf];
    if (b) b[2] = Math.max(b[2], this.ops.length);
  }
  get paramCount(): number {
    let n = 0;
    for (const s of this.params.values()) n += numel(s);
    return n;
  }
  get macs(): number {
    let n = 0;
    for (const e of this.ops) n += e.macs;
    return n;
  }
  /** Peak of simultaneously live activations, in elements (weights excluded). */
  peakLiveElems(): number {
    const n = this.ops.length + 2;
    const delta = new Float64Array(n + 1);
    for (const [size, first, last] of this.live) {
      delta[first]! += size;
      delta[last + 1]! -= size;
    }
    let cur = 0;
    let peak = 0;
    for (let i = 0; i < n; i++) {
      cur += delta[i]!;
      peak = Math.max(peak, cur);
    }
    return peak;
  }
  /** Sum of all op outputs: roughly what a training step keeps for backward. */
  totalActElems(): number {
    let n = 0;
    for (const e of this.ops) if (e.op !== 'reshape') n += e.outElems;
    return n;
  }
}

interface GraphState {
  mode: 'run' | 'count';
  training: boolean;
  wantTaps: boolean;
  store: ParamStore | null; // run: required; count: materialises params when present
  rec: Recorder | null;
  taps: Record<string, tf.Tensor>;
  check: boolean; // run mode: assert inferred shape == real shape
  noise: number; // counter for dropout/drop-path seeds
}

export const numel = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

function fmt(s: readonly number[]): string {
  return `[${s.join(', ')}]`;
}

function broadcast(a: readonly number[], b: readonly number[], where: string): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new Error(`${where}: cannot broadcast ${fmt(a)} with ${fmt(b)}`);
    out.push(x === 1 ? y : x);
  }
  return out;
}

function convOut(size: number, k: number, s: number, p0: number, p1: number, d = 1): number {
  return Math.floor((size + p0 + p1 - d * (k - 1) - 1) / s) + 1;
}

function pads(p: Pad): [number, number, number, number] {
  return typeof p === 'number' ? [p, p, p, p] : [p[0], p[1], p[2], p[3]];
}

export class Graph {
  private constructor(
    private readonly s: GraphState,
    readonly scope: readonly string[],
  ) {}

  static run(opts: { store: ParamStore; training: boolean; taps?: boolean; rec?: Recorder; check?: boolean }): Graph {
    return new Graph(
      {
        mode: 'run',
        training: opts.training,
        wantTaps: opts.taps ?? false,
        store: opts.store,
        rec: opts.rec ?? null,
        taps: {},
        check: opts.check ?? false,
        noise: 0,
      },
      [],
    );
  }

  /** Shape-only walk. With a store, parameters are created (seeded) as they are met. */
  static count(opts: { rec?: Recorder; store?: ParamStore } = {}): Graph {
    return new Graph(
      { mode: 'count', training: false, wantTaps: false, store: opts.store ?? null, rec: opts.rec ?? null, taps: {}, check: false, noise: 0 },
      [],
    );
  }

  get mode(): 'run' | 'count' {
    return this.s.mode;
  }
  get training(): boolean {
    return this.s.training;
  }
  get path(): string {
    return this.scope.join('.');
  }
  get taps(): Record<string, tf.Tensor> {
    return this.s.taps;
  }
  /** Run mode with taps on: worth computing tap-only views (attention maps). */
  get wantsTaps(): boolean {
    return this.s.mode === 'run' && this.s.wantTaps;
  }
  /** A view one scope deeper: parameters and ops below it are named `<path>.<name>.…`. */
  at(name: string | number): Graph {
    return new Graph(this.s, [...this.scope, String(name)]);
  }
  private full(name: string): string {
    return this.scope.length ? `${this.path}.${name}` : name;
  }

  // ---------------------------------------------------------------- inputs, params, constants

  /** Count mode: a symbolic input [B, H, W, C]. */
  input(shape: readonly number[]): T {
    if (this.s.mode !== 'count') throw new Error('Graph.input is for count mode; pass a tensor in run mode');
    const buf = this.s.rec ? this.s.rec.newBuf(numel(shape)) : -1;
    return new Sym([...shape], buf, 1, 1);
  }

  /** A trainable parameter at `<path>.<name>`. */
  param(name: string, shape: readonly number[], init: Init): T {
    return this.variable(name, shape, init, true);
  }

  /** Non-trainable state (BatchNorm running statistics): not counted as parameters. */
  buffer(name: string, shape: readonly number[], init: Init): T {
    return this.variable(name, shape, init, false);
  }

  private variable(name: string, shape: readonly number[], init: Init, trainable: boolean): T {
    const path = this.full(name);
    if (this.s.rec) (trainable ? this.s.rec.param(path, shape) : this.s.rec.buffer(path, shape));
    const store = this.s.store;
    if (this.s.mode === 'count') {
      store?.create(path, shape, init, trainable);
      return new Sym([...shape], -1, 0, 0);
    }
    if (!store) throw new Error('run mode needs a ParamStore');
    return store.get(path, shape);
  }

  /** A constant (index table, mask), built once per model and cached under `key`. */
  constant(key: string, shape: readonly number[], dtype: 'float32' | 'int32', make: () => Float32Array | Int32Array): T {
    if (this.s.mode === 'count') return new Sym([...shape], -1, 0, 0);
    const store = this.s.store;
    if (!store) throw new Error('run mode needs a ParamStore');
    return store.constant(`${key}:${shape.join('x')}`, () => tf.tensor(make(), [...shape], dtype));
  }

  // ---------------------------------------------------------------- the op funnel

  private emit(op: string, inputs: readonly T[], outShape: number[], macs: number, run: () => tf.Tensor, alias = false): T {
    const s = this.s;
    const path = this.path;
    for (const d of outShape) {
      if (!Number.isInteger(d) || d < 0) throw new Error(`${path}: ${op} inferred bad shape ${fmt(outShape)}`);
    }
    if (s.mode === 'count') {
      const syms = inputs as Sym[];
      let rf = 0;
      let jump = 0;
      for (const x of syms) {
        rf = Math.max(rf, x.rf);
        if (!jump && x.jump) jump = x.jump;
        if (s.rec && x.buf >= 0) s.rec.use(x.buf);
      }
      let buf = -1;
      if (s.rec) {
        const at = s.rec.op({ path, op, macs, outElems: numel(outShape) });
        const src = syms[0];
        buf = alias && src && src.buf >= 0 ? src.buf : s.rec.newBuf(numel(outShape), at);
      }
      return new Sym(outShape, buf, rf, jump);
    }
    const y = run();
    if (s.rec) s.rec.op({ path, op, macs, outElems: y.size });
    if (s.check) {
      if (y.shape.length !== outShape.length || y.shape.some((d, i) => d !== outShape[i])) {
        throw new Error(`${path}: ${op} gave ${fmt(y.shape)}, the counter inferred ${fmt(outShape)}`);
      }
    }
    return y;
  }

  private static tf(x: T): tf.Tensor {
    return x as tf.Tensor;
  }

  // ---------------------------------------------------------------- linear algebra (MACs counted)

  /** Batched matmul [..., M, K] × [..., K, N]; batch dims broadcast. MACs = batch·M·N·K. */
  matMul(a: T, b: T, transposeA = false, transposeB = false): T {
    const ra = a.shape.length;
    const rb = b.shape.length;
    if (ra < 2 || rb < 2) throw new Error(`${this.path}: matMul needs rank ≥ 2, got ${fmt(a.shape)} × ${fmt(b.shape)}`);
    const m = transposeA ? a.shape[ra - 1]! : a.shape[ra - 2]!;
    const ka = transposeA ? a.shape[ra - 2]! : a.shape[ra - 1]!;
    const kb = transposeB ? b.shape[rb - 1]! : b.shape[rb - 2]!;
    const n = transposeB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
    if (ka !== kb) throw new Error(`${this.path}: matMul inner dims differ: ${fmt(a.shape)} × ${fmt(b.shape)}`);
    const batch = broadcast(a.shape.slice(0, -2), b.shape.slice(0, -2), this.path);
    const out = [...batch, m, n];
    return this.emit('matMul', [a, b], out, numel(batch) * m * n * ka, () =>
      tf.matMul(Graph.tf(a), Graph.tf(b), transposeA, transposeB),
    );
  }

  /** 2-D convolution, NHWC, w: [kh, kw, Cin, Cout]. MACs = B·Ho·Wo·kh·kw·Cin·Cout. */
  conv2d(x: T, w: T, stride = 1, pad: Pad = 0, dilation = 1): T {
    const [B, H, W, C] = x.shape as [number, number, number, number];
    const [kh, kw, ci, co] = w.shape as [number, number, number, number];
    if (ci !== C) throw new Error(`${this.path}: conv2d expects ${ci} input channels, got ${fmt(x.shape)}`);
    const [pt, pb, pl, pr] = pads(pad);
    const Ho = convOut(H, kh, stride, pt, pb, dilation);
    const Wo = convOut(W, kw, stride, pl, pr, dilation);
    const y = this.emit('conv2d', [x, w], [B, Ho, Wo, co], B * Ho * Wo * kh * kw * ci * co, () =>
      tf.conv2d(Graph.tf(x) as tf.Tensor4D, Graph.tf(w) as tf.Tensor4D, stride, [[0, 0], [pt, pb], [pl, pr], [0, 0]], 'NHWC', dilation),
    );
    return this.growRF(y, x, (Math.max(kh, kw) - 1) * dilation, stride);
  }

  /** Depthwise convolution, w: [kh, kw, Cin, mult] → Cin·mult channels. MACs = B·Ho·Wo·kh·kw·Cin·mult. */
  depthwiseConv2d(x: T, w: T, stride = 1, pad: Pad = 0, dilation = 1): T {
    const [B, H, W, C] = x.shape as [number, number, number, number];
    const [kh, kw, ci, mult] = w.shape as [number, number, number, number];
    if (ci !== C) throw new Error(`${this.path}: depthwiseConv2d expects ${ci} channels, got ${fmt(x.shape)}`);
    const [pt, pb, pl, pr] = pads(pad);
    const Ho = convOut(H, kh, stride, pt, pb, dilation);
    const Wo = convOut(W, kw, stride, pl, pr, dilation);
    const y = this.emit('depthwiseConv2d', [x, w], [B, Ho, Wo, ci * mult], B * Ho * Wo * kh * kw * ci * mult, () =>
      tf.depthwiseConv2d(Graph.tf(x) as tf.Tensor4D, Graph.tf(w) as tf.Tensor4D, stride, [[0, 0], [pt, pb], [pl, pr], [0, 0]], 'NHWC', dilation),
    );
    return this.growRF(y, x, (Math.max(kh, kw) - 1) * dilation, stride);
  }

  /**
   * Sliding k×k patches (PyTorch's nn.Unfold / T2T's soft split): [B, H, W, C] → [B, Ho, Wo, k·k·C].
   * Data movement, so no MACs are recorded; run mode uses a one-hot convolution.
   */
  extractPatches(x: T, k: number, stride: number, pad: number): T {
    const [B, H, W, C] = x.shape as [number, number, number, number];
    const Ho = convOut(H, k, stride, pad, pad);
    const Wo = convOut(W, k, stride, pad, pad);
    const kk = k * k * C;
    const eye = this.constant(`unfold${k}x${C}`, [k, k, C, kk], 'float32', () => {
      const e = new Float32Array(k * k * C * kk);
      for (let i = 0; i < kk; i++) e[i * kk + i] = 1; // filter index (ky, kx, c) flattens to i
      return e;
    });
    const y = this.emit('extractPatches', [x], [B, Ho, Wo, kk], 0, () =>
      tf.conv2d(Graph.tf(x) as tf.Tensor4D, Graph.tf(eye) as tf.Tensor4D, stride, pad),
    );
    return this.growRF(y, x, k - 1, stride);
  }

  // ---------------------------------------------------------------- elementwise

  private binary(op: string, a: T | number, b: T | number, f: (x: tf.Tensor | number, y: tf.Tensor | number) => tf.Tensor): T {
    const sa = typeof a === 'number' ? [] : a.shape;
    const sb = typeof b === 'number' ? [] : b.shape;
    const ins = [a, b].filter((v): v is T => typeof v !== 'number');
    return this.emit(op, ins, broadcast(sa, sb, `${this.path}: ${op}`), 0, () =>
      f(typeof a === 'number' ? a : Graph.tf(a), typeof b === 'number' ? b : Graph.tf(b)),
    );
  }
  add(a: T, b: T | number): T {
    return this.binary('add', a, b, (x, y) => tf.add(x, y));
  }
  sub(a: T | number, b: T | number): T {
    return this.binary('sub', a, b, (x, y) => tf.sub(x, y));
  }
  mul(a: T, b: T | number): T {
    return this.binary('mul', a, b, (x, y) => tf.mul(x, y));
  }
  div(a: T, b: T | number): T {
    return this.binary('div', a, b, (x, y) => tf.div(x, y));
  }

  unary(x: T, kind: Unary): T {
    if (kind === 'identity') return x;
    return this.emit(kind, [x], [...x.shape], 0, () => {
      const t = Graph.tf(x);
      switch (kind) {
        case 'relu':
          return tf.relu(t);
        case 'relu6':
          return tf.relu6(t);
        case 'gelu': // exact GELU: x·Φ(x), one kernel each way on the engine's wasm backend
          return fused.gelu(t);
        case 'gelu_tanh':
          return tf.mul(tf.mul(t, 0.5), tf.add(1, tf.tanh(tf.mul(tf.add(t, tf.mul(tf.pow(t, 3), 0.044715)), Math.sqrt(2 / Math.PI)))));
        case 'silu':
          return tf.mul(t, tf.sigmoid(t));
        case 'hardswish':
          return tf.mul(t, tf.div(tf.relu6(tf.add(t, 3)), 6));
        case 'hardsigmoid':
          return tf.div(tf.relu6(tf.add(t, 3)), 6);
        case 'sigmoid':
          return tf.sigmoid(t);
        case 'tanh':
          return tf.tanh(t);
        case 'exp':
          return tf.exp(t);
        case 'sqrt':
          return tf.sqrt(t);
        case 'rsqrt':
          return tf.rsqrt(t);
        case 'square':
          return tf.square(t);
        case 'neg':
          return tf.neg(t);
        case 'abs':
          return tf.abs(t);
        case 'erf':
          return tf.erf(t);
      }
    });
  }
  act(x: T, kind: Act): T {
    return this.unary(x, kind);
  }

  /** Softmax over the last axis. */
  softmax(x: T): T {
    return this.emit('softmax', [x], [...x.shape], 0, () => tf.softmax(Graph.tf(x)));
  }

  /** LayerNorm over the last axis: (x − μ)/√(σ² + eps)·γ + β. */
  layerNorm(x: T, gamma: T, beta: T, eps: number): T {
    return this.emit('layerNorm', [x, gamma, beta], [...x.shape], 0, () => fused.layerNorm(Graph.tf(x), Graph.tf(gamma), Graph.tf(beta), eps));
  }

  /**
   * BatchNorm in training mode: batch statistics over all axes but the last, and x normalised
   * with them. Counted as the composite's ops (mean, sub, square, mean, batchNorm); run as one
   * kernel each way on the engine's wasm backend (models/nn/ops.ts).
   */
  batchNormTrain(x: T, gamma: T, beta: T, eps: number): { y: T; mean: T; variance: T } {
    if (this.s.mode === 'count') {
      const axes = x.shape.slice(0, -1).map((_, i) => i);
      const mean = this.mean(x, axes); // [C]
      const variance = this.mean(this.unary(this.sub(x, mean), 'square'), axes); // [C]
      return { y: this.batchNorm(x, mean, variance, gamma, beta, eps), mean, variance };
    }
    const r = fused.batchNormTrain(Graph.tf(x), Graph.tf(gamma), Graph.tf(beta), eps);
    const rec = this.s.rec;
    if (rec) for (const [op, t] of [['mean', r.mean], ['sub', r.y], ['square', r.y], ['mean', r.variance], ['batchNorm', r.y]] as const) rec.op({ path: this.path, op, macs: 0, outElems: t.size });
    return r;
  }

  /** Affine normalisation with given statistics (BatchNorm at inference, or with batch moments). */
  batchNorm(x: T, mean: T, variance: T, gamma: T, beta: T, eps: number): T {
    return this.emit('batchNorm', [x, mean, variance, gamma, beta], [...x.shape], 0, () =>
      tf.batchNorm(Graph.tf(x), Graph.tf(mean), Graph.tf(variance), Graph.tf(beta), Graph.tf(gamma), eps),
    );
  }

  // ---------------------------------------------------------------- reductions, pooling

  mean(x: T, axes: number | readonly number[], keepDims = false): T {
    const r = x.shape.length;
    const ax = (typeof axes === 'number' ? [axes] : [...axes]).map((a) => (a < 0 ? a + r : a));
    const out: number[] = [];
    x.shape.forEach((d, i) => {
      if (!ax.includes(i)) out.push(d);
      else if (keepDims) out.push(1);
    });
    return this.emit('mean', [x], out, 0, () => tf.mean(Graph.tf(x), ax, keepDims));
  }

  maxPool(x: T, k: number, stride: number, pad: number): T {
    return this.pool('maxPool', x, k, stride, pad);
  }
  /** Average pool; padded pixels are not counted (PyTorch's count_include_pad=False). */
  avgPool(x: T, k: number, stride: number, pad: number): T {
    return this.pool('avgPool', x, k, stride, pad);
  }
  private pool(op: 'maxPool' | 'avgPool', x: T, k: number, stride: number, pad: number): T {
    const [B, H, W, C] = x.shape as [number, number, number, number];
    const out = [B, convOut(H, k, stride, pad, pad), convOut(W, k, stride, pad, pad), C];
    const y = this.emit(op, [x], out, 0, () => {
      const t = Graph.tf(x) as tf.Tensor4D;
      return op === 'maxPool' ? tf.maxPool(t, k, stride, pad) : tf.avgPool(t, k, stride, pad);
    });
    return this.growRF(y, x, k - 1, stride);
  }

  // ---------------------------------------------------------------- data movement

  reshape(x: T, shape: readonly number[]): T {
    const total = numel(x.shape);
    const known = shape.filter((d) => d !== -1);
    const out = shape.map((d) => (d === -1 ? total / numel(known) : d));
    if (numel(out) !== total || shape.filter((d) => d === -1).length > 1) {
      throw new Error(`${this.path}: cannot reshape ${fmt(x.shape)} to ${fmt(shape)}`);
    }
    return this.emit('reshape', [x], out, 0, () => tf.reshape(Graph.tf(x), out), true);
  }

  transpose(x: T, perm: readonly number[]): T {
    if (perm.length !== x.shape.length) throw new Error(`${this.path}: transpose perm ${fmt(perm)} for ${fmt(x.shape)}`);
    return this.emit('transpose', [x], perm.map((p) => x.shape[p]!), 0, () => tf.transpose(Graph.tf(x), [...perm]));
  }

  concat(xs: readonly T[], axis: number): T {
    const first = xs[0]!;
    const r = first.shape.length;
    const ax = axis < 0 ? axis + r : axis;
    const out = [...first.shape];
    out[ax] = xs.reduce((n, x) => n + x.shape[ax]!, 0);
    for (const x of xs) {
      if (x.shape.some((d, i) => i !== ax && d !== first.shape[i])) {
        throw new Error(`${this.path}: concat of ${xs.map((t) => fmt(t.shape)).join(' ')} on axis ${ax}`);
      }
    }
    return this.emit('concat', xs, out, 0, () => tf.concat(xs.map(Graph.tf), ax));
  }

  /** tf.slice semantics: size −1 means "to the end". */
  slice(x: T, begin: readonly number[], size: readonly number[]): T {
    const out = size.map((s, i) => (s === -1 ? x.shape[i]! - begin[i]! : s));
    if (out.some((s, i) => begin[i]! < 0 || begin[i]! + s > x.shape[i]!)) {
      throw new Error(`${this.path}: slice ${fmt(begin)}+${fmt(size)} out of ${fmt(x.shape)}`);
    }
    return this.emit('slice', [x], out, 0, () => tf.slice(Graph.tf(x), [...begin], out));
  }

  pad(x: T, paddings: ReadonlyArray<readonly [number, number]>, value = 0): T {
    const out = x.shape.map((d, i) => d + paddings[i]![0] + paddings[i]![1]);
    return this.emit('pad', [x], out, 0, () => tf.pad(Graph.tf(x), paddings.map((p) => [p[0], p[1]] as [number, number]), value));
  }

  /** Rows of `x` picked by integer `indices` along axis 0 (lookup tables). */
  gather(x: T, indices: T): T {
    return this.emit('gather', [x], [...indices.shape, ...x.shape.slice(1)], 0, () =>
      tf.gather(Graph.tf(x), Graph.tf(indices) as tf.Tensor),
    );
  }

  broadcastTo(x: T, shape: readonly number[]): T {
    broadcast(x.shape, shape, `${this.path}: broadcastTo`);
    return this.emit('broadcastTo', [x], [...shape], 0, () => tf.broadcastTo(Graph.tf(x), [...shape]));
  }

  /** Cyclic shift along spatial axes (torch.roll), for Swin's shifted windows. */
  roll(x: T, shift: number, axes: readonly number[]): T {
    let y = x;
    for (const ax of axes) {
      const n = y.shape[ax]!;
      const s = ((shift % n) + n) % n;
      if (s === 0) continue;
      const begin = y.shape.map(() => 0);
      const head = y.shape.map((d, i) => (i === ax ? n - s : d));
      const tailBegin = [...begin];
      tailBegin[ax] = n - s;
      const tail = y.shape.map((d, i) => (i === ax ? s : d));
      y = this.concat([this.slice(y, tailBegin, tail), this.slice(y, begin, head)], ax);
    }
    return y;
  }

  // ---------------------------------------------------------------- training-time randomness, state

  /** Inverted dropout; identity at eval or when rate is 0. */
  dropout(x: T, rate: number): T {
    if (!this.s.training || rate <= 0 || this.s.mode === 'count') return x;
    const seed = this.nextSeed();
    return this.emit('dropout', [x], [...x.shape], 0, () => tf.dropout(Graph.tf(x), rate, undefined, seed));
  }

  /** Stochastic depth: drop whole samples of a residual branch; identity at eval. */
  dropPath(x: T, rate: number): T {
    if (!this.s.training || rate <= 0 || this.s.mode === 'count') return x;
    const seed = this.nextSeed();
    const keep = 1 - rate;
    return this.emit('dropPath', [x], [...x.shape], 0, () => {
      const t = Graph.tf(x);
      const maskShape = [t.shape[0]!, ...t.shape.slice(1).map(() => 1)];
      const mask = tf.floor(tf.add(tf.randomUniform(maskShape, 0, 1, 'float32', seed), keep));
      return tf.div(tf.mul(t, mask), keep);
    });
  }

  /** Seeds advance across forwards (kept by the store), so each step draws fresh, reproducible masks. */
  private nextSeed(): number {
    const store = this.s.store;
    return store ? store.nextNoiseSeed() : this.s.noise++;
  }

  /** Write to a buffer (BatchNorm running stats) during training; a no-op when counting. */
  assign(buffer: T, value: T): void {
    if (this.s.mode === 'count') return;
    (buffer as tf.Variable).assign(Graph.tf(value));
  }

  // ---------------------------------------------------------------- taps, receptive field

  /** Name an intermediate: `<path>.<name>` (or `<path>`). Returned by forward when taps are on. */
  tap(x: T, name?: string): T {
    const key = name === undefined ? this.path : this.full(name);
    if (this.s.mode === 'run') {
      if (this.s.wantTaps) this.s.taps[key] = x as tf.Tensor;
    } else if (this.s.rec) {
      const sx = x as Sym;
      this.s.rec.taps.set(key, { shape: [...sx.shape], rf: sx.rf, jump: sx.jump });
    }
    return x;
  }

  /** Count mode: a spatial op with kernel extent `k−1` steps and stride `s` grew the field. */
  private growRF(y: T, x: T, extentSteps: number, stride: number): T {
    if (this.s.mode === 'count') {
      const sx = x as Sym;
      const sy = y as Sym;
      const jump = sx.jump || 1;
      sy.rf = sx.rf + extentSteps * jump;
      sy.jump = jump * stride;
    }
    return y;
  }

  /**
   * Token mixing that the op graph cannot see through reshapes: attention over a window of
   * `steps` grid positions (or the whole image), patch merging by `stride`.
   */
  mixed(y: T, how: { steps: number; stride?: number } | 'global'): T {
    if (this.s.mode === 'count') {
      const sy = y as Sym;
      if (how === 'global') sy.rf = Infinity;
      else {
        const jump = sy.jump || 1;
        sy.rf = sy.rf + (how.steps - 1) * jump;
        sy.jump = jump * (how.stride ?? 1);
      }
    }
    return y;
  }
}
