// The experiment runner: plan units, reuse fresh cache files, run the rest in a worker pool
// (one process per core), write each result atomically with provenance, show progress + ETA.
//
//   await ensureResults({ profile: 'full' });        // what `npm run build` calls: only missing/stale units
//   await runExperiments({ profile: 'quick', only: ['engine-smoke'], jobs: 2 });
//   await checkStale();                              // committed full results whose key no longer matches
import { execSync, fork, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unitRecordSchema } from '../../../contracts/unit-record';
import { writeValidatedJson } from '../io/json-file';
import { cacheKey, cleanTemps, EXPERIMENTS_DIR, inspectCache, loadExperiments, mergeConfig, parseOverride, resultsRoot, unitPath, type CacheState } from './cache';
import { engineRevision, type EngineRevision } from '../engine/revision';
import { acquire } from './lock';
import type { Experiment, Json, ProfileName, Provenance, RunContext, Unit, UnitRecord } from './types';

export interface RunOptions {
  profile?: ProfileName;
  only?: string[];
  force?: boolean;
  jobs?: number;
  /** Raw `--key=value` strings (parsed against each experiment's defaults) or typed values. */
  overrides?: Record<string, string | Json>;
  experimentsDir?: string;
  quiet?: boolean;
  /** When another run holds an experiment: wait for it (default), or fail at once with who holds it. */
  wait?: boolean;
  /** Only shard `index` (1-based) of `count` of the planned units (see shardOf). */
  shard?: { index: number; count: number };
  /** Only these units, as "<experiment id>/<unit key>". */
  units?: string[];
  /** The command that resumes this run, printed when it is interrupted (SIGINT). */
  resumeCommand?: string;
  /** Write full-profile results from a tree with uncommitted changes (they are marked, and fail --check-stale). */
  allowDirty?: boolean;
  /** The git checkout whose state provenance records (tests point it at a scratch repository). */
  repoDir?: string;
}

export interface Task { id: string; config: Record<string, Json>; unit: Unit; key: string; path: string; profile: ProfileName; claims: readonly string[]; codeVersion: string; engine: EngineRevision }
export interface PlannedTask extends Task { cache: CacheState }
export interface Summary { units: number; ran: number; reused: number; failed: Array<{ id: string; key: string; error: string }>; wallMs: number }

/** Base provenance shared by every unit of a run (computed once, in the parent). */
export interface RunStamp { git: { revision: string; dirty: boolean }; packages: Record<string, string>; machine: MachineFacts; allowDirty?: true }

/** Paths whose changes can change a result: the code and the exact dependency versions. */
export const RESULT_INPUTS = ['scripts', 'models', 'contracts', 'package.json', 'package-lock.json'];

