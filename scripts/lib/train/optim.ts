// The optimiser and its schedule: AdamW (decoupled weight decay, optional global-norm clipping) and the
// learning rate by step (linear warm-up, then cosine decay or a constant rate).
//
//   const opt = adamW(model.variables(), cfg);  opt.step(grads, getLr(step, cfg), step);  opt.dispose();
import * as tf from '@tensorflow/tfjs';
import { fusedAdamW } from '../engine/wasm';

export interface OptimConfig {
  weightDecay: number;    // decoupled (AdamW); not applied to biases, norms, embeddings' pos/cls
  beta1: number;
  beta2: number;
  eps: number;
  gradClip: number;       // global-norm clip; 0 = off
}

/** After warm-up: 'cosine' decays to minLr at `steps`; 'constant' keeps lr (a stop criterion then ends training). */
export type Schedule = 'cosine' | 'constant';
export interface ScheduleConfig { lr: number; minLr: number; warmupSteps: number; steps: number; schedule?: Schedule }

/** lr at `step`: 1) linear warm-up, 2) cosine decay to minLr (or constant), 3) minLr after the end of a cosine. */
export function getLr(step: number, c: ScheduleConfig): number {
  if (step < c.warmupSteps) return (c.lr * (step + 1)) / c.warmupSteps; // 1
  const schedule = c.schedule ?? 'cosine';
  switch (schedule) {
    case 'constant': return c.lr; // 2
    case 'cosine': {
      if (step >= c.steps) return c.minLr; // 3
      const t = (step - c.warmupSteps) / Math.max(1, c.steps - c.warmupSteps); // 2
      return c.minLr + 0.5 * (1 + Math.cos(Math.PI * t)) * (c.lr - c.minLr);
    }
    default: throw new Error(`unknown schedule '${String(schedule satisfies never)}' (cosine | constant)`);
  }
}

/** Decay only matrices/kernels: biases, norm scales and positional/cls tokens are exempt (as timm). */
export function decays(v: tf.Variable): boolean {
  return v.rank >= 2 && !/(^|[./_])(norm|ln|bn|bias|pos|cls|posemb|pos_embed|cls_token)/i.test(v.name);
}

export interface Optimizer {
  step(grads: tf.NamedTensorMap, lr: number, step: number): void;
  dispose(): void;
  /** First and second moments (m then v, one per parameter), where the optimiser exposes them: a checkpoint saves them. */
  moments?(): tf.Variable[];
}

/** AdamW with optional global-norm clipping; one m and v per parameter. */
export function adamW(vars: tf.Variable[], cfg: OptimConfig): Optimizer {
  // On wasm the same maths runs as one fused pass per parameter (the engine's fused kernel).
  const fused = fusedAdamW(vars, cfg, decays);
  if (fused) return fused;
  // In a tidy: the zeros the variables start from are freed (the variables hold their own reference).
  const m = vars.map((v) => tf.tidy(() => tf.variable(tf.zerosLike(v), false)));
  const s = vars.map((v) => tf.tidy(() => tf.variable(tf.zerosLike(v), false)));
  const decay = vars.map(decays);
  return {
    step(grads: tf.NamedTensorMap, lr: number, step: number): void {
      tf.tidy(() => {
        const gs = vars.map((v) => grads[v.name]!);
        let scale: tf.Scalar | null = null;
        if (cfg.gradClip > 0) {
          const norm = tf.sqrt(tf.addN(gs.map((g) => tf.sum(tf.square(g)))));
          scale = tf.minimum(1, tf.div(cfg.gradClip, tf.add(norm, 1e-6))) as tf.Scalar;
        }
        const bc1 = 1 - cfg.beta1 ** (step + 1), bc2 = 1 - cfg.beta2 ** (step + 1);
        vars.forEach((v, i) => {
          const g = scale ? tf.mul(gs[i]!, scale) : gs[i]!;
          m[i]!.assign(tf.add(tf.mul(m[i]!, cfg.beta1), tf.mul(g, 1 - cfg.beta1)));
          s[i]!.assign(tf.add(tf.mul(s[i]!, cfg.beta2), tf.mul(tf.square(g), 1 - cfg.beta2)));
          const upd = tf.div(tf.div(m[i]!, bc1), tf.add(tf.sqrt(tf.div(s[i]!, bc2)), cfg.eps));
          const decayed = decay[i] ? tf.mul(v, 1 - lr * cfg.weightDecay) : v;
          v.assign(tf.sub(decayed, tf.mul(upd, lr)));
        });
      });
    },
    dispose: () => tf.dispose([...m, ...s]),
    moments: () => [...m, ...s],
  };
}
