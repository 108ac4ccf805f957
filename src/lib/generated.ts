/** Read-only access to generated/ for pages: results come from scripts/, never computed here. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readJsonFile } from '../../scripts/lib/io/json-file';

export const GENERATED_DIR = join(process.cwd(), 'generated');

/**
 * A result that has not been produced yet (an experiment that has not run). Pages show it as
 * pending; anything else wrong with a file (corrupt JSON, wrong shape) still fails the build.
 */
export class MissingGeneratedError extends Error {}

const fixFor = (experiment: string) =>
  `run \`npm run generate\` (analytic results) or \`npm run experiments -- --only ${experiment}\` (trained experiments).`;

export function loadGenerated<T>(experiment: string, file: string): T {
  const path = join(GENERATED_DIR, experiment, file);
  if (!existsSync(path)) throw new MissingGeneratedError(`${path} is missing. Fix: ${fixFor(experiment)}`);
  return readJsonFile<T>(path, fixFor(experiment));
}

export interface ValuesFile {
  id: string;
  values: Record<string, { value: number; unit?: string }>;
}

/** A single number quoted in prose, looked up by key; an unknown key names the file and the keys it has. */
export function loadValue(experiment: string, key: string): { value: number; unit?: string } {
  // values.json is { id, values: {…} } (analytic results and most experiments) or the bare map.
  const file = loadGenerated<ValuesFile | ValuesFile['values']>(experiment, 'values.json');
  const values = ('values' in file && typeof file.values === 'object' ? file.values : file) as ValuesFile['values'];
  const v = values[key];
  if (!v) {
    throw new Error(
      `generated/${experiment}/values.json has no value "${key}". Known keys: ${Object.keys(values).join(', ')}`,
    );
  }
  return v;
}
