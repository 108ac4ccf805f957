// Exclusive named locks for the whole pipeline (experiment runs, the weights cache): one file per
// lock under .cache/locks (or $ATLAS_LOCK_DIR), created atomically, holding who took it.
//
//   const release = await acquire('weights.vit_mini', { wait: true });   // or:
//   await withLock('weights.vit_mini', async () => { … });
//
// A lock is taken over only when its holder is dead on this host; a holder on another host (a
// shared disk) is never second-guessed. Locks are released on exit, SIGINT, SIGTERM and SIGHUP.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, linkSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';

export interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
  name: string;
  /** What the holder is doing, for the message a waiting process prints. */
  purpose?: string;
}

export class LockHeldError extends Error {
  constructor(readonly path: string, readonly holder: LockHolder) {
    super(heldMessage(path, holder));
  }
}

export const lockDir = (): string => resolve(process.env.ATLAS_LOCK_DIR ?? '.cache/locks');

/** A lock name is a file name: other characters are replaced and a short hash keeps names apart. */
export function lockPath(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]/g, '_');
  const file = safe === name ? name : `${safe}.${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
  return join(lockDir(), `${file}.lock`);
}

/** Whether a process exists on this host (EPERM: it exists but belongs to someone else). */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function heldMessage(path: string, h: LockHolder): string {
  const here = h.host === hostname();
  return (
    `${h.name} is held by pid ${h.pid} on ${here ? 'this host' : `host ${h.host}`} since ${h.startedAt}${h.purpose ? ` (${h.purpose})` : ''}; lock file ${path}. ` +
    (here ? `Wait for it to finish, or stop it (kill ${h.pid}).` : `This host cannot check that process: wait for it, or delete ${path} if you know it has ended.`)
  );
}

// ---- this process's locks -----------------------------------------------------------------
const held = new Map<string, { text: string; count: number }>();
let handlersInstalled = false;

function releaseAll(): void {
  for (const [path, h] of held) removeIfOurs(path, h.text);
  held.clear();
}

const SIGNALS: Array<[NodeJS.Signals, number]> = [['SIGINT', 2], ['SIGTERM', 15], ['SIGHUP', 1]];
function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', releaseAll);
  for (const [sig, n] of SIGNALS) {
    const onSignal = () => {
      releaseAll();
      // Another handler (the runner's SIGINT report) decides when to exit; alone, exit as the signal would.
      if (process.listenerCount(sig) === 1) process.exit(128 + n);
    };
    process.on(sig, onSignal);
  }
}

function removeIfOurs(path: string, text: string): void {
  try {
    if (readFileSync(path, 'utf8') === text) rmSync(path, { force: true });
  } catch { /* already gone */ }
}

function readHolder(path: string): { text: string; holder: LockHolder | undefined } | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined; // released meanwhile
  }
  try {
    const h = JSON.parse(text) as LockHolder;
    if (Number.isInteger(h.pid) && typeof h.host === 'string') return { text, holder: h };
  } catch { /* below */ }
  // The earlier lock format: a bare pid, always written on this host.
  if (/^\d+$/.test(text.trim())) return { text, holder: { pid: Number(text.trim()), host: hostname(), startedAt: 'unknown', name: path } };
  return { text, holder: undefined };
}

function isStale(path: string, cur: { text: string; holder: LockHolder | undefined }): boolean {
  const h = cur.holder;
  if (!h) {
    // Not a lock this module writes (links make the content appear at once): stale after a grace period.
    try { return Date.now() - statSync(path).mtimeMs > 10_000; } catch { return false; }
  }
  if (h.host !== hostname()) return false;
  if (h.pid === process.pid) return !held.has(path); // our pid, but not our lock: a previous life of this pid
  return !isAlive(h.pid);
}

/** Moves a stale lock aside; if another process replaced it meanwhile by a live one, puts that back. */
function breakStale(path: string, seen: string): void {
  const grave = `${path}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(path, grave);
  } catch {
    return;
  }
  try {
    if (readFileSync(grave, 'utf8') !== seen) linkSync(grave, path);
  } catch { /* a new lock is already there: theirs wins */ }
  rmSync(grave, { force: true });
}

