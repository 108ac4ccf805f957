/** Read-only access to generated/ for pages: results come from scripts/, never computed here; every file is checked against contracts/. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MissingJsonError, readJsonFile, validated } from '../../contracts/json-file';
import { GENERATED_INDEX_FILE, generatedIndexSchema, type GeneratedIndex } from '../../contracts/generated-index';
import { valuesFileSchema, type ValueEntry } from '../../contracts/values';

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
  return readJsonFile<T>(path, `restore it (\`git checkout -- generated/${experiment}/${file}\`) or ${fixFor(experiment)}`);
}

let indexCache: GeneratedIndex | undefined;
/** generated/index.json: the experiments pages may name. */
export function loadIndex(): GeneratedIndex {
  if (indexCache) return indexCache;
  const path = join(GENERATED_DIR, GENERATED_INDEX_FILE);
  const fix = 'run `npm run generate` (it writes the index) and commit it.';
  try {
    indexCache = validated(generatedIndexSchema, readJsonFile(path, fix), path, 'contracts/generated-index.ts', fix);
  } catch (e) {
    if (e instanceof MissingJsonError) throw new Error(e.message);
    throw e;
  }
  return indexCache;
}

/**
 * Fails the build when a page names an experiment that does not exist (a typo would otherwise
 * read "pending" forever). `page` is the page's path; `component` the tag, for the message.
 */
export function assertKnownExperiment(experiment: string, page: string, component: string): void {
  const known = loadIndex().experiments.map((e) => e.id);
  if (known.includes(experiment)) return;
  throw new Error(`${page}: <${component} experiment="${experiment}"> names an unknown experiment. Known experiments (generated/index.json): ${known.join(', ')}. Fix: correct the name, or list the experiment in scripts/experiments/index.ts and run \`npm run generate\`.`);
}

/**
 * A single number quoted in prose, looked up by key; an unknown experiment or key fails the build
 * naming `page`, the file and what it has.
 */
export function loadValue(experiment: string, key: string, page = '(a page)', component = 'Value'): ValueEntry {
  assertKnownExperiment(experiment, page, component);
  const path = join(GENERATED_DIR, experiment, 'values.json');
  const file = validated(valuesFileSchema, loadGenerated(experiment, 'values.json'), path, 'contracts/values.ts', fixFor(experiment));
  const v = file.values[key];
  if (!v) {
    throw new Error(
      `generated/${experiment}/values.json has no value "${key}". Known keys: ${Object.keys(file.values).join(', ')}`,
    );
  }
  return v;
}
