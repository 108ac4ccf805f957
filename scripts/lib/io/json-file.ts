/**
 * JSON files under generated/: written atomically (tmp + rename, so a killed run never leaves
 * half a file) and only when the content changed (so a rebuild does not dirty the git tree).
 * Reading lives in contracts/json-file.ts, which the site shares.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { z } from 'astro/zod';
import { readJsonFile, stableJson, validated } from '../../../contracts/json-file';

export { readJsonFile, stableJson };

/** Writes `data` to `path` through a temp file and a rename, so a killed run never leaves half a file. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  // The writer's pid is in the name: a cleaner removes a temp file only when its writer is dead.
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** Returns true when the file was (re)written. */
export function writeJsonAtomic(path: string, data: unknown): boolean {
  const text = stableJson(data);
  if (existsSync(path) && readFileSync(path, 'utf8') === text) return false;
  writeFileAtomic(path, text);
  return true;
}

/** Checks `data` against its contract first: a file the site would reject is never written. */
export function writeValidatedJson<S extends z.ZodType>(path: string, schema: S, data: unknown, contract: string): boolean {
  validated(schema, data, path, contract, `fix the code that produced it (the file was not written)`);
  return writeJsonAtomic(path, data); // as given: parsing would drop fields the contract does not name

}
