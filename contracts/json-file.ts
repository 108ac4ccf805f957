// Reading JSON files that both sides share (scripts write them, the site reads them): a missing
// or corrupt file throws an error naming the file and the fix; a schema names the field.
import { readFileSync } from 'node:fs';
import type { z } from 'astro/zod';

export function stableJson(data: unknown): string {
  return JSON.stringify(data, null, 2) + '\n';
}

export class MissingJsonError extends Error {}

/** Reads a JSON file; a missing or corrupt file throws an error naming the file and the fix. */
export function readJsonFile<T = unknown>(path: string, fix: string): T {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new MissingJsonError(`${path} is missing. Fix: ${fix}`);
  }
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new Error(`${path} is not valid JSON (${(err as Error).message}). Fix: ${fix}`);
  }
}

/** `data` checked against `schema`, or an error naming the file, the contract and each bad field. */
export function validated<S extends z.ZodType>(schema: S, data: unknown, path: string, contract: string, fix: string): z.infer<S> {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  const issues = r.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  throw new Error(`${path} does not match ${contract}: ${issues}. Fix: ${fix}`);
}
