/**
 * Effective receptive field (Luo et al. 2016, NeurIPS, "Understanding the Effective Receptive
 * Field in Deep Convolutional Neural Networks"): put a gradient of 1 on the centre unit of a
 * feature map (all channels) and 0 elsewhere, back-propagate to the input, and average the
 * absolute input gradient over images (and input channels). Its spread is summarised by the
 * radius of the disc, centred on the unit's footprint, that holds a given share of the mass.
 *
 *   const c = centreUnit([7, 7], [28, 28]);                 // unit (3, 3), footprint centre (14, 14) px
 *   const map = await erfMap((x) => tapOf(x), images, c);   // [28·28] mean |∂y/∂x|
 *   erfRadii(map, 28, 28, c.centrePx, [0.5, 0.9]);           // px
 */
import * as tf from '@tensorflow/tfjs';

export interface CentreUnit {
  /** Index of the centre unit in the feature map (row, col): ⌊h/2⌋, ⌊w/2⌋. */
  unit: [number, number];
  /** Centre of that unit's footprint in input px, (y, x); pixel k spans [k, k+1). */
  centrePx: [number, number];
}

/** The centre unit of an h×w map over an H×W input (stride H/h), and its footprint centre. */
export function centreUnit(map: readonly [number, number], input: readonly [number, number]): CentreUnit {
  const [h, w] = map, [H, W] = input;
  const i = Math.floor(h / 2), j = Math.floor(w / 2);
  return { unit: [i, j], centrePx: [((i + 0.5) * H) / h, ((j + 0.5) * W) / w] };
}

/**
 * Smallest radii r (px) such that the disc of radius r around `centre` (pixel centres at k + ½)
 * holds at least each fraction of the total mass of `map` [H·W] (non-negative values).
 */
export function erfRadii(map: ArrayLike<number>, H: number, W: number, centre: readonly [number, number], fractions: readonly number[]): number[] {
  const n = H * W;
  if (map.length !== n) throw new Error(`erfRadii: ${map.length} values for ${H}×${W}`);
  const order: Array<[number, number]> = [];
  let total = 0;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const m = map[y * W + x]!;
      if (m < 0) throw new Error('erfRadii: negative mass');
      total += m;
      order.push([Math.hypot(y + 0.5 - centre[0], x + 0.5 - centre[1]), m]);
    }
  }
  if (!(total > 0)) return fractions.map(() => NaN);
  order.sort((a, b) => a[0] - b[0]);
  return fractions.map((q) => {
    let cum = 0;
    for (let k = 0; k < order.length; k++) {
      cum += order[k]![1];
      // Pixels at the same distance enter together: the radius is reached once all of them count.
      if (cum >= q * total * (1 - 1e-12) && (k + 1 === order.length || order[k + 1]![0] > order[k]![0])) return order[k]![0];
    }
    return order[order.length - 1]![0];
  });
}

/** Share of the mass inside the theoretical window [y0, y1) × [x0, x1) (e.g. a Swin window). */
export function massInside(map: ArrayLike<number>, H: number, W: number, box: readonly [number, number, number, number]): number {
  let inside = 0, total = 0;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const m = map[y * W + x]!;
      total += m;
      if (y >= box[0] && y < box[1] && x >= box[2] && x < box[3]) inside += m;
    }
  }
  return total > 0 ? inside / total : NaN;
}

/**
 * Mean absolute input gradient of the centre unit. `feature(x)` returns a map [B, h, w, C] or
 * tokens [B, T, C] (then `unit[0]` is the token index and `unit[1]` is ignored). Images are
 * independent in inference mode, so one backward pass of Σ_b Σ_c y_b[unit, c] gives every
 * image's gradient at once.
 */
export function erfMap(feature: (x: tf.Tensor4D) => tf.Tensor, images: tf.Tensor4D, unit: readonly [number, number]): Float64Array {
  const [B, H, W, C] = images.shape;
  const g = tf.tidy(() => {
    const grad = tf.grad((x: tf.Tensor) => {
      const f = feature(x as tf.Tensor4D);
      const sel = f.rank === 4
        ? tf.slice(f, [0, unit[0], unit[1], 0], [-1, 1, 1, -1])
        : tf.slice(f, [0, unit[0], 0], [-1, 1, -1]);
      return tf.sum(sel);
    });
    return tf.mean(tf.abs(grad(images)), [0, 3]); // [H, W]
  });
  const out = Float64Array.from(g.dataSync());
  g.dispose();
  if (out.length !== H * W || C < 1 || B < 1) throw new Error('erfMap: unexpected gradient shape');
  return out;
}
