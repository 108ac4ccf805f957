// Trained weights in TensorFlow.js's weights-manifest format, so a browser can load them with
// `tf.io.loadWeights(manifest, prefix)` (float32, one shard) and Node with `loadTfjsWeights`.
//
//   const w = saveTfjsWeights(model, 'generated/pool/weights', 'vit-full-s0');
//   // → vit-full-s0.weights.json ([{ paths: ['vit-full-s0.weights.bin'], weights: [{ name, shape, dtype }] }])
//   //   vit-full-s0.weights.bin  (every variable, trainable and buffers, in creation order)
//   loadTfjsWeights(createModel('vit_mini_patch4_28'), w.manifest);
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { writeFileAtomic } from '../io/json-file';
import type { ZooModel } from '../../../models/nn/model';
import { assignWeights, shardOf, type WeightsManifest } from '../../../models/nn/weights';

export interface TfjsWeightsFiles {
  manifest: string;   // path of <name>.weights.json
  bin: string;        // path of <name>.weights.bin
  sha256: string;     // of the .bin
  bytes: number;
}


/** Writes the model's variables as <dir>/<name>.weights.{bin,json}, atomically, the manifest last. */
export function saveTfjsWeights(model: ZooModel, dir: string, name: string): TfjsWeightsFiles {
  const entries = model.namedVariables();
  const buf = new Float32Array(entries.reduce((s, [, v]) => s + v.size, 0));
  let o = 0;
  for (const [, v] of entries) { buf.set(v.dataSync() as Float32Array, o); o += v.size; }
  const bytes = new Uint8Array(buf.buffer);
  const bin = join(dir, `${name}.weights.bin`), manifest = join(dir, `${name}.weights.json`);
  const m: WeightsManifest = [{ paths: [basename(bin)], weights: entries.map(([p, v]) => ({ name: p, shape: [...v.shape], dtype: 'float32' })) }];
  writeFileAtomic(bin, bytes);
  writeFileAtomic(manifest, `${JSON.stringify(m)}\n`);
  return { manifest, bin, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.byteLength };
}

/** sha256 of a file (hex). */
export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/**
 * Loads a manifest written by saveTfjsWeights into `model`; the names and shapes must match the model's
 * variables one for one, and `sha256` (when given) the .bin file. Errors name the file and the mismatch.
 */
export function loadTfjsWeights(model: ZooModel, manifestPath: string, sha256?: string): void {
  if (!existsSync(manifestPath)) throw new Error(`weights manifest missing: ${manifestPath}`);
  const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as WeightsManifest;
  const binPath = join(dirname(manifestPath), shardOf(m, manifestPath));
  if (!existsSync(binPath)) throw new Error(`weights file missing: ${binPath} (named by ${manifestPath})`);
  const raw = readFileSync(binPath);
  if (sha256) {
    const got = createHash('sha256').update(raw).digest('hex');
    if (got !== sha256) throw new Error(`${binPath}: sha256 ${got}, expected ${sha256}; restore it with \`git checkout -- ${binPath}\``);
  }
  assignWeights(model, m, new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength)), manifestPath);
}