/** HEAD and whether anything that affects results differs from it (untracked files included). */
export function gitState(repo = process.cwd()): { revision: string; dirty: boolean; changed: string[] } {
  let revision = 'unknown', dirty = false, changed: string[] = [];
  try {
    revision = execSync('git rev-parse HEAD', { cwd: repo, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    changed = execSync(`git status --porcelain -- ${RESULT_INPUTS.join(' ')}`, { cwd: repo, stdio: ['ignore', 'pipe', 'ignore'] }).toString().split('\n').filter(Boolean).map((l) => l.slice(3));
    dirty = changed.length > 0;
  } catch { /* not a git checkout (e.g. a tarball): leave 'unknown' */ }
  return { revision, dirty, changed };
}

/** Where a unit ran, without the host name: enough to say whether two records can agree to the bit. */
export interface MachineFacts { cpu: string; cores: number; arch: string; platform: string; memoryGiB: number }
export function machineFacts(): MachineFacts {
  return { cpu: os.cpus()[0]?.model.trim() ?? 'unknown', cores: os.cpus().length, arch: os.arch(), platform: os.platform(), memoryGiB: Math.round(os.totalmem() / 2 ** 30) };
}

export function runStamp(repo = process.cwd()): RunStamp {
  const { revision, dirty } = gitState(repo);
  const version = (pkg: string) => {
    try { return (JSON.parse(readFileSync(resolve('node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version; } catch { return 'absent'; }
  };
  const packages: Record<string, string> = { node: process.version };
  for (const p of ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-webgpu', '@tensorflow/tfjs-node-gpu', 'webgpu']) packages[p] = version(p);
  try { packages['cnn-vit-atlas'] = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version; } catch { /* ignore */ }
  return { git: { revision, dirty }, packages, machine: machineFacts() };
}

function parseOverrides(exp: Experiment, raw: Record<string, string | Json>): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (!(k in exp.defaults)) throw new Error(`${exp.id}: unknown config key '${k}' (known: ${Object.keys(exp.defaults).join(', ')})`);
    try { out[k] = typeof v === 'string' ? parseOverride(v, exp.defaults[k]) : v; } catch (e) { throw new Error(`${exp.id}: --${k}: ${(e as Error).message}`); }
  }
  return out;
}

export async function selectExperiments(opts: Pick<RunOptions, 'only' | 'experimentsDir'>): Promise<Experiment[]> {
  const all = await loadExperiments(opts.experimentsDir ?? EXPERIMENTS_DIR, opts.only ?? []);
  if (!opts.only?.length) return all;
  const unknown = opts.only.filter((id) => !all.some((e) => e.id === id));
  if (unknown.length) throw new Error(`unknown experiment(s): ${unknown.join(', ')}; known: ${all.map((e) => e.id).join(', ') || '(none)'}`);
  return all.filter((e) => opts.only!.includes(e.id));
}

/**
 * Shard `index` (1-based) of `count`: units sorted by id/key and dealt round-robin, so every unit
 * is in exactly one shard whatever the cache states, and each shard gets a mix of experiments.
 */
export function shardOf<T extends { id: string; unit: { key: string } }>(tasks: readonly T[], index: number, count: number): T[] {
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(index) || index < 1 || index > count) throw new Error(`--shard must be I/N with 1 ≤ I ≤ N, got ${index}/${count}`);
  const name = (t: T) => `${t.id}/${t.unit.key}`;
  return [...tasks].sort((a, b) => (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0)).filter((_, i) => i % count === index - 1);
}

/** Every unit of the selected experiments with its cache state (narrowed by `units` and `shard`). */
export async function plan(opts: RunOptions = {}): Promise<PlannedTask[]> {
  const all = await planAll(opts);
  let tasks = all;
  if (opts.units?.length) {
    const unknown = opts.units.filter((u) => !all.some((t) => `${t.id}/${t.unit.key}` === u));
    if (unknown.length) throw new Error(`unknown unit(s) ${unknown.join(', ')} (for --profile ${opts.profile ?? 'full'}); \`npm run experiments -- --list-units\` lists them`);
    tasks = all.filter((t) => opts.units!.includes(`${t.id}/${t.unit.key}`));
  }
  return opts.shard ? shardOf(tasks, opts.shard.index, opts.shard.count) : tasks;
}

async function planAll(opts: RunOptions): Promise<PlannedTask[]> {
  const profile = opts.profile ?? 'full';
  const tasks: PlannedTask[] = [];
  const engine = engineRevision();
  for (const exp of await selectExperiments(opts)) {
    const config = mergeConfig(exp, profile, parseOverrides(exp, opts.overrides ?? {}));
    const units = exp.units(profile, config);
    const keys = new Set<string>();
    for (const unit of units) {
      if (!/^[A-Za-z0-9._-]+$/.test(unit.key)) throw new Error(`${exp.id}: unit key '${unit.key}' must be [A-Za-z0-9._-]+ (it names a file)`);
      if (keys.has(unit.key)) throw new Error(`${exp.id}: unit key '${unit.key}' is not unique`);
      keys.add(unit.key);
      const key = cacheKey(exp, config, unit, engine), path = unitPath(exp.id, unit.key, profile);
      const cache = inspectCache(path, key, profile === 'full' ? exp.id : undefined);
      tasks.push({ id: exp.id, config, unit, key, path, profile, claims: exp.claims, codeVersion: exp.codeVersion, engine, cache });
    }
  }
  return tasks;
}

/** Runs one unit in this process and writes its record. Used by workers and by --jobs 1. */
export async function runTask(task: Task, stamp: RunStamp, onProgress: (f: number) => void = () => {}, experimentsDir = EXPERIMENTS_DIR): Promise<UnitRecord> {
  const { selectBackend } = await import('../engine/backend');
  const info = await selectBackend({ prefer: task.engine.backend });
  if (info.name !== task.engine.backend) throw new Error(`${task.id}/${task.unit.key} is keyed for the ${task.engine.backend} backend but ${info.name} was selected; set ATLAS_BACKEND=${info.name} to compute results for it`);
  const exp = (await loadExperimentsCached(experimentsDir)).find((e) => e.id === task.id);
  if (!exp) throw new Error(`experiment ${task.id} not found`);
  const startedAt = new Date().toISOString(), t0 = performance.now();
  const ctx: RunContext = {
    profile: task.profile,
    progress: (d, t) => onProgress(t > 0 ? Math.min(1, d / t) : 0),
    log: (l) => process.stderr.write(`  [${task.id}/${task.unit.key}] ${l}\n`),
  };
  // The record holds what the file will hold: a metric that is undefined for a unit (NaN, e.g. a
  // Hessian with no positive eigenvalue) is written as null, as JSON has no NaN.
  const result = JSON.parse(JSON.stringify(await exp.runUnit(task.unit, task.config, ctx))) as Json;
  const provenance: Provenance = {
    backend: info.name, device: info.device, kernels: info.kernels, packages: stamp.packages, seed: task.unit.seed,
    profile: task.profile, git: stamp.git, ...(stamp.allowDirty ? { allowDirty: true } : {}), engine: task.engine, machine: stamp.machine, startedAt, wallMs: Math.round(performance.now() - t0),
  };
  const record: UnitRecord = { experiment: task.id, unit: task.unit, cacheKey: task.key, codeVersion: task.codeVersion, config: task.config, claims: task.claims, result, provenance };
  writeValidatedJson(task.path, unitRecordSchema, record, 'contracts/unit-record.ts');
  return record;
}
const expCache = new Map<string, Promise<Experiment[]>>();
function loadExperimentsCached(dir: string) {
  if (!expCache.has(dir)) expCache.set(dir, loadExperiments(dir));
  return expCache.get(dir)!;
}

// ---- progress ---------------------------------------------------------------------------
class Progress {
  private done = 0;
  private readonly running = new Map<string, { start: number; frac: number }>();
  private readonly durations: number[] = [];
  private readonly t0 = performance.now();
  private lastPrint = 0;
  private readonly tty = process.stderr.isTTY === true;
  /** Units written in this run, and those started but not finished. */
  readonly saved: string[] = [];
  get inFlight(): string[] { return [...this.running.keys()]; }
  constructor(private total: number, private readonly jobs: number, private readonly quiet: boolean) {}
  /** A stage planned again: fewer units to run (another run finished them) or more (their keys changed). */
  replanned(before: number, now: number) { if (now < before) this.done += before - now; else this.total += now - before; }
  start(name: string) { this.running.set(name, { start: performance.now(), frac: 0 }); this.render(); }
  update(name: string, frac: number) { const r = this.running.get(name); if (r) r.frac = frac; this.render(); }
  finish(name: string, ok: boolean) {
    const r = this.running.get(name);
    if (r && ok) this.durations.push(performance.now() - r.start);
    this.running.delete(name); this.done++;
    if (ok) this.saved.push(name);
    this.render(true, `${ok ? '✓' : '✗'} ${name}${r ? ` (${fmt(performance.now() - r.start)})` : ''}`);
  }
  private eta(): number | null {
    const now = performance.now();
    // Mean unit time from finished units, else extrapolated from running units' progress.
    let per = this.durations.length ? this.durations.reduce((a, b) => a + b, 0) / this.durations.length : NaN;
    if (!Number.isFinite(per)) {
      const est = [...this.running.values()].filter((r) => r.frac > 0.02).map((r) => (now - r.start) / r.frac);
      if (!est.length) return null;
      per = est.reduce((a, b) => a + b, 0) / est.length;
    }
    const left = this.total - this.done - [...this.running.values()].reduce((s, r) => s + r.frac, 0);
    return (Math.max(0, left) * per) / Math.max(1, Math.min(this.jobs, this.total - this.done));
  }
  render(force = false, line?: string) {
    if (this.quiet) return;
    const now = performance.now();
    if (!force && now - this.lastPrint < (this.tty ? 200 : 15_000)) return;
    this.lastPrint = now;
    const frac = (this.done + [...this.running.values()].reduce((s, r) => s + r.frac, 0)) / Math.max(1, this.total);
    const width = 24, filled = Math.round(frac * width);
    const eta = this.eta();
    const bar = `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${this.done}/${this.total} units · ${this.running.size} running · ${fmt(now - this.t0)} elapsed · ETA ${eta === null ? '…' : fmt(eta)}`;
    if (this.tty) process.stderr.write(`\r\x1b[K${line ? `${line}\n` : ''}${bar}`);
    else process.stderr.write(`${line ? `${line}\n` : ''}${bar}\n`);
  }
  end() { if (!this.quiet && this.tty) process.stderr.write('\n'); }
}
function fmt(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

// ---- the pool ---------------------------------------------------------------------------
const WORKER = join(dirname(fileURLToPath(import.meta.url)), 'worker.ts');

type WorkerMsg = { type: 'progress'; frac: number } | { type: 'done' } | { type: 'error'; error: string };

function spawnWorker(): ChildProcess {
  // Same node (24) and the tsx loader, so workers import TypeScript like the parent.
  return fork(WORKER, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: process.env });
}

async function runPool(tasks: Task[], jobs: number, stamp: RunStamp, progress: Progress, experimentsDir: string): Promise<Summary['failed']> {
  const failed: Summary['failed'] = [];
  const queue = [...tasks];
  const name = (t: Task) => `${t.id}/${t.unit.key}`;
  if (jobs <= 1) {
    for (const t of queue) {
      progress.start(name(t));
      try { await runTask(t, stamp, (f) => progress.update(name(t), f), experimentsDir); progress.finish(name(t), true); } catch (e) {
        failed.push({ id: t.id, key: t.unit.key, error: (e as Error).stack ?? String(e) });
        progress.finish(name(t), false);
      }
    }
    return failed;
  }
  const lane = async () => {
    let w: ChildProcess | null = null;
    try {
      for (let t = queue.shift(); t; t = queue.shift()) {
        w ??= spawnWorker();
        const task = t, worker = w;
        progress.start(name(task));
        const err = await new Promise<string | null>((res) => {
          const onMsg = (m: WorkerMsg) => {
            if (m.type === 'progress') progress.update(name(task), m.frac);
            else { cleanup(); res(m.type === 'done' ? null : m.error); }
          };
          const onExit = (code: number | null, sig: string | null) => { cleanup(); w = null; res(`worker exited (${sig ?? code}) while running the unit`); };
          const cleanup = () => { worker.off('message', onMsg); worker.off('exit', onExit); };
          worker.on('message', onMsg);
          worker.on('exit', onExit);
          worker.send({ type: 'run', task, stamp, experimentsDir });
        });
        if (err) failed.push({ id: task.id, key: task.unit.key, error: err });
        progress.finish(name(task), err === null);
      }
    } finally {
      if (w) (w as ChildProcess).kill();
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, tasks.length) }, lane));
  return failed;
}

export function defaultJobs(): number {
  return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
}

/**
 * The lock of one experiment's results (one per profile and results folder): a run holds it while
 * it computes units of that experiment, so a second identical run waits and then reuses them.
 */
export function experimentLock(id: string, profile: ProfileName): string {
  return `experiment.${id}.${profile}.${createHash('sha256').update(resultsRoot(profile)).digest('hex').slice(0, 8)}`;
}

/** Units to compute: not fresh, or all with force, except what another run wrote after we started. */
function toRun(planned: PlannedTask[], force: boolean, since: number): { todo: Task[]; reused: number } {
  const todo: Task[] = [];
  let reused = 0;
  for (const t of planned) {
    const fresh = t.cache.state === 'fresh';
    if (fresh && (!force || writtenSince(t.path, since))) { reused++; continue; }
    const { cache: _cache, ...task } = t;
    todo.push(task);
  }
  return { todo, reused };
}
function writtenSince(path: string, since: number): boolean {
  try { return statSync(path).mtimeMs > since; } catch { return false; }
}

/** Plans, reports corrupt/stale files, and runs what is not fresh (everything with force). */
export async function runExperiments(opts: RunOptions = {}): Promise<Summary> {
  const t0 = performance.now(), since = performance.timeOrigin + performance.now();
  const profile = opts.profile ?? 'full';
  let planned = await plan({ ...opts, profile });
  const corrupt = planned.filter((t) => t.cache.state === 'corrupt');
  if (corrupt.length && !opts.force) throw new Error(corruptMessage(corrupt, profile));
  const git = gitState(opts.repoDir);
  const stamp: RunStamp = { ...runStamp(opts.repoDir), ...((git.dirty || git.revision === 'unknown') && opts.allowDirty && profile === 'full' ? { allowDirty: true } : {}) };
  const { todo, reused } = toRun(planned, opts.force ?? false, Infinity);
  if (todo.length && profile === 'full' && (git.dirty || git.revision === 'unknown') && !opts.allowDirty) {
    const shown = git.changed.slice(0, 8).join(', ') + (git.changed.length > 8 ? `, … ${git.changed.length - 8} more` : '');
    const where = git.dirty ? `a tree with uncommitted changes (${shown})` : 'a folder git cannot describe (not a checkout, or git failed)';
    throw new Error(
      `refusing to write ${todo.length} full-profile result(s) from ${where}: they could not be reproduced from any commit. ` +
        `Fix: commit (or stash) first; or pass --allow-dirty for a local look (such results are marked and fail --check-stale).`,
    );
  }
  for (const t of planned) if (t.cache.state === 'corrupt') process.stderr.write(`CORRUPT ${t.path}: ${t.cache.error} — recomputing it (--force)\n`);
  const jobs = Math.max(1, Math.min(opts.jobs ?? defaultJobs(), todo.length || 1));
  if (!opts.quiet) process.stderr.write(`experiments (${profile}): ${planned.length} units, ${reused} cached, ${todo.length} to run on ${jobs} worker${jobs > 1 ? 's' : ''}\n`);
  const progress = new Progress(todo.length, jobs, opts.quiet ?? false);
  // Ctrl-C: say what is safe on disk and how to go on (finished units are kept and reused).
  const onSigint = () => {
    progress.end();
    const saved = progress.saved, lost = progress.inFlight, left = todo.length - saved.length;
    const list = (xs: string[]) => (xs.length > 8 ? `${xs.slice(0, 8).join(', ')}, … ${xs.length - 8} more` : xs.join(', '));
    process.stderr.write(
      `\ninterrupted: ${saved.length} unit(s) saved in this run${saved.length ? ` (${list(saved)})` : ''} under ${resultsRoot(profile)}; ` +
        `${left} not finished${lost.length ? ` (in progress, discarded: ${list(lost)})` : ''}.\n` +
        `resume with: ${opts.resumeCommand ?? 'the same command'} (saved units are reused)\n`,
    );
    process.exit(130);
  };
  process.on('SIGINT', onSigint);
  const failed: Summary['failed'] = [];
  let ran = 0;
  try {
    const experiments = await loadExperimentsCached(opts.experimentsDir ?? EXPERIMENTS_DIR);
    const readsOf = (id: string) => experiments.find((e) => e.id === id)?.reads ?? [];
    for (const stage of runStages([...new Set(todo.map((t) => t.id))], readsOf)) {
      // Lock this stage's experiments (in a fixed order: two runs never wait on each other), then
      // plan again: units another run finished while we waited are reused, and units that read an
      // earlier stage's results are keyed by what that stage just wrote.
      const releases: Array<() => void> = [];
      try {
        for (const id of stage) {
          releases.push(await acquire(experimentLock(id, profile), {
            wait: opts.wait ?? true,
            purpose: `npm run experiments (${profile})`,
            onWait: (h) => process.stderr.write(`waiting: ${id} (${profile}) is being run by pid ${h.pid} since ${h.startedAt}; its finished units will be reused\n`),
          }));
        }
        planned = await plan({ ...opts, profile });
        const mine = toRun(planned.filter((t) => stage.includes(t.id)), opts.force ?? false, since);
        for (const id of stage) cleanTemps(join(resultsRoot(profile), id));
        progress.replanned(todo.filter((t) => stage.includes(t.id)).length, mine.todo.length);
        const stageFailed = mine.todo.length ? await runPool(mine.todo, jobs, stamp, progress, opts.experimentsDir ?? EXPERIMENTS_DIR) : [];
        failed.push(...stageFailed);
        ran += mine.todo.length - stageFailed.length;
      } finally {
        for (const r of releases) r();
      }
    }
  } finally {
    process.off('SIGINT', onSigint);
  }
  progress.end();
  for (const f of failed) process.stderr.write(`FAILED ${f.id}/${f.key}:\n${f.error}\n`);
  return { units: planned.length, ran, reused: planned.length - ran - failed.length, failed, wallMs: performance.now() - t0 };
}

/**
 * Experiment ids in the order they must run: an experiment whose units read another's results
 * (`reads`) comes in a later stage than it, when both have work to do. Ids in a stage are sorted.
 */
export function runStages(ids: readonly string[], readsOf: (id: string) => readonly string[]): string[][] {
  const level = new Map<string, number>();
  const depth = (id: string, path: readonly string[]): number => {
    if (path.includes(id)) throw new Error(`experiments read each other in a cycle: ${[...path, id].join(' → ')}`);
    const known = level.get(id);
    if (known !== undefined) return known;
    const deps = readsOf(id).filter((d) => ids.includes(d));
    const l = deps.length ? 1 + Math.max(...deps.map((d) => depth(d, [...path, id]))) : 0;
    level.set(id, l);
    return l;
  };
  for (const id of ids) depth(id, []);
  const stages: string[][] = [];
  for (const [id, l] of level) (stages[l] ??= []).push(id);
  return stages.filter(Boolean).map((s) => s.sort());
}

/** The fix for a broken unit file: committed ones are restored from git, scratch ones recomputed. */
export function corruptFix(path: string, profile: ProfileName): string {
  return profile === 'full' ? `\`git checkout -- ${relativeToCwd(path)}\` (or delete it and rerun to recompute it)` : `delete ${path} and rerun`;
}
const relativeToCwd = (p: string) => (p.startsWith(process.cwd() + '/') ? p.slice(process.cwd().length + 1) : p);

function corruptMessage(tasks: readonly PlannedTask[], profile: ProfileName): string {
  return tasks.map((t) => `CORRUPT ${t.path}: ${(t.cache as { error: string }).error}. Fix: ${corruptFix(t.path, profile)}`).join('\n') +
    `\nNothing was run: a broken result is never recomputed silently (--force recomputes it).`;
}

/**
 * Site files of an experiment (values, verdict, summary, chart data, status) left without any
 * unit file: the page would show a chart that no committed result backs. Empty when units exist.
 */
export function orphanFiles(id: string, tasks: readonly PlannedTask[], root = resultsRoot('full')): string[] {
  const mine = tasks.filter((t) => t.id === id);
  if (mine.some((t) => t.cache.state !== 'missing')) return [];
  let files: string[];
  try { files = readdirSync(join(root, id)); } catch { return []; }
  return files.filter((f) => f.endsWith('.json')).sort().map((f) => join(root, id, f));
}

/** For the build: make every full-profile unit fresh, running only what is missing or stale. */
export async function ensureResults(opts: RunOptions = {}): Promise<Summary> {
  const s = await runExperiments({ profile: 'full', ...opts, force: false });
  if (s.failed.length) throw new Error(`ensureResults: ${s.failed.length} unit(s) failed: ${s.failed.map((f) => `${f.id}/${f.key}`).join(', ')}`);
  return s;
}

export interface StaleReport {
  stale: Array<{ id: string; key: string; path: string; was: string; now: string }>;
  missing: Array<{ id: string; key: string; path: string }>;
  corrupt: Array<{ path: string; error: string; fix: string }>;
  /** Site files without any unit file behind them. */
  orphans: Array<{ id: string; files: string[] }>;
  /** Committed (non-legacy) units computed from a tree with uncommitted changes. */
  dirty: Array<{ id: string; key: string; path: string; revision: string }>;
  /** Committed units accepted as legacy (contracts/legacy.ts). */
  legacy: Array<{ id: string; key: string }>;
}

/** Committed full-profile results whose cache key no longer matches the code (CI gate). */
export async function checkStale(opts: Pick<RunOptions, 'only' | 'experimentsDir'> = {}): Promise<StaleReport> {
  const r: StaleReport = { stale: [], missing: [], corrupt: [], legacy: [], orphans: [], dirty: [] };
  const tasks = await plan({ ...opts, profile: 'full' });
  for (const id of new Set(tasks.map((t) => t.id))) {
    const files = orphanFiles(id, tasks);
    if (files.length) r.orphans.push({ id, files });
  }
  for (const t of tasks) {
    if (t.cache.state === 'fresh') {
      if (t.cache.legacy) r.legacy.push({ id: t.id, key: t.unit.key });
      else if (t.cache.record.provenance.git?.dirty !== false || !/^[0-9a-f]{40}$/.test(t.cache.record.provenance.git?.revision ?? '')) r.dirty.push({ id: t.id, key: t.unit.key, path: t.path, revision: t.cache.record.provenance.git?.revision ?? 'unknown' });
    } else if (t.cache.state === 'stale') r.stale.push({ id: t.id, key: t.unit.key, path: t.path, was: t.cache.record.cacheKey, now: t.key });
    else if (t.cache.state === 'missing') r.missing.push({ id: t.id, key: t.unit.key, path: t.path });
    else if (t.cache.state === 'corrupt') r.corrupt.push({ path: t.path, error: t.cache.error, fix: corruptFix(t.path, 'full') });
  }
  return r;
}

/** The fresh records of one experiment (for pages and charts). Throws if any unit is not fresh. */
export async function readResults(id: string, profile: ProfileName = 'full', opts: Pick<RunOptions, 'experimentsDir'> = {}): Promise<UnitRecord[]> {
  const tasks = await plan({ profile, only: [id], ...opts });
  return tasks.map((t) => {
    if (t.cache.state !== 'fresh') throw new Error(`${id}/${t.unit.key}: result is ${t.cache.state} (${t.path}); run \`npm run experiments -- --only ${id}${profile === 'quick' ? ' --profile quick' : ''}\``);
    return t.cache.record;
  });
}

