/**
 * Flat parameter vectors for the loss-landscape and hessian experiments (C6): a model's trainable
 * parameters as one flat vector, the loss and its gradient at any such vector, and
 * Hessian-vector products by a central difference of gradients.
 *
 *   const w = getFlat(vars);                               // θ*
 *   const hvp = modelHvp(model, x, y, { eps: 1e-3, l2: 0.05 });
 *   await hvp(v);                                         // (∇L(θ*+εv) − ∇L(θ*−εv)) / 2ε + λ·P v
 *
 * Losses are evaluated with `training: false` (BatchNorm on running statistics), as Li et al.'s
 * `eval_loss` (net.eval()) and PyHessian (model.eval()) do. The optional L2 term is the training
 * objective's weight decay on the parameters AdamW decays (train.ts `decays`), so "NLL + L2"
 * is the loss the optimiser actually saw (Park & Kim's caveat, how-do-vits-work README).
 */
import * as tf from '@tensorflow/tfjs';
import { decays } from '../train';
import type { Model } from '../../../models/nn/types';

/** Readable path (after the instance tag) and shape of each trainable parameter. */
export function paramSpecs(vars: readonly tf.Variable[]): { path: string; shape: number[] }[] {
  return vars.map((v) => ({ path: v.name.slice(v.name.indexOf('/') + 1), shape: v.shape.slice() }));
}

export function getFlat(vars: readonly tf.Variable[]): Float32Array {
  const n = vars.reduce((s, v) => s + v.size, 0);
  const out = new Float32Array(n);
  let o = 0;
  for (const v of vars) { out.set(v.dataSync() as Float32Array, o); o += v.size; }
  return out;
}

export function setFlat(vars: readonly tf.Variable[], flat: Float32Array): void {
  let o = 0;
  for (const v of vars) {
    const part = flat.subarray(o, o + v.size);
    tf.tidy(() => v.assign(tf.tensor(part, v.shape, 'float32')));
    o += v.size;
  }
  if (o !== flat.length) throw new Error(`setFlat: vector has ${flat.length} entries, the model ${o}`);
}

/** Per-parameter split of a flat vector (views, no copies). */
export function split(vars: readonly tf.Variable[], flat: Float32Array): Float32Array[] {
  let o = 0;
  return vars.map((v) => { const p = flat.subarray(o, o + v.size); o += v.size; return p; });
}

/** 1 where the L2 term (AdamW's decay) applies, 0 elsewhere. */
export function decayMask(vars: readonly tf.Variable[]): Float32Array {
  const out = new Float32Array(vars.reduce((s, v) => s + v.size, 0));
  let o = 0;
  for (const v of vars) { if (decays(v)) out.fill(1, o, o + v.size); o += v.size; }
  return out;
}

/** Mean cross-entropy and accuracy of `model` on (x, y one-hot), in eval mode. */
export function evalLoss(model: Model, x: tf.Tensor4D, y: tf.Tensor2D): { loss: number; accuracy: number } {
  return tf.tidy(() => {
    const logits = model.forward(x, { training: false }).logits;
    const loss = tf.losses.softmaxCrossEntropy(y, logits).dataSync()[0]!;
    const acc = tf.equal(tf.argMax(logits, 1), tf.argMax(y, 1)).mean().dataSync()[0]!;
    return { loss, accuracy: acc };
  });
}

/** ∇ of the mean cross-entropy w.r.t. the trainable parameters, flat, in eval mode. */
export function gradFlat(model: Model, x: tf.Tensor4D, y: tf.Tensor2D): { loss: number; grad: Float32Array } {
  const vars = model.variables();
  const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, model.forward(x, { training: false }).logits) as tf.Scalar, vars);
  const out = new Float32Array(vars.reduce((s, v) => s + v.size, 0));
  let o = 0;
  for (const v of vars) { out.set(grads[v.name]!.dataSync() as Float32Array, o); o += v.size; }
  const loss = value.dataSync()[0]!;
  tf.dispose([value, ...Object.values(grads)]);
  return { loss, grad: out };
}

/**
 * H·v of L(θ) = CE(θ; x, y) + (λ/2)‖Pθ‖² at the model's current weights θ*, by the central
 * difference of two gradients; the L2 part (λ·Pv) is added exactly. Weights are restored after.
 *
 * ReLU kinks: a gradient difference across a ReLU that switches between θ*−εv and θ*+εv adds a
 * jump of size O(1)/ε to H·v (its norm grows like ε^−½ as ε shrinks — measured on the
 * mini-ResNet). Autograd's Hessian (PyHessian's, Park & Kim's) has ReLU'' = 0 instead: the
 * Hessian of the piecewise-smooth piece θ* lies in. So the ReLU activation pattern is recorded
 * at θ* and replayed at θ* ± εv (`freezeRelu`), which makes the central difference that Hessian.
 */
