// A model's variables from TensorFlow.js's weights-manifest format (float32, one group, one shard),
// as scripts/lib/train/tfjs-format.ts writes them for the pool. No file access: Node reads the files
// there, the lab fetches them; both hand the parsed manifest and the shard's values to `assignWeights`.
//
//   assignWeights(createModel('vit_mini_patch4_28'), manifest, new Float32Array(bin), 'vit-full-s0.weights.json');
import * as tf from '@tensorflow/tfjs';
import type { ZooModel } from './model';

export interface WeightsManifestEntry { name: string; shape: number[]; dtype: 'float32' }
export type WeightsManifest = Array<{ paths: string[]; weights: WeightsManifestEntry[] }>;

/** The one shard's file name, after checking the manifest's shape (one group, one shard). */
export function shardOf(manifest: WeightsManifest, what: string): string {
  if (!Array.isArray(manifest) || manifest.length !== 1 || manifest[0]!.paths.length !== 1) throw new Error(`${what}: expected one group with one shard`);
  return manifest[0]!.paths[0]!;
}

/**
 * Assigns `values` (the shard) to the model's variables; the names and shapes must match the model's
 * variables one for one and in order, and the shard must hold exactly the values the manifest names.
 */
export function assignWeights(model: ZooModel, manifest: WeightsManifest, values: Float32Array, what: string): void {
  shardOf(manifest, what);
  const entries = model.namedVariables(), want = manifest[0]!.weights;
  if (entries.length !== want.length) throw new Error(`${what}: ${want.length} tensors, the model ${model.name} has ${entries.length}`);
  const total = want.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1), 0);
  if (total !== values.length) throw new Error(`${what}: the shard holds ${values.length} values, the manifest names ${total}`);
  let o = 0;
  entries.forEach(([p, v], i) => {
    const w = want[i]!;
    if (w.name !== p || w.shape.join() !== v.shape.join()) throw new Error(`${what}: tensor ${i} is ${w.name} [${w.shape}], the model has ${p} [${v.shape}]`);
    tf.tidy(() => v.assign(tf.tensor(values.subarray(o, o + v.size), v.shape, 'float32')));
    o += v.size;
  });
}
