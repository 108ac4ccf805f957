/**
 * The lab's heavy half, loaded by a dynamic import on the reader's first request for answers:
 * TensorFlow.js on its wasm backend (the .wasm files from this site; cpu if wasm cannot start), the
 * model definitions the experiments use (models/), and the pool's weights.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createModel } from '../../../models/index';
import type { ZooModel } from '../../../models/nn/model';
import { assignWeights, shardOf, type WeightsManifest } from '../../../models/nn/weights';
import { LAB_WASM_PATH, type LabModel } from '~/lib/lab/types';

/** Starts the wasm backend, or cpu when wasm cannot; returns the backend's name. */
export async function startBackend(): Promise<string> {
  setWasmPaths(LAB_WASM_PATH);
  try {
    if (await tf.setBackend('wasm')) {
      await tf.ready();
      return 'wasm';
    }
  } catch {
    // falls through to cpu
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return 'cpu';
}

async function fetchOk(url: string): Promise<Response> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res;
}

const hex = (buf: ArrayBuffer) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');

/** The model with the pool's weights; the shard must match the sha256 the pool recorded. */
export async function loadModel(m: LabModel): Promise<ZooModel> {
  if (!m.weights) throw new Error(`${m.arch}: no weights in the pool`);
  const manifest = (await (await fetchOk(m.weights)).json()) as WeightsManifest;
  const shard = new URL(shardOf(manifest, m.weights), new URL(m.weights, location.href)).href;
  const buf = await (await fetchOk(shard)).arrayBuffer();
  if (m.sha256) {
    const got = hex(await crypto.subtle.digest('SHA-256', buf));
    if (got !== m.sha256) throw new Error(`${shard}: sha256 ${got}, the pool says ${m.sha256}`);
  }
  const model = createModel(m.arch);
  assignWeights(model, manifest, new Float32Array(buf), m.weights);
  return model;
}

/** Class probabilities (softmax of the logits, eval mode) for one 28×28 image in [0, 1]. */
export function probabilities(model: ZooModel, image: Float32Array): number[] {
  return tf.tidy(() => {
    const x = tf.tensor4d(image, [1, 28, 28, 1]);
    return Array.from(tf.softmax(model.forward(x, { training: false }).logits).dataSync());
  });
}

/** Class probabilities for several 28×28 images in one batch, one row per image. */
export function probabilitiesBatch(model: ZooModel, images: Float32Array[]): number[][] {
  return tf.tidy(() => {
    const x = tf.tensor4d(Float32Array.from(images.flatMap((im) => Array.from(im))), [images.length, 28, 28, 1]);
    const p = tf.softmax(model.forward(x, { training: false }).logits).dataSync();
    return images.map((_, i) => Array.from(p.subarray(i * 10, (i + 1) * 10)));
  });
}

/** The attention probabilities of every block, first to last ([1, heads, N, M] each, class token first). */
export function attentionTaps(model: ZooModel, image: Float32Array): Array<{ data: Float32Array; shape: number[] }> {
  return tf.tidy(() => {
    const { taps } = model.forward(tf.tensor4d(image, [1, 28, 28, 1]), { training: false, taps: true });
    const names = Object.keys(taps).filter((k) => /^block\d+\.attn$/.test(k)).sort();
    return names.map((k) => ({ data: taps[k]!.dataSync() as Float32Array, shape: taps[k]!.shape }));
  });
}

/** The gradient of the top class's logit with respect to the input pixels (eval mode), and that class. */
export function inputGradient(model: ZooModel, image: Float32Array): { grad: Float32Array; cls: number } {
  return tf.tidy(() => {
    const x = tf.tensor4d(image, [1, 28, 28, 1]);
    const cls = tf.argMax(model.forward(x, { training: false }).logits, 1).dataSync()[0]!;
    // A one-hot product instead of gather: gather's gradient needs UnsortedSegmentSum, which tfjs's wasm backend lacks.
    const pick = tf.oneHot([cls], 10);
    const g = tf.grad((inp: tf.Tensor) => tf.mul(model.forward(inp as tf.Tensor4D, { training: false }).logits, pick).sum())(x);
    return { grad: g.dataSync() as Float32Array, cls };
  });
}

/**
 * An adversarial input against `model` (Goodfellow et al. 2015, arXiv:1412.6572; Madry et al. 2018,
 * arXiv:1706.06083): the cross-entropy of the model's own answer on the clean input is increased
 * within an L∞ ball of radius ε, staying in [0, 1]. FGSM is one signed-gradient step of ε; PGD takes
 * `steps` steps of ε/4, each projected back into the ball, from the clean input (no random start,
 * so one setting is one image).
 */
export function attack(model: ZooModel, image: Float32Array, kind: 'fgsm' | 'pgd', eps: number, steps = 10): Float32Array {
  return tf.tidy(() => {
    const x0 = tf.tensor4d(image, [1, 28, 28, 1]);
    const label = tf.oneHot(tf.argMax(model.forward(x0, { training: false }).logits, 1), 10);
    const lossGrad = tf.grad((x: tf.Tensor) => tf.losses.softmaxCrossEntropy(label, model.forward(x as tf.Tensor4D, { training: false }).logits));
    const step = (x: tf.Tensor, size: number) => {
      const moved = tf.add(x, tf.mul(tf.sign(lossGrad(x)), size));
      return tf.clipByValue(tf.minimum(tf.maximum(moved, tf.sub(x0, eps)), tf.add(x0, eps)), 0, 1);
    };
    let x: tf.Tensor = x0;
    if (kind === 'fgsm') x = step(x0, eps);
    else for (let i = 0; i < steps; i++) x = step(x, eps / 4);
    return x.dataSync() as Float32Array;
  });
}
