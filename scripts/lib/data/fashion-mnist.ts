// Fashion-MNIST (Xiao, Rasul & Vollgraf 2017, arXiv:1708.07747) from the IDX files that
// Debian's `dataset-fashion-mnist` installs, or from FASHION_MNIST_DIR.
//
//   const data = fashionMnist({ trainLimit: 10000 });   // { train, test }: 28×28×1 in [0, 1]
//
// Nothing is downloaded: every file is checked against its known SHA-256 first, and a missing
// or corrupt file throws an error that names it and says how to get it.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Data, Split } from '../train';

export const FASHION_MNIST_DEFAULT_DIR = '/usr/share/datasets/fashion-mnist';

/** SHA-256 of the upstream .gz files (identical in Debian's package). */
export const FASHION_MNIST_SHA256: Readonly<Record<string, string>> = {
  'train-images-idx3-ubyte.gz': 'b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7',
  'train-labels-idx1-ubyte.gz': '0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056',
  't10k-images-idx3-ubyte.gz': 'cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa',
  't10k-labels-idx1-ubyte.gz': '8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05',
};

export const FASHION_MNIST_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'] as const;

const FIX = `install it with \`apt-get install dataset-fashion-mnist\` (Debian), or set FASHION_MNIST_DIR to a folder holding the four original .gz files`;

export function fashionMnistDir(): string {
  return process.env.FASHION_MNIST_DIR || FASHION_MNIST_DEFAULT_DIR;
}

/** True when all four files exist (checksums are verified on load, not here). */
export function fashionMnistAvailable(dir = fashionMnistDir()): boolean {
  return Object.keys(FASHION_MNIST_SHA256).every((f) => existsSync(join(dir, f)));
}

/** Reads, verifies and gunzips one file; throws a message naming the file and the fix. */
export function readVerified(dir: string, file: string): Buffer {
  const path = join(dir, file);
  if (!existsSync(path)) throw new Error(`Fashion-MNIST file missing: ${path}. ${FIX}.`);
  const gz = readFileSync(path);
  const sha = createHash('sha256').update(gz).digest('hex');
  const want = FASHION_MNIST_SHA256[file];
  if (sha !== want) throw new Error(`Fashion-MNIST file corrupt: ${path} has SHA-256 ${sha}, expected ${want}. Reinstall it: ${FIX}.`);
  return gunzipSync(gz);
}

/** IDX format: magic (0x0000 08 rank), big-endian dims, then unsigned bytes. */
export function parseIdx(buf: Buffer, what: string): { dims: number[]; data: Uint8Array } {
  if (buf.length < 8 || buf[0] !== 0 || buf[1] !== 0 || buf[2] !== 0x08) throw new Error(`${what}: not an IDX ubyte file`);
  const rank = buf[3]!;
  const dims = Array.from({ length: rank }, (_, i) => buf.readUInt32BE(4 + 4 * i));
  const off = 4 + 4 * rank;
  const size = dims.reduce((a, b) => a * b, 1);
  if (buf.length !== off + size) throw new Error(`${what}: IDX size mismatch (${buf.length} bytes for dims ${dims})`);
  return { dims, data: new Uint8Array(buf.buffer, buf.byteOffset + off, size) };
}

function loadSplit(dir: string, prefix: 'train' | 't10k', limit: number): Split {
  const img = parseIdx(readVerified(dir, `${prefix}-images-idx3-ubyte.gz`), `${prefix} images`);
  const lab = parseIdx(readVerified(dir, `${prefix}-labels-idx1-ubyte.gz`), `${prefix} labels`);
  const [n0, h, w] = img.dims as [number, number, number];
  if (lab.dims[0] !== n0) throw new Error(`Fashion-MNIST ${prefix}: ${n0} images but ${lab.dims[0]} labels`);
  const n = limit > 0 ? Math.min(limit, n0) : n0;
  const images = new Float32Array(n * h * w);
  for (let i = 0; i < images.length; i++) images[i] = img.data[i]! / 255;
  const labels = Int32Array.from(lab.data.subarray(0, n));
  return { images, labels, n, shape: [h, w, 1], numClasses: 10 };
}

const cache = new Map<string, Data>();

/** Train (60k) and test (10k) splits; `trainLimit`/`testLimit` keep the first n (0 = all). */
export function fashionMnist(opts: { dir?: string; trainLimit?: number; testLimit?: number } = {}): Data {
  const dir = opts.dir ?? fashionMnistDir();
  const key = `${dir}|${opts.trainLimit ?? 0}|${opts.testLimit ?? 0}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const data = { train: loadSplit(dir, 'train', opts.trainLimit ?? 0), test: loadSplit(dir, 't10k', opts.testLimit ?? 0) };
  cache.set(key, data);
  return data;
}
