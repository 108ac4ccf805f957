// Data for the training loop: splits, seeded shuffling, batches, and the one augmenter.
//
//   const stream = new BatchStream(data.train.n, 64, rng(seed), { shift: 2, flip: true });
//   const { x, y } = stream.batch(data.train);     // next shuffled, augmented batch as tensors
//
// Every random draw (epoch permutations, then per image: dy, dx, flip) comes from one seeded stream
// in a fixed order, so `skip(k)` replays k batches without building them: a resumed run sees the
// same batches as an uninterrupted one.
import * as tf from '@tensorflow/tfjs';
import { mulberry32 } from '../../../models/nn/rng';

/** Images NHWC in [0,1]-ish floats, labels as class ids. */
export interface Split {
  images: Float32Array;   // [n, H, W, C]
  labels: Int32Array;     // [n]
  n: number;
  shape: readonly [number, number, number]; // [H, W, C]
  numClasses: number;
}
/** `val`, where present, is what evaluations during training and checkpoint selection read (never `test`). */
export interface Data { train: Split; test: Split; val?: Split }

/** Light augmentation: a random translation of up to ±shift px (zero fill), then a horizontal flip with p = ½. */
export interface Augment { shift: number; flip: boolean }
interface Draw { dy: number; dx: number; flip: boolean }

/** Seeded PRNG for data order: the same mulberry32 the parameter store uses. */
export const rng = mulberry32;

export function permutation(n: number, rand: () => number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) { const j = Math.floor(rand() * (i + 1)); const t = p[i]!; p[i] = p[j]!; p[j] = t; }
  return p;
}

/** Rows `idx` of a split as plain arrays (images [b, H, W, C], labels [b]). */
export function rowsOf(s: Split, idx: ArrayLike<number>): { images: Float32Array; labels: Int32Array } {
  const [H, W, C] = s.shape, sz = H * W * C, b = idx.length;
  const images = new Float32Array(b * sz), labels = new Int32Array(b);
  for (let i = 0; i < b; i++) { const j = idx[i]!; images.set(s.images.subarray(j * sz, (j + 1) * sz), i * sz); labels[i] = s.labels[j]!; }
  return { images, labels };
}

/** Images and labels as tensors x [b,H,W,C] and one-hot y [b,K]. */
export function toTensors(images: Float32Array, labels: Int32Array, shape: readonly [number, number, number], classes: number): { x: tf.Tensor4D; y: tf.Tensor2D } {
  const b = labels.length;
  return { x: tf.tensor4d(images, [b, ...shape]), y: tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), classes).toFloat() as tf.Tensor2D) };
}

/** Gathers `idx` rows of a split into tensors x [b,H,W,C] and one-hot y [b,K]. */
export function gather(s: Split, idx: ArrayLike<number>): { x: tf.Tensor4D; y: tf.Tensor2D } {
  const { images, labels } = rowsOf(s, idx);
  return toTensors(images, labels, s.shape, s.numClasses);
}

/** The random part of augmenting one image (draws nothing for a part that is off). */
function draw(a: Augment, rand: () => number): Draw {
  const dy = a.shift ? Math.floor(rand() * (2 * a.shift + 1)) - a.shift : 0;
  const dx = a.shift ? Math.floor(rand() * (2 * a.shift + 1)) - a.shift : 0;
  return { dy, dx, flip: a.flip && rand() < 0.5 };
}

/** Applies per-image draws to images [n, H, W, C]: shifted by (dy, dx) with zero fill, then flipped. */
function apply(src: Float32Array, shape: readonly [number, number, number], draws: readonly Draw[], out = new Float32Array(src.length)): Float32Array {
  const [H, W, C] = shape, sz = H * W * C;
  out.fill(0);
  draws.forEach(({ dy, dx, flip }, n) => {
    const o = n * sz;
    for (let y = 0; y < H; y++) {
      const sy = y - dy;
      if (sy < 0 || sy >= H) continue;
      for (let x = 0; x < W; x++) {
        const sx = x - dx;
        if (sx < 0 || sx >= W) continue;
        const tx = flip ? W - 1 - x : x;
        for (let c = 0; c < C; c++) out[o + (y * W + tx) * C + c] = src[o + (sy * W + sx) * C + c]!;
      }
    }
  });
  return out;
}

