import * as tf from '@tensorflow/tfjs';

// tfjs's Sum/Mean gradients materialise ones(x.shape) in JS (makeOnesTypedArray, then an
// upload and a broadcasting multiply) every call: LayerNorm alone does this ~50× per ViT step.
// Same maths with broadcastTo (our Tile): no JS-side array, no multiply. Backend-agnostic.
export function registerReductionGradients(): void {
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

/** Gradients of the fused kernels (fused-act.ts, fused-norm.ts). */
export function registerFusedGradients(): void {
  const run = (name: string, inputs: tf.NamedTensorMap, attrs: object = {}) => tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap);
  tf.registerGradient({
    kernelName: 'AtlasGelu', inputsToSave: ['x'],
    gradFunc: (dy, saved) => ({ x: () => run('AtlasGeluGrad', { x: saved[0]!, dy: dy as tf.Tensor }) as tf.Tensor }),
  });
  tf.registerGradient({
    kernelName: 'AtlasLayerNorm', inputsToSave: ['x', 'gamma'], outputsToSave: [false, true, true],
    gradFunc: (dys, saved) => {
      const [x, gamma, mean, rstd] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
      const dy = (dys as tf.Tensor[])[0]!; // mean and rstd are internal: nothing downstream reads them
      const [dx, dgamma, dbeta] = run('AtlasLayerNormGrad', { x, gamma, mean, rstd, dy }) as tf.Tensor[];
      return { x: () => dx!, gamma: () => dgamma!, beta: () => dbeta! };
    },
  });
  tf.registerGradient({
    kernelName: 'AtlasBatchNormTrain', inputsToSave: ['x', 'gamma'], outputsToSave: [false, true, true],
    gradFunc: (dys, saved, attrs) => {
      const [x, gamma, mean, variance] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
      const [dy, dmean, dvariance] = dys as tf.Tensor[];
      const [dx, dgamma, dbeta] = run('AtlasBatchNormTrainGrad', { x, gamma, mean, variance, dy: dy!, dmean: dmean!, dvariance: dvariance! }, attrs) as tf.Tensor[];
      return { x: () => dx!, gamma: () => dgamma!, beta: () => dbeta! };
    },
  });
}