function createExclusive(path: string, tmp: string, text: string): boolean {
  try {
    linkSync(tmp, path); // atomic, and the file appears with its content
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw e;
  }
  // File systems without hard links: O_EXCL create, then write.
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  writeSync(fd, text);
  closeSync(fd);
  return true;
}

/**
 * Takes the lock now, or returns who holds it. Re-entrant within a process: each call returns
 * its own release, and the file goes when the last one is released.
 */
export function tryAcquire(name: string, purpose?: string): (() => void) | LockHolder {
  const path = lockPath(name);
  const mine = held.get(path);
  if (mine) {
    mine.count++;
    return releaser(path);
  }
  mkdirSync(lockDir(), { recursive: true });
  const me: LockHolder = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), name, ...(purpose ? { purpose } : {}) };
  const text = `${JSON.stringify(me)}\n`;
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  writeFileSync(tmp, text);
  try {
    for (let attempt = 0; attempt < 20; attempt++) {
      if (createExclusive(path, tmp, text)) {
        held.set(path, { text, count: 1 });
        installHandlers();
        return releaser(path);
      }
      const cur = readHolder(path);
      if (!cur) continue;
      if (!isStale(path, cur)) return cur.holder ?? { pid: 0, host: 'unknown', startedAt: 'unknown', name };
      breakStale(path, cur.text);
    }
    throw new Error(`${path}: could not take the lock (it keeps changing hands)`);
  } finally {
    rmSync(tmp, { force: true });
  }
}

function releaser(path: string): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    const h = held.get(path);
    if (!h || --h.count > 0) return;
    held.delete(path);
    removeIfOurs(path, h.text);
  };
}

export interface AcquireOptions {
  /** Wait for the holder to finish (default) or throw LockHeldError at once. */
  wait?: boolean;
  /** Give up waiting after this long (default: no limit). */
  timeoutMs?: number;
  pollMs?: number;
  /** Called once when the lock is held by someone else and we start waiting. */
  onWait?: (holder: LockHolder, path: string) => void;
  purpose?: string;
}

export async function acquire(name: string, opts: AcquireOptions = {}): Promise<() => void> {
  const t0 = Date.now();
  let told = false;
  for (;;) {
    const r = tryAcquire(name, opts.purpose);
    if (typeof r === 'function') return r;
    const path = lockPath(name);
    if (opts.wait === false || (opts.timeoutMs !== undefined && Date.now() - t0 >= opts.timeoutMs)) throw new LockHeldError(path, r);
    if (!told) { told = true; opts.onWait?.(r, path); }
    await new Promise((res) => setTimeout(res, opts.pollMs ?? 500));
  }
}

export async function withLock<T>(name: string, fn: () => Promise<T> | T, opts: AcquireOptions = {}): Promise<T> {
  const release = await acquire(name, opts);
  try {
    return await fn();
  } finally {
    release();
  }
}

/** The live holder of a lock other than this process, if any (a dead one's lock does not count). */
export function holderOf(name: string): LockHolder | undefined {
  const path = lockPath(name);
  if (held.has(path)) return undefined;
  const cur = readHolder(path);
  if (!cur || isStale(path, cur)) return undefined;
  return cur.holder;
}

// ---- temp files ---------------------------------------------------------------------------
/** The pid in a temp file name `<name>.tmp-<pid>[-…]`, or undefined if it is not one. */
export function tempWriterPid(file: string): number | undefined {
  const m = /\.tmp-(\d+)(?:-[^/]*)?$/.exec(file);
  return m ? Number(m[1]) : undefined;
}

/** Removes temp files in `dir` whose writer is dead (a live run's half-written file is left alone). */
export function cleanDeadTemps(dir: string): string[] {
  let files: string[];
  try { files = readdirSync(dir); } catch { return []; }
  const removed: string[] = [];
  for (const f of files) {
    const pid = tempWriterPid(f);
    if (pid === undefined || pid === process.pid || isAlive(pid)) continue;
    rmSync(join(dir, f), { recursive: true, force: true });
    removed.push(f);
  }
  return removed;
}