/** Augments a batch of images [n, H, W, C] with draws from `rand` (image by image: dy, dx, flip). */
export function augment(images: Float32Array, shape: readonly [number, number, number], a: Augment, rand: () => number): Float32Array {
  const n = images.length / (shape[0] * shape[1] * shape[2]);
  return apply(images, shape, Array.from({ length: n }, () => draw(a, rand)));
}

/**
 * Shuffled batches without replacement: a new permutation whenever the rest of the epoch is shorter than
 * a batch (the remainder is dropped, so an epoch is ⌊n / batch⌋ steps). With `aug`, each image's draws
 * follow its batch's indices in the same stream.
 */
export class BatchStream {
  private order: Int32Array;
  private cursor = 0;

  constructor(private readonly n: number, private readonly batchSize: number, private readonly rand: () => number, private readonly aug: Augment | null = null) {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batch size must be a positive integer, got ${batchSize}`);
    if (batchSize > n) throw new Error(`batch size ${batchSize} is larger than the ${n} training images`);
    this.order = permutation(n, rand);
  }

  /** Optimiser steps in one pass over the data. */
  get stepsPerEpoch(): number { return Math.floor(this.n / this.batchSize); }

  private next(): { idx: Int32Array; draws: Draw[] | null } {
    if (this.cursor + this.batchSize > this.n) { this.order = permutation(this.n, this.rand); this.cursor = 0; }
    const idx = this.order.subarray(this.cursor, this.cursor + this.batchSize);
    this.cursor += this.batchSize;
    const aug = this.aug;
    return { idx, draws: aug ? Array.from(idx, () => draw(aug, this.rand)) : null };
  }

  /** The next batch of `s` as tensors (the caller disposes them). */
  batch(s: Split): { x: tf.Tensor4D; y: tf.Tensor2D } {
    const { idx, draws } = this.next();
    const rows = rowsOf(s, idx);
    return toTensors(draws ? apply(rows.images, s.shape, draws) : rows.images, rows.labels, s.shape, s.numClasses);
  }

  /** Advances past `k` batches, drawing exactly what building them would draw. */
  skip(k: number): void {
    for (let i = 0; i < k; i++) this.next();
  }
}

/** A fixed subset: the first n of a seeded permutation of the split (the same for every caller). */
export function subset(s: Split, n: number, seed: number): Split {
  const idx = permutation(s.n, rng(seed)).subarray(0, Math.min(n, s.n));
  const { images, labels } = rowsOf(s, idx);
  return { images, labels, n: idx.length, shape: s.shape, numClasses: s.numClasses };
}

/**
 * A fixed class-balanced subset: n / classes images of each class, the first ones of each class in a
 * seeded permutation (kept in that permutation's order). Throws when a class has too few images.
 */
export function balancedSubset(s: Split, n: number, seed: number): Split {
  if (!Number.isInteger(n / s.numClasses) || n < s.numClasses) throw new Error(`balanced subset of ${n} images: need a positive multiple of the ${s.numClasses} classes`);
  const per = n / s.numClasses, count = new Array<number>(s.numClasses).fill(0), idx: number[] = [];
  for (const i of permutation(s.n, rng(seed))) {
    const c = s.labels[i]!;
    if (count[c]! < per) { count[c]!++; idx.push(i); }
    if (idx.length === n) break;
  }
  if (idx.length < n) throw new Error(`balanced subset of ${n} images: the split has only ${count.join('/')} per class`);
  const { images, labels } = rowsOf(s, idx);
  return { images, labels, n, shape: s.shape, numClasses: s.numClasses };
}

/** Splits off the last `n` images of a seeded permutation as a validation split; the rest trains. */
export function holdOut(s: Split, n: number, seed: number): { train: Split; val: Split } {
  if (!Number.isInteger(n) || n < 1 || n >= s.n) throw new Error(`validation split of ${n} images from ${s.n}: need 1 ≤ n < ${s.n}`);
  const p = permutation(s.n, rng(seed));
  const part = (idx: Int32Array): Split => ({ ...rowsOf(s, idx), n: idx.length, shape: s.shape, numClasses: s.numClasses });
  return { train: part(p.subarray(0, s.n - n)), val: part(p.subarray(s.n - n)) };
}
