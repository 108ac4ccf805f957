// The fast wasm kernels index HEAPF32 with byte offsets / 4. Offsets above 2 GiB are real (a Swin
// backward over 128 images reaches them), and `offset >> 2` turns them negative: copyWithin and
// fill then count from the end of the heap and overwrite malloc's bookkeeping. Use `>>> 2`.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const DIR = 'scripts/lib/engine';

describe('wasm heap offsets', () => {
  it('are turned into float indices with an unsigned shift in every engine file', () => {
    const files = readdirSync(DIR, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    expect(files.length, 'the scan must see the engine sources').toBeGreaterThan(5);
    const bad = files.flatMap((f) =>
      readFileSync(join(DIR, f), 'utf8').split('\n').flatMap((line, i) => (/[^>]>>\s*2\b/.test(line) ? [`${f}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(bad, 'replace `>> 2` by `>>> 2` (signed shift breaks offsets ≥ 2 GiB)').toEqual([]);
  });
});
