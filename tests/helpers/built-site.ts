/** The built site for browser/link tests: builds dist/ once if it is missing. */
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const DIST = 'dist';

export function ensureBuiltSite(): void {
  if (existsSync(`${DIST}/index.html`) && existsSync(`${DIST}/pagefind/pagefind.js`)) return;
  console.warn('dist/ is missing: running `npm run build` first (about a minute).');
  execSync('npm run build', { stdio: 'inherit' });
}
