/**
 * JSON files under generated/: written atomically (tmp + rename, so a killed run never leaves
 * half a file) and only when the content changed (so a rebuild does not dirty the git tree).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';

export function stableJson(data: unknown): string {
  return JSON.stringify(data, null, 2) + '\n';
}

/** Returns true when the file was (re)written. */
export function writeJsonAtomic(path: string, data: unknown): boolean {
  const text = stableJson(data);
  if (existsSync(path) && readFileSync(path, 'utf8') === text) return false;
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
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
