/**
 * The lab's fixed input sample: a class-balanced, seeded draw from the Fashion-MNIST test split
 * (Debian's dataset-fashion-mnist), written once and committed.
 *
 *   npx tsx scripts/lab-sample.ts            # → generated/lab/fmnist-sample.bin and fmnist-sample.json
 *
 * fmnist-sample.bin: `count` images of 28×28 unsigned bytes (row-major, 0 = black), then `count`
 * label bytes. fmnist-sample.json records the seed, the test-split indices and the file's SHA-256;
 * the site serves the .bin at /lab/fmnist-sample.bin and refuses to build if the hash differs.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { mulberry32 } from '../models/nn/rng';
import { writeFileAtomic } from './lib/io/json-file';
import { fashionMnistDir, parseIdx, readVerified } from './lib/data/fashion-mnist';
import { permutation } from './lib/train/batches';

export const LAB_SAMPLE = { seed: 17, perClass: 30, dir: 'generated/lab', name: 'fmnist-sample' } as const;

/** Test-split indices: the first `perClass` of each class in a seeded permutation, in permutation order. */
export function drawSample(labels: ArrayLike<number>, perClass: number, seed: number): number[] {
  const order = permutation(labels.length, mulberry32(seed));
  const taken = new Array<number>(10).fill(0), out: number[] = [];
  for (const i of order) if (taken[labels[i]!]! < perClass) { taken[labels[i]!]!++; out.push(i); }
  if (out.length !== 10 * perClass) throw new Error(`drawSample: only ${out.length} images for ${perClass} per class`);
  return out;
}

/** The sample's bytes and its record, drawn from the test split in `dir`. */
export function buildSample(dir = fashionMnistDir()): { bytes: Uint8Array; meta: Record<string, unknown> & { sha256: string } } {
  const img = parseIdx(readVerified(dir, 't10k-images-idx3-ubyte.gz'), 'test images');
  const lab = parseIdx(readVerified(dir, 't10k-labels-idx1-ubyte.gz'), 'test labels');
  const indices = drawSample(lab.data, LAB_SAMPLE.perClass, LAB_SAMPLE.seed);
  const n = indices.length, px = 28 * 28, bytes = new Uint8Array(n * px + n);
  indices.forEach((t, k) => {
    bytes.set(img.data.subarray(t * px, (t + 1) * px), k * px);
    bytes[n * px + k] = lab.data[t]!;
  });
  const meta = {
    source: 'Fashion-MNIST test split (t10k), Debian dataset-fashion-mnist',
    seed: LAB_SAMPLE.seed, perClass: LAB_SAMPLE.perClass, count: n, height: 28, width: 28,
    layout: 'count×28×28 uint8 images (row-major), then count uint8 labels',
    sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.byteLength, indices,
  };
  return { bytes, meta };
}

function main(): void {
  const { bytes, meta } = buildSample();
  mkdirSync(LAB_SAMPLE.dir, { recursive: true });
  const bin = join(LAB_SAMPLE.dir, `${LAB_SAMPLE.name}.bin`);
  writeFileAtomic(bin, bytes);
  writeFileAtomic(join(LAB_SAMPLE.dir, `${LAB_SAMPLE.name}.json`), `${JSON.stringify(meta, null, 1)}\n`);
  console.log(`${bin}: ${meta.count} images, sha256 ${meta.sha256}`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
