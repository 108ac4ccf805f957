// `npm run build` swaps the new site in only when astro succeeds: a failing build (here a fake
// astro that writes half a site, then fails) leaves the previous dist/ untouched and no temp folder.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { buildAndSwap } from '../../scripts/lib/io/swap-build';

const root = mkdtempSync(join(tmpdir(), 'atlas-swap-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A stand-in for astro: writes index.html into --outDir, then exits with `code`. */
function fakeAstro(code: number, page: string): string {
  const bin = join(root, `astro-${code}-${page}.sh`);
  writeFileSync(bin, `#!/bin/sh\nout=""\nwhile [ $# -gt 0 ]; do [ "$1" = "--outDir" ] && out="$2"; shift; done\nmkdir -p "$out" && echo '${page}' > "$out/index.html"\nexit ${code}\n`);
  chmodSync(bin, 0o755);
  return bin;
}

describe('build and swap', () => {
  it('replaces dist/ on success, keeps the previous dist/ on failure, never leaves a temp folder', () => {
    const dist = join(root, 'dist');
    expect(buildAndSwap(dist, fakeAstro(0, 'first'), ['build'])).toBe(0);
    expect(readFileSync(join(dist, 'index.html'), 'utf8').trim()).toBe('first');
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(buildAndSwap(dist, fakeAstro(3, 'half'), ['build'])).toBe(3);
    expect(String(err.mock.calls[0]?.[0])).toMatch(/build failed \(exit 3\); .*dist\/ still holds the previous build/);
    err.mockRestore();
    expect(readFileSync(join(dist, 'index.html'), 'utf8').trim()).toBe('first');
    expect(buildAndSwap(dist, fakeAstro(0, 'second'), ['build'])).toBe(0);
    expect(readFileSync(join(dist, 'index.html'), 'utf8').trim()).toBe('second');
    expect(readdirSync(root).filter((f) => f.startsWith('dist'))).toEqual(['dist']);
  });

  it('removes the temp folder a killed build left (its pid is dead), not a live one', () => {
    const dead = join(root, 'dist.tmp-999999');
    mkdirSync(dead);
    writeFileSync(join(dead, 'index.html'), 'half');
    const live = join(root, `dist.tmp-${process.ppid}`);
    mkdirSync(live);
    expect(buildAndSwap(join(root, 'dist'), fakeAstro(0, 'third'), ['build'])).toBe(0);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live)).toBe(true);
  });
});
