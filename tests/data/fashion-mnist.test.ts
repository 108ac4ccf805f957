import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fashionMnist, fashionMnistAvailable, fashionMnistDir, FASHION_MNIST_SHA256, parseIdx, readVerified } from '../../scripts/lib/data/fashion-mnist';
import { hasSystemDep } from '../helpers/system-deps';

describe('Fashion-MNIST errors (no data needed)', () => {
  it('a missing file names the file and the fix', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fm-'));
    expect(() => readVerified(dir, 'train-images-idx3-ubyte.gz')).toThrow(/train-images-idx3-ubyte\.gz.*apt-get install dataset-fashion-mnist.*FASHION_MNIST_DIR/);
    expect(fashionMnistAvailable(dir)).toBe(false);
  });
  it('a corrupt file names the file and its checksum', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fm-'));
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte.gz'), 'not the data');
    expect(() => readVerified(dir, 't10k-labels-idx1-ubyte.gz')).toThrow(/corrupt: .*t10k-labels-idx1-ubyte\.gz has SHA-256 [0-9a-f]{64}, expected 8d3605d1/);
  });
  it('parses IDX headers (big-endian dims)', () => {
    const buf = Buffer.from([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6]);
    const { dims, data } = parseIdx(buf, 't');
    expect(dims).toEqual([2, 1, 3]);
    expect(Array.from(data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(() => parseIdx(buf.subarray(0, 20), 't')).toThrow(/size mismatch/);
  });
});

const hasFm = hasSystemDep(`Fashion-MNIST (${fashionMnistDir()})`, fashionMnistAvailable(), 'apt-get install -y dataset-fashion-mnist, or set FASHION_MNIST_DIR');

describe.skipIf(!hasFm)('Fashion-MNIST from the system package', () => {
  it('loads 60k/10k verified images in [0, 1] with balanced labels', () => {
    const d = fashionMnist();
    expect(d.train.n).toBe(60000);
    expect(d.test.n).toBe(10000);
    expect(d.train.shape).toEqual([28, 28, 1]);
    const counts = new Array(10).fill(0);
    d.test.labels.forEach((l) => counts[l]++);
    expect(counts).toEqual(new Array(10).fill(1000));
    let mx = 0;
    for (let i = 0; i < 784 * 100; i++) mx = Math.max(mx, d.train.images[i]!);
    expect(mx).toBeLessThanOrEqual(1);
    expect(mx).toBeGreaterThan(0.9);
  });
  it('FASHION_MNIST_DIR (via dir) works and limits keep the first n', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fm-'));
    for (const f of Object.keys(FASHION_MNIST_SHA256)) copyFileSync(join(fashionMnistDir(), f), join(dir, f));
    const d = fashionMnist({ dir, trainLimit: 100, testLimit: 50 });
    expect(d.train.n).toBe(100);
    expect(d.test.n).toBe(50);
    expect(Array.from(d.train.labels.subarray(0, 10))).toEqual(Array.from(fashionMnist().train.labels.subarray(0, 10)));
  });
});
