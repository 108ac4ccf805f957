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
