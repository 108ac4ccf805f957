// The one weights cache: trained models saved once and loaded by every experiment that asks for the same
// (model, data, recipe, seed), so experiments that probe "the trained ViT" probe the very same weights.
//
//   const key = weightsKey('vit_mini_patch4_28', { regime: 'full', seed: 0, recipe });
//   const { meta, cached } = await cachedWeights(model, key, () => trainIt(model), log);
//
// Files: <dir>/<key>.bin (float32, every variable in creation order) and <key>.json ({ index, meta }),
// the .json written last so that it marks the pair complete; one process trains a key at a time (the
// pipeline's lock, `weights.<key>`). <dir> is $ATLAS_WEIGHTS_DIR, else
// .cache/weights under $ATLAS_RESULTS_DIR (or the project). The key hashes everything that determines
// the weights plus WEIGHTS_VERSION. The cache is never committed: unit results record what they need.
import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stableStringify } from '../experiments/cache';
import { acquire, cleanDeadTemps } from '../experiments/lock';
import type { ZooModel } from '../../../models/nn/model';

/** Bump when the training code changes what a recipe produces: every cached model is then retrained. */
export const WEIGHTS_VERSION = '1';

/** Read at call time, so tests can point ATLAS_WEIGHTS_DIR (or ATLAS_RESULTS_DIR) at a temp folder. */
export function weightsDir(): string {
  return process.env.ATLAS_WEIGHTS_DIR ? resolve(process.env.ATLAS_WEIGHTS_DIR) : resolve(process.env.ATLAS_RESULTS_DIR ?? '.', '.cache/weights');
}

/** `<name>-<16 hex>`: the hash covers WEIGHTS_VERSION, the name and `parts` (config, data, recipe, seed …). */
export function weightsKey(name: string, parts: unknown): string {
  const h = createHash('sha256').update(stableStringify({ v: WEIGHTS_VERSION, name, parts })).digest('hex').slice(0, 16);
  return `${name}-${h}`;
}

/** Saves every variable (trainable and buffers) in creation order: a JSON index + raw float32, atomically. */
export function saveWeights<M>(model: ZooModel, key: string, meta: M): void {
  const dir = weightsDir(), path = join(dir, key);
  mkdirSync(dir, { recursive: true });
  cleanDeadTemps(dir);
  const entries = model.namedVariables();
  const index = entries.map(([p, v]) => ({ path: p, shape: v.shape }));
  const buf = new Float32Array(entries.reduce((s, [, v]) => s + v.size, 0));
  let o = 0;
  for (const [, v] of entries) { buf.set(v.dataSync() as Float32Array, o); o += v.size; }
  const tmp = `.tmp-${process.pid}`;
  writeFileSync(`${path}.bin${tmp}`, Buffer.from(buf.buffer));
  writeFileSync(`${path}.json${tmp}`, JSON.stringify({ index, meta }));
  renameSync(`${path}.bin${tmp}`, `${path}.bin`);
  renameSync(`${path}.json${tmp}`, `${path}.json`); // last: it marks the pair complete
}

/** Loads cached weights into `model` and returns their meta; null when absent or unusable (said on stderr). */
export function loadWeights<M>(model: ZooModel, key: string): M | null {
  const path = join(weightsDir(), key);
  if (!existsSync(`${path}.json`) || !existsSync(`${path}.bin`)) return null;
  try {
    const { index, meta } = JSON.parse(readFileSync(`${path}.json`, 'utf8')) as { index: Array<{ path: string; shape: number[] }>; meta: M };
    const raw = readFileSync(`${path}.bin`);
    const buf = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
    const entries = model.namedVariables();
    if (entries.length !== index.length) throw new Error(`${entries.length} variables, file has ${index.length}`);
    let o = 0;
    entries.forEach(([p, v], i) => {
      const want = index[i]!;
      if (want.path !== p || want.shape.join() !== v.shape.join()) throw new Error(`variable ${i}: ${p} [${v.shape}] vs ${want.path} [${want.shape}]`);
      tf.tidy(() => v.assign(tf.tensor(buf.subarray(o, o + v.size), v.shape)));
      o += v.size;
    });
    if (o !== buf.length) throw new Error(`weights file has ${buf.length} values, model ${o}`);
    return meta;
  } catch (e) {
    process.stderr.write(`weights cache ${path}.json unusable (${(e as Error).message}); retraining\n`);
    return null;
  }
}

/**
 * The weights for `key`: loaded from the cache, or produced by `trainIt` (which trains `model` in place and
 * returns its meta) and saved. Another process training the same key is waited for, then loaded.
 */
export async function cachedWeights<M>(model: ZooModel, k: string, trainIt: () => Promise<M>, log: (line: string) => void): Promise<{ meta: M; cached: boolean }> {
  const hit = loadWeights<M>(model, k);
  if (hit) return { meta: hit, cached: true };
  const release = await acquire(`weights.${k}`, { purpose: `training ${k}`, onWait: (h) => log(`waiting for pid ${h.pid} to finish training ${k}`) });
  try {
    const late = loadWeights<M>(model, k);
    if (late) return { meta: late, cached: true };
    const meta = await trainIt();
    saveWeights(model, k, meta);
    return { meta, cached: false };
  } finally {
    release();
  }
}
