// The exclusive lock and temp-file cleaning, with real processes: a live holder excludes, a dead
// one's lock is taken over, another host's is not, a signal releases, two identical runs
// started at once compute every unit exactly once, and Ctrl-C says what was saved.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquire, cleanDeadTemps, holderOf, LockHeldError, lockPath, tryAcquire, withLock } from '../../scripts/lib/experiments/lock';

const LOCK = resolve('scripts/lib/experiments/lock.ts');
const RUNNER = resolve('scripts/lib/experiments/runner.ts');
let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'atlas-lock-'));
  process.env.ATLAS_LOCK_DIR = join(root, 'locks');
  writeFileSync(join(root, 'package.json'), '{"type":"module"}\n'); // the scripts below use top-level await
});
afterAll(() => { delete process.env.ATLAS_LOCK_DIR; rmSync(root, { recursive: true, force: true }); });

/** A node process running `code` (TypeScript through tsx) with the test's lock folder. */
function nodeTs(code: string, env: Record<string, string> = {}): { child: ChildProcess; out: () => string; done: Promise<number | null> } {
  const file = join(root, `p-${Math.random().toString(36).slice(2)}.ts`);
  writeFileSync(file, code);
  const child = spawn(process.execPath, ['--import', 'tsx', file], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const done = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  return { child, out: () => out, done };
}
const until = async (cond: () => boolean, ms = 30_000) => {
  const t0 = Date.now();
  while (!cond()) { if (Date.now() - t0 > ms) throw new Error('timed out'); await new Promise((r) => setTimeout(r, 50)); }
};

describe('lock', () => {
  it('excludes while another live process holds it, and is released when that process is killed', async () => {
    const p = nodeTs(`import { acquire } from ${JSON.stringify(LOCK)};\nawait acquire('demo', { purpose: 'test holder' });\nconsole.log('HELD');\nsetInterval(() => {}, 1000);\n`);
    await until(() => p.out().includes('HELD'));
    const h = holderOf('demo');
    expect(h).toMatchObject({ pid: p.child.pid, host: hostname(), purpose: 'test holder' });
    const r = tryAcquire('demo');
    expect(typeof r).toBe('object');
    await expect(acquire('demo', { wait: false })).rejects.toThrow(LockHeldError);
    await expect(acquire('demo', { wait: false })).rejects.toThrow(new RegExp(`demo is held by pid ${p.child.pid} on this host .*test holder.*kill ${p.child.pid}`));
    await expect(acquire('demo', { timeoutMs: 200, pollMs: 50 })).rejects.toThrow(/is held by/);
    p.child.kill('SIGTERM');
    expect(await p.done).toBe(128 + 15);
    expect(existsSync(lockPath('demo'))).toBe(false); // released by the signal handler, not left behind
    await withLock('demo', () => expect(holderOf('demo')).toBeUndefined());
    expect(existsSync(lockPath('demo'))).toBe(false);
  });

  it('takes over a lock whose holder died on this host (SIGKILL leaves the file), never one from another host', async () => {
    const p = nodeTs(`import { acquire } from ${JSON.stringify(LOCK)};\nawait acquire('dead');\nconsole.log('HELD');\nsetInterval(() => {}, 1000);\n`);
    await until(() => p.out().includes('HELD'));
    p.child.kill('SIGKILL');
    await p.done;
    expect(JSON.parse(readFileSync(lockPath('dead'), 'utf8')).pid).toBe(p.child.pid);
    const release = await acquire('dead', { wait: false });
    expect(JSON.parse(readFileSync(lockPath('dead'), 'utf8')).pid).toBe(process.pid);
    release();
    expect(existsSync(lockPath('dead'))).toBe(false);

    mkdirSync(process.env.ATLAS_LOCK_DIR!, { recursive: true });
    writeFileSync(lockPath('remote'), JSON.stringify({ pid: 999_999, host: 'another-host', startedAt: '2026-01-01T00:00:00Z', name: 'remote' }));
    await expect(acquire('remote', { wait: false })).rejects.toThrow(/host another-host.*delete .*remote\.lock/);
    expect(JSON.parse(readFileSync(lockPath('remote'), 'utf8')).host).toBe('another-host');
  });

  it('is re-entrant within a process: the file goes with the last release', async () => {
    const a = await acquire('nested'), b = await acquire('nested');
    a();
    expect(existsSync(lockPath('nested'))).toBe(true);
    a(); // releasing twice is harmless
    expect(existsSync(lockPath('nested'))).toBe(true);
    b();
    expect(existsSync(lockPath('nested'))).toBe(false);
  });

  it('removes temp files only when their writer is dead', async () => {
    const dir = join(root, 'temps');
    mkdirSync(dir);
    const p = nodeTs(`console.log('UP');\nsetInterval(() => {}, 1000);\n`);
    await until(() => p.out().includes('UP'));
    const dead = nodeTs(`console.log('bye');\n`);
    await dead.done;
    writeFileSync(join(dir, `u0.json.tmp-${p.child.pid}-ab12`), '{"half":');
    writeFileSync(join(dir, `u1.json.tmp-${dead.child.pid}-cd34`), '{"half":');
    writeFileSync(join(dir, 'u2.json'), '{}');
    expect(cleanDeadTemps(dir)).toEqual([`u1.json.tmp-${dead.child.pid}-cd34`]);
    expect(existsSync(join(dir, `u0.json.tmp-${p.child.pid}-ab12`))).toBe(true);
    expect(existsSync(join(dir, 'u2.json'))).toBe(true);
    p.child.kill();
    await p.done;
  });
});

function slowExperiments(): string {
  const exps = join(root, 'exps');
  if (existsSync(exps)) return exps;
  mkdirSync(exps);
    writeFileSync(join(exps, 'slow.ts'), `import { appendFileSync } from 'node:fs';
export const id = 'slow';
export const claims = [];
export const codeVersion = '1';
export const defaults = { n: 3 };
export const profiles = { quick: {}, full: {} };
export function units(_p, cfg) { return Array.from({ length: cfg.n }, (_, i) => ({ key: 'u' + i, seed: i })); }
export async function runUnit(u) { appendFileSync(process.env.SLOW_LOG, u.key + ' ' + process.pid + '\\n'); await new Promise((r) => setTimeout(r, Number(process.env.SLOW_MS ?? 400))); return { seed: u.seed }; }
`);
  writeFileSync(join(exps, 'index.ts'), "import * as slow from './slow';\nexport const EXPERIMENTS = [slow];\n");
  return exps;
}

describe('two identical runs started at once', () => {
  it('compute every unit exactly once: the second waits, then reuses what the first wrote', async () => {
    const exps = slowExperiments();
    const log = join(root, 'slow.log');
    writeFileSync(log, '');
    const code = `import { runExperiments } from ${JSON.stringify(RUNNER)};
const s = await runExperiments({ experimentsDir: ${JSON.stringify(exps)}, jobs: 1, profile: 'quick' });
console.log('SUMMARY ' + JSON.stringify({ ran: s.ran, reused: s.reused, failed: s.failed.length }));
`;
    const env = { SLOW_LOG: log, ATLAS_RESULTS_DIR: join(root, 'results') };
    const a = nodeTs(code, env), b = nodeTs(code, env);
    expect([await a.done, await b.done]).toEqual([0, 0]);
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    expect(lines.map((l) => l.split(' ')[0]).sort()).toEqual(['u0', 'u1', 'u2']);
    const summaries = [a.out(), b.out()].map((o) => JSON.parse(/SUMMARY (.*)/.exec(o)![1]!) as { ran: number; reused: number });
    expect(summaries.map((s) => s.ran).sort()).toEqual([0, 3]);
    expect(summaries.map((s) => s.reused).sort()).toEqual([0, 3]);
    expect(a.out() + b.out()).toMatch(/waiting: slow \(quick\) is being run by pid \d+/);
  }, 120_000);
});

describe('--no-wait', () => {
  it('fails at once, naming the experiment and the run that holds it', async () => {
    const exps = slowExperiments();
    const log = join(root, 'nowait.log'), results = join(root, 'nowait-results');
    writeFileSync(log, '');
    const code = (wait: boolean) => `import { runExperiments } from ${JSON.stringify(RUNNER)};
try { await runExperiments({ experimentsDir: ${JSON.stringify(exps)}, jobs: 1, profile: 'quick', quiet: true, wait: ${wait} }); console.log('DONE'); }
catch (e) { console.log('ERR ' + e.message); process.exitCode = 2; }
`;
    const env = { SLOW_LOG: log, ATLAS_RESULTS_DIR: results, SLOW_MS: '5000' }; // a is still busy when b starts
    const a = nodeTs(code(true), env);
    await until(() => readFileSync(log, 'utf8').length > 0); // a holds the lock and is computing
    const b = nodeTs(code(false), env);
    expect(await b.done).toBe(2);
    expect(b.out()).toMatch(new RegExp(`ERR experiment\\.slow\\.quick\\.[0-9a-f]{8} is held by pid ${a.child.pid} on this host .*npm run experiments \\(quick\\)`));
    expect(await a.done).toBe(0);
    expect(readFileSync(log, 'utf8').trim().split('\n')).toHaveLength(3);
  }, 120_000);
});

describe('an interrupted run', () => {
  it('prints what was saved and the command that resumes; the lock is released and the resume reuses the saved units', async () => {
    const exps = slowExperiments();
    const log = join(root, 'int.log'), results = join(root, 'int-results');
    writeFileSync(log, '');
    const code = `import { runExperiments } from ${JSON.stringify(RUNNER)};
const s = await runExperiments({ experimentsDir: ${JSON.stringify(exps)}, jobs: 1, profile: 'quick', resumeCommand: 'npm run experiments -- --profile quick' });
console.log('SUMMARY ' + JSON.stringify({ ran: s.ran, reused: s.reused }));
`;
    const env = { SLOW_LOG: log, ATLAS_RESULTS_DIR: results };
    const p = nodeTs(code, env);
    await until(() => existsSync(join(results, '.cache/quick/slow/u0.json')));
    p.child.kill('SIGINT');
    expect(await p.done).toBe(130);
    expect(p.out()).toMatch(/interrupted: 1 unit\(s\) saved in this run \(slow\/u0\) under .*; 2 not finished \(in progress, discarded: slow\/u1\)/);
    expect(p.out()).toMatch(/resume with: npm run experiments -- --profile quick \(saved units are reused\)/);
    expect(readdirSync(process.env.ATLAS_LOCK_DIR!).filter((f) => f.startsWith('experiment.slow'))).toEqual([]);
    const again = nodeTs(code, env);
    expect(await again.done).toBe(0);
    expect(JSON.parse(/SUMMARY (.*)/.exec(again.out())![1]!)).toEqual({ ran: 2, reused: 1 });
  }, 120_000);
});