export function modelHvp(model: Model, x: tf.Tensor4D, y: tf.Tensor2D, o: { eps: number; l2: number }): (v: Float64Array) => Float64Array {
  const vars = model.variables();
  const w = getFlat(vars);
  const mask = decayMask(vars);
  const relu = freezeRelu(model, x);
  return (v) => {
    const plus = new Float32Array(w.length), minus = new Float32Array(w.length);
    for (let i = 0; i < w.length; i++) { plus[i] = w[i]! + o.eps * v[i]!; minus[i] = w[i]! - o.eps * v[i]!; }
    setFlat(vars, plus);
    const gp = relu.replay(() => gradFlat(model, x, y).grad);
    setFlat(vars, minus);
    const gm = relu.replay(() => gradFlat(model, x, y).grad);
    setFlat(vars, w);
    const out = new Float64Array(w.length);
    for (let i = 0; i < w.length; i++) out[i] = (gp[i]! - gm[i]!) / (2 * o.eps) + o.l2 * mask[i]! * v[i]!;
    return out;
  };
}

// ---- ReLU activation patterns, recorded at θ* and replayed elsewhere ------------------------

const reluState = { mode: 'off' as 'off' | 'record' | 'replay', masks: [] as Float32Array[], call: 0, byInput: new Map<object, Float32Array>() };
const hooked = new Set<string>();

interface HeapBackend {
  readSync(dataId: object): ArrayLike<number>;
  makeOutput?(shape: number[], dtype: 'float32', memoryOffset?: number, values?: Float32Array): tf.TensorInfo;
  makeTensorInfo?(shape: number[], dtype: 'float32', values?: Float32Array): tf.TensorInfo;
}

/** Wraps the backend's Relu kernel and Relu's gradient; with mode 'off' both behave as stock. */
function hookRelu(): void {
  const name = tf.getBackend();
  if (hooked.has(name)) return;
  const k = tf.getKernel('Relu', name);
  if (!k) throw new Error(`no Relu kernel on backend ${name}`);
  const stock = k.kernelFunc;
  tf.unregisterKernel('Relu', name);
  tf.registerKernel({
    ...k,
    kernelFunc: ((args: { inputs: { x: tf.TensorInfo }; backend: HeapBackend; attrs: tf.NamedAttrMap }) => {
      const st = reluState;
      if (st.mode === 'off') return stock(args as unknown as Parameters<typeof stock>[0]);
      const x = args.inputs.x, be = args.backend;
      const xv = be.readSync(x.dataId);
      if (st.mode === 'record') {
        const m = new Float32Array(xv.length);
        for (let i = 0; i < xv.length; i++) m[i] = xv[i]! > 0 ? 1 : 0;
        st.masks.push(m);
        return stock(args as unknown as Parameters<typeof stock>[0]);
      }
      const m = st.masks[st.call++];
      if (!m || m.length !== xv.length) throw new Error(`freezeRelu: call ${st.call - 1} has no recorded pattern of size ${xv.length}`);
      st.byInput.set(x.dataId, m);
      const out = new Float32Array(xv.length);
      for (let i = 0; i < xv.length; i++) out[i] = xv[i]! * m[i]!;
      // wasm: makeOutput(shape, dtype, offset, values); cpu (tests): makeTensorInfo(shape, dtype, values).
      return name === 'wasm' ? be.makeOutput!(x.shape.slice(), 'float32', undefined, out) : be.makeTensorInfo!(x.shape.slice(), 'float32', out);
    }) as unknown as tf.KernelConfig['kernelFunc'],
  });
  hooked.add(name);
  if (hooked.size > 1) return; // the gradient registry is global: once
  tf.registerGradient({
    kernelName: 'Relu',
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => {
      const [x] = saved as [tf.Tensor];
      const m = reluState.mode === 'replay' ? reluState.byInput.get(x.dataId) : undefined;
      return { x: () => (m ? tf.mul(dy as tf.Tensor, tf.tensor(m, x.shape)) : tf.mul(dy as tf.Tensor, tf.cast(tf.step(x), 'float32'))) };
    },
  });
}

/**
 * Records which ReLU units are on for input x at the model's current weights, and returns
 * `replay(f)`, which runs f (a forward + backward on x) with every ReLU using that pattern:
 * the network becomes the smooth piece θ* lies in.
 */
export function freezeRelu(model: Model, x: tf.Tensor4D): { replay<T>(f: () => T): T; units: number } {
  hookRelu();
  const masks: Float32Array[] = [];
  reluState.mode = 'record'; reluState.masks = masks;
  try { tf.tidy(() => { model.forward(x, { training: false }); }); } finally { reluState.mode = 'off'; }
  return {
    units: masks.reduce((s, m) => s + m.length, 0),
    replay<T>(f: () => T): T {
      reluState.mode = 'replay'; reluState.masks = masks; reluState.call = 0; reluState.byInput.clear();
      try { return f(); } finally { reluState.mode = 'off'; reluState.byInput.clear(); }
    },
  };
}
