import * as tf from '@tensorflow/tfjs';
import { be, simd } from './state';

/**
 * A fused AdamW step on the wasm heap: the global gradient norm (one SIMD pass per gradient)
 * and one pass per parameter writing new p, m, v buffers, instead of ~14 tfjs kernels per
 * parameter (≈1000 dispatches per mini-ViT step). Null when not on wasm with our kernels.
 */
export function fusedAdamW(vars: tf.Variable[], cfg: { beta1: number; beta2: number; eps: number; weightDecay: number; gradClip: number }, decays: (v: tf.Variable) => boolean) {
  if (!simd || tf.getBackend() !== 'wasm' || vars.some((v) => v.dtype !== 'float32')) return null;
  const kernels = simd;
  // In a tidy: the zeros the variables start from are freed (the variables hold their own reference).
  const m = vars.map((v) => tf.tidy(() => tf.variable(tf.zerosLike(v), false)));
  const s = vars.map((v) => tf.tidy(() => tf.variable(tf.zerosLike(v), false)));
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
    // Exposed so that a checkpoint can save them and a resumed run continue exactly.
    moments: () => [...m, ...s],
  };
}
