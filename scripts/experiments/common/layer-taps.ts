/**
 * The layers the representation experiments read: the stem and every block's output, from the zoo's
 * named taps (each builder taps every block), with each layer's depth and geometry on the 28 px input.
 *
 *   const layers = layersOf(createModel('resnet_mini_28', {}, { seed: 0 }));   // taps in depth order
 */
import * as tf from '@tensorflow/tfjs';
import type { ZooModel } from '../../../models/nn/model';

/** A layer the experiments read: its tap, relative depth in (0, 1], and geometry on the 28 px input. */
export interface LayerTap {
  tap: string;
  /** Short label for charts: 'stem', 'b1' … */
  label: string;
  kind: 'map' | 'tokens';
  /** Spatial grid of the layer's units and px per grid step. */
  grid: [number, number];
  cellPx: number;
  /** Leading position-less tokens (class token). */
  prefix: number;
}

/** Every block output in depth order (stem first), from one tapped forward pass. */
export function layersOf(model: ZooModel): LayerTap[] {
  // Shapes only; tidy frees every intermediate of the forward pass.
  const shapes = tf.tidy(() => {
    const { taps } = model.forward(tf.zeros([1, ...model.inputShape]) as tf.Tensor4D, { training: false, taps: true });
    return Object.entries(taps).map(([name, t]) => ({ name, rank: t.rank, shape: t.shape }));
  });
  const side = model.inputShape[0];
  const out: LayerTap[] = [];
  let b = 0;
  for (const { name, ...t } of shapes) {
    const isBlock = name === 'stem' || /(^|\.)block\d+$/.test(name);
    if (!isBlock) continue;
    if (t.rank === 4) {
      const [, h, w] = t.shape as number[];
      out.push({ tap: name, label: name === 'stem' ? 'stem' : `b${++b}`, kind: 'map', grid: [h!, w!], cellPx: side / h!, prefix: 0 });
    } else {
      const T = t.shape[1]!;
      const g = Math.round(Math.sqrt(T - 1)) ** 2 === T - 1 ? Math.round(Math.sqrt(T - 1)) : Math.round(Math.sqrt(T));
      const prefix = T - g * g;
      out.push({ tap: name, label: name === 'stem' ? 'stem' : `b${++b}`, kind: 'tokens', grid: [g, g], cellPx: side / g, prefix });
    }
  }
  return out;
}
