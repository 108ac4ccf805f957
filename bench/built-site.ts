/**
 * What the two benchmarks of the built site share: the `--runs N` option and the checks that the
 * build and the browser are there before anything is measured.
 */
import { existsSync } from 'node:fs';
import { CHROMIUM } from '../tests/helpers/system-deps';

export const DIST = 'dist';

/** `--runs N` (a whole number ≥ 1), else `fallback`. */
export function parseRuns(argv: readonly string[], fallback: number): number {
  const i = argv.indexOf('--runs');
  if (i === -1) return fallback;
  const n = Number(argv[i + 1]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--runs needs a whole number ≥ 1, got '${argv[i + 1] ?? ''}'`);
  return n;
}

/** Fails with the fix when dist/ has not been built or Chromium is missing. */
export function requireBuiltSiteAndChromium(): void {
  if (!existsSync(`${DIST}/index.html`)) throw new Error(`${DIST}/index.html is missing: run \`npm run build\` first`);
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium fonts-noto-cjk, or set CHROMIUM_PATH`);
}
