// The fast wasm kernels index HEAPF32 with byte offsets / 4. Offsets above 2 GiB are real (a Swin
// backward over 128 images reaches them), and `offset >> 2` turns them negative: copyWithin and
// fill then count from the end of the heap and overwrite malloc's bookkeeping. Use `>>> 2`.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const DIR = 'scripts/lib/engine';

describe('wasm heap offsets', () => {
  it('are turned into float indices with an unsigned shift in every engine file', () => {
    const bad = readdirSync(DIR, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).flatMap((f) =>
      readFileSync(join(DIR, f), 'utf8').split('\n').flatMap((line, i) => (/[^>]>>\s*2\b/.test(line) ? [`${f}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(bad, 'replace `>> 2` by `>>> 2` (signed shift breaks offsets ≥ 2 GiB)').toEqual([]);
  });

  it('an offset above 2 GiB maps to the right float index only with >>>', () => {
    const offset = 2 ** 31 + 64;
    expect(offset >>> 2).toBe(2 ** 29 + 16);
    expect(offset >> 2).toBeLessThan(0); // the bug this guards against
  });
});
