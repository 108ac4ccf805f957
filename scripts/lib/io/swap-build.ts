// A build into a temp folder beside its target, swapped in only when the build succeeds: a failed
// or killed build never leaves a half-written output folder (the previous one stays).
import { spawnSync } from 'node:child_process';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { cleanDeadTemps } from '../experiments/lock';

/** Runs `command [...args, '--outDir', <temp>]` and moves <temp> to `outDir` if it exits 0. Returns the exit code. */
export function buildAndSwap(outDir: string, command: string, args: readonly string[]): number {
  const out = resolve(outDir);
  cleanDeadTemps(dirname(out)); // <out>.tmp-<pid> left by a killed build
  const tmp = `${out}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  const r = spawnSync(command, [...args, '--outDir', tmp], { stdio: 'inherit' });
  if (r.status !== 0) {
    rmSync(tmp, { recursive: true, force: true });
    console.error(`build failed (${r.error?.message ?? `exit ${r.status ?? r.signal}`}); ${existsSync(out) ? `${outDir}/ still holds the previous build` : `no ${outDir}/ was written`}`);
    return r.status || 1;
  }
  const old = `${out}.old-${process.pid}`;
  if (existsSync(out)) renameSync(out, old);
  renameSync(tmp, out);
  rmSync(old, { recursive: true, force: true });
  return 0;
}
