// Per-experiment run locks (.cache/locks/<id>.lock holding the pid), so that a build does not
// start training units that a running `npm run experiments` is already working on.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const LOCK_DIR = resolve('.cache/locks');
const lockPath = (id: string) => join(LOCK_DIR, `${id}.lock`);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pid of a live run holding the experiment, if any (a lock left by a dead process is ignored). */
export function heldBy(id: string): number | undefined {
  if (!existsSync(lockPath(id))) return undefined;
  const pid = Number(readFileSync(lockPath(id), 'utf8'));
  return Number.isInteger(pid) && pid !== process.pid && alive(pid) ? pid : undefined;
}

/** Takes the locks for these experiments; returns a release function (also run on exit). */
export function acquire(ids: readonly string[]): () => void {
  mkdirSync(LOCK_DIR, { recursive: true });
  for (const id of ids) writeFileSync(lockPath(id), String(process.pid));
  const release = () => {
    for (const id of ids) if (existsSync(lockPath(id)) && readFileSync(lockPath(id), 'utf8') === String(process.pid)) rmSync(lockPath(id));
  };
  process.once('exit', release);
  return release;
}
