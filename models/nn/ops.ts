// The graph's fused ops (gelu, layerNorm, batchNormTrain), importable by the site as well as by scripts/.
//
// A backend may register a fused kernel under the names below: the engine does on wasm
// (scripts/lib/engine/wasm/fused-*.ts, dispatched the same way by scripts/lib/engine/ops.ts). When the
// kernel is registered, these functions run it; otherwise (cpu, webgl, the browser's stock wasm) they
// run the plain tfjs composite. The names and composites are those of scripts/lib/engine/ops.ts, which
// is part of the engine's hash and stays where it is: tests/models/ops.test.ts checks that the two agree
// on every backend it can start.
//
//   gelu(x)                              exact GELU, x·Φ(x) = 0.5·x·(1 + erf(x/√2))
//   layerNorm(x, gamma, beta, eps)       over the last axis
//   batchNormTrain(x, gamma, beta, eps)  → { y, mean, variance }, batch statistics over all axes but the last
import * as tf from '@tensorflow/tfjs';

export const FUSED_KERNELS = ['AtlasGelu', 'AtlasLayerNorm', 'AtlasBatchNormTrain'] as const;

const fused = (name: (typeof FUSED_KERNELS)[number]) => tf.getBackend() === 'wasm' && !!tf.getKernel(name, 'wasm');

export function gelu(x: tf.Tensor): tf.Tensor {
  if (fused('AtlasGelu')) return tf.engine().runKernel('AtlasGelu', { x }) as tf.Tensor;
  return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))));
}

export function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: number): tf.Tensor {
  if (fused('AtlasLayerNorm')) return (tf.engine().runKernel('AtlasLayerNorm', { x, gamma, beta }, { eps }) as tf.Tensor[])[0]!;
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps))), gamma), beta);
}

export function batchNormTrain(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: number): { y: tf.Tensor; mean: tf.Tensor; variance: tf.Tensor } {
  if (fused('AtlasBatchNormTrain')) {
    const [y, mean, variance] = tf.engine().runKernel('AtlasBatchNormTrain', { x, gamma, beta }, { eps }) as tf.Tensor[];
    return { y: y!, mean: mean!, variance: variance! };
  }
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const mean = tf.mean(x, axes);
  const variance = tf.mean(tf.square(tf.sub(x, mean)), axes);
  return { y: tf.batchNorm(x, mean, variance, beta, gamma, eps), mean, variance };
}
