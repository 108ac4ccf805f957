// The engine revision in every cache key: a change to any engine source (in a subfolder too),
// the tfjs version or the planned backend gives another revision, and so another key.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { engineRevision, hashSources, plannedBackend } from '../../scripts/lib/engine/revision';
import { cacheKey } from '../../scripts/lib/experiments/cache';

const root = mkdtempSync(join(tmpdir(), 'atlas-rev-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('engine revision', () => {
  it('hashes every file under the engine folder, subfolders included, independent of listing order', () => {
    mkdirSync(join(root, 'wasm'), { recursive: true });
    writeFileSync(join(root, 'a.ts'), 'export const a = 1;\n');
    writeFileSync(join(root, 'wasm', 'k.ts'), 'export const k = 1;\n');
    const h0 = hashSources(root);
    expect(h0).toMatch(/^[0-9a-f]{64}$/);
    expect(hashSources(root)).toBe(h0);
    writeFileSync(join(root, 'wasm', 'k.ts'), 'export const k = 2;\n');
    const h1 = hashSources(root);
    expect(h1).not.toBe(h0);
    writeFileSync(join(root, 'wasm', 'new.ts'), '');
    expect(hashSources(root)).not.toBe(h1);
    rmSync(join(root, 'wasm', 'new.ts'));
    // Moving content between files changes it too (paths are hashed with contents).
    writeFileSync(join(root, 'wasm', 'k.ts'), '');
    writeFileSync(join(root, 'a.ts'), 'export const a = 1;\nexport const k = 2;\n');
    expect(hashSources(root)).not.toBe(h1);
  });

  it('records tfjs, the planned backend and the hash of scripts/lib/engine', () => {
    const r = engineRevision();
    expect(r).toEqual({ tfjs: '4.22.0', backend: plannedBackend(), kernels: hashSources('scripts/lib/engine') });
  });

  it('plans wasm unless ATLAS_BACKEND says otherwise; a bad name fails', () => {
    expect(plannedBackend({})).toBe('wasm');
    expect(plannedBackend({ ATLAS_BACKEND: 'CPU' })).toBe('cpu');
    expect(plannedBackend({ ATLAS_BACKEND: 'tfjs-node-gpu' })).toBe('tensorflow');
    expect(() => plannedBackend({ ATLAS_BACKEND: 'cuda9' })).toThrow(/not one of/);
  });

  it('is part of the cache key', () => {
    const exp = { id: 't', codeVersion: '1' }, unit = { key: 'u0', seed: 0 };
    const rev = { tfjs: '4.22.0', backend: 'wasm' as const, kernels: 'a'.repeat(64) };
    const k = cacheKey(exp, {}, unit, rev);
    expect(cacheKey(exp, {}, unit, { ...rev, kernels: 'b'.repeat(64) })).not.toBe(k);
    expect(cacheKey(exp, {}, unit, { ...rev, backend: 'cpu' })).not.toBe(k);
    expect(cacheKey(exp, {}, unit, { ...rev, tfjs: '4.23.0' })).not.toBe(k);
    expect(cacheKey(exp, {}, unit, { ...rev })).toBe(k);
  });
});
