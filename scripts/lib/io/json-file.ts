/**
 * JSON files under generated/: written atomically (tmp + rename, so a killed run never leaves
 * half a file) and only when the content changed (so a rebuild does not dirty the git tree).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';

export function stableJson(data: unknown): string {
  return JSON.stringify(data, null, 2) + '\n';
}

/** Returns true when the file was (re)written. */
export function writeJsonAtomic(path: string, data: unknown): boolean {
  const text = stableJson(data);
  if (existsSync(path) && readFileSync(path, 'utf8') === text) return false;
  mkdirSync(dirname(path), { recursive: true });
  // The writer's pid is in the name: a cleaner removes a temp file only when its writer is dead.
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  return true;
}

/** Reads a JSON file; a missing or corrupt file throws an error naming the file and the fix. */
export function readJsonFile<T = unknown>(path: string, fix: string): T {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new Error(`${path} is missing. Fix: ${fix}`);
  }
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new Error(`${path} is not valid JSON (${(err as Error).message}). Fix: delete it and ${fix}`);
  }
}
