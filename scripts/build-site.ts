// `npm run build`'s site step (after `npm run generate`): astro build into a temp folder, swapped
// into dist/ only when it succeeds, so a failed build leaves the previous dist/ as it was.
import { resolve } from 'node:path';
import { buildAndSwap } from './lib/io/swap-build';

process.env.ASTRO_TELEMETRY_DISABLED = '1';
process.exitCode = buildAndSwap('dist', resolve('node_modules/.bin/astro'), ['build', ...process.argv.slice(2)]);
