// What "the engine" was when a result was computed: the tfjs version, the backend the results are
// meant for, and a hash of every source file under scripts/lib/engine. It is part of every unit's
// cache key, so a kernel change makes results stale instead of silently mixing engines.
//
//   engineRevision()   // { tfjs: '4.22.0', backend: 'wasm', kernels: '3f2a…' }
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BACKEND_NAMES, type BackendName } from './device';

export interface EngineRevision {
  tfjs: string;
  backend: BackendName;
  /** sha256 over the sorted relative paths and contents of scripts/lib/engine/**. */
  kernels: string;
}

export const ENGINE_SOURCE_DIR = fileURLToPath(new URL('.', import.meta.url));

/**
 * The backend units are computed for: ATLAS_BACKEND when set, else wasm (what selectBackend()
 * picks on the CPU machines the committed results come from). The runner refuses to compute a
 * unit on another backend than the one in its key.
 */
export function plannedBackend(env: NodeJS.ProcessEnv = process.env): BackendName {
  const v = env.ATLAS_BACKEND?.trim().toLowerCase();
  if (!v) return 'wasm';
  if (v === 'tfjs-node' || v === 'tfjs-node-gpu' || v === 'node') return 'tensorflow';
  if ((BACKEND_NAMES as readonly string[]).includes(v)) return v as BackendName;
  throw new Error(`ATLAS_BACKEND=${v} is not one of ${BACKEND_NAMES.join(', ')}`);
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : []));
}

/** Hash of a source tree: relative paths (with /) sorted, each path and content length-prefixed. */
export function hashSources(dir: string): string {
  const h = createHash('sha256');
  const files = listFiles(dir).map((f) => ({ f, rel: relative(dir, f).split(sep).join('/') })).sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  for (const { f, rel } of files) {
    const body = readFileSync(f);
    h.update(`${rel}\0${body.length}\0`).update(body);
  }
  return h.digest('hex');
}

export function tfjsVersion(root = process.cwd()): string {
  try {
    return (JSON.parse(readFileSync(resolve(root, 'node_modules/@tensorflow/tfjs/package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'absent';
  }
}

const memo = new Map<string, EngineRevision>();
export function engineRevision(backend: BackendName = plannedBackend()): EngineRevision {
  let r = memo.get(backend);
  if (!r) memo.set(backend, (r = { tfjs: tfjsVersion(), backend, kernels: hashSources(ENGINE_SOURCE_DIR) }));
  return r;
}
