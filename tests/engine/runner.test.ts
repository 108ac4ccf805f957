// The runner on a toy experiment in a temp folder: cache reuse, --force, resume after a kill,
// corrupt files, typed overrides, check-stale, and the worker pool.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { cpus, hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkStale, ensureResults, gitState, plan, readResults, runExperiments, runStages } from '../../scripts/lib/experiments/runner';
import { engineRevision } from '../../scripts/lib/engine/revision';
import { cacheKey, loadExperiments, parseOverride, stableStringify } from '../../scripts/lib/experiments/cache';

const toy = (version: string) => `
export const id = 'toy';
export const claims = ['C0'];
export const codeVersion = '${version}';
export const defaults = { n: 3, scale: 2, label: 'x', flag: false, list: [1, 2] };
export const profiles = { quick: { n: 2 }, full: {} };
export function units(_p, cfg) { return Array.from({ length: cfg.n }, (_, i) => ({ key: 'u' + i, seed: i })); }
export async function runUnit(u, cfg, ctx) { ctx.progress(1, 2); if (process.env.TOY_FAIL === u.key) throw new Error('boom'); return { value: u.seed * cfg.scale, label: cfg.label }; }
`;

let root: string, v1: string, v2: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'atlas-runner-'));
  v1 = join(root, 'v1'); v2 = join(root, 'v2');
  mkdirSync(v1); mkdirSync(v2);
  writeFileSync(join(v1, 'toy.ts'), toy('1'));
  writeFileSync(join(v2, 'toy.ts'), toy('2'));
  for (const d of [v1, v2]) writeFileSync(join(d, 'index.ts'), "import * as toy from './toy';\nexport const EXPERIMENTS = [toy];\n");
  // A module beside the list is not an experiment, even if it looks like one.
  writeFileSync(join(v1, 'unlisted.ts'), toy('1').replace("'toy'", "'unlisted'"));
  process.env.ATLAS_RESULTS_DIR = root;
});
afterAll(() => { delete process.env.ATLAS_RESULTS_DIR; rmSync(root, { recursive: true, force: true }); });

const dir = () => join(root, 'generated', 'toy');
// This checkout may have uncommitted changes: these runs write to a scratch folder, marked as such.
const opts = (extra = {}) => ({ experimentsDir: v1, jobs: 1, quiet: true, allowDirty: true, ...extra });

describe('experiment runner', () => {
  it('knows only the experiments listed in index.ts', async () => {
    expect((await loadExperiments(v1)).map((e) => e.id)).toEqual(['toy']);
    const bad = join(root, 'bad');
    mkdirSync(bad);
    writeFileSync(join(bad, 'index.ts'), "export const EXPERIMENTS = [{ id: 'x' }];\n");
    await expect(loadExperiments(bad)).rejects.toThrow(/EXPERIMENTS\[0\] \(x\): experiment must export codeVersion/);
    await expect(loadExperiments(join(root, 'nowhere'))).rejects.toThrow(/index\.ts is missing/);
    // A typo in what an experiment reads names the experiment, the id and where to fix it.
    const typo = join(root, 'typo');
    mkdirSync(typo);
    writeFileSync(join(typo, 'toy.ts'), toy('1') + "export const reads = ['pol'];\n");
    writeFileSync(join(typo, 'index.ts'), "import * as toy from './toy';\nexport const EXPERIMENTS = [toy];\n");
    await expect(loadExperiments(typo)).rejects.toThrow(/toy reads pol, which is not listed in EXPERIMENTS \(known: toy\); fix the id in toy's `reads`/);
  });

  it('runs every unit once, writes records with provenance, then reuses them', async () => {
    const s1 = await runExperiments(opts());
    expect(s1).toMatchObject({ units: 3, ran: 3, reused: 0, failed: [] });
    const rec = JSON.parse(readFileSync(join(dir(), 'u2.json'), 'utf8'));
    expect(rec.result).toEqual({ value: 4, label: 'x' });
    expect(rec.provenance).toMatchObject({ backend: expect.any(String), device: expect.any(String), seed: 2, profile: 'full' });
    expect(rec.provenance.git.revision).toMatch(/^[0-9a-f]{40}$|^unknown$/);
    expect(rec.provenance.packages['@tensorflow/tfjs']).toBe('4.22.0');
    expect(rec.provenance.wallMs).toBeGreaterThanOrEqual(0);
    expect(rec.provenance.engine).toEqual(engineRevision());
    expect(rec.provenance.machine).toMatchObject({ cpu: cpus()[0]!.model.trim(), cores: cpus().length });
    expect(JSON.stringify(rec)).not.toContain(hostname()); // machine facts without the host name
    const s2 = await runExperiments(opts());
    expect(s2).toMatchObject({ ran: 0, reused: 3 });
    expect((await readResults('toy', 'full', { experimentsDir: v1 })).map((r) => r.result)).toEqual([0, 2, 4].map((value) => ({ value, label: 'x' })));
  });

  it('--force reruns; the quick profile writes elsewhere and only its differences apply', async () => {
    expect(await runExperiments(opts({ force: true }))).toMatchObject({ ran: 3, reused: 0 });
    const q = await runExperiments(opts({ profile: 'quick' }));
    expect(q).toMatchObject({ units: 2, ran: 2 });
    expect(existsSync(join(root, '.cache/quick/toy/u1.json'))).toBe(true);
  });

  it('resumes a killed run: finished units are kept, leftovers of the write are cleaned', async () => {
    rmSync(join(dir(), 'u1.json'));
    writeFileSync(join(dir(), 'u1.json.tmp-999-1'), '{"half": ');
    const s = await runExperiments(opts());
    expect(s).toMatchObject({ ran: 1, reused: 2 });
    expect(readdirSync(dir()).sort()).toEqual(['u0.json', 'u1.json', 'u2.json']);
  });

  it('never recomputes a corrupt unit silently: nothing runs, the error names the file and the fix', async () => {
    writeFileSync(join(dir(), 'u0.json'), '{ not json');
    await expect(runExperiments(opts())).rejects.toThrow(/CORRUPT .*u0\.json: .*Fix: `git checkout -- .*u0\.json`.*\n.*Nothing was run/);
    const r = await checkStale({ experimentsDir: v1 });
    expect(r.corrupt).toEqual([expect.objectContaining({ path: join(dir(), 'u0.json'), fix: expect.stringMatching(/git checkout -- /) })]);
    // --force recomputes it, saying so.
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const s = await runExperiments(opts({ force: true }));
    const said = err.mock.calls.map((c) => String(c[0])).join('');
    err.mockRestore();
    expect(said).toMatch(/CORRUPT .*u0\.json.*recomputing it/);
    expect(s).toMatchObject({ ran: 3 });
    expect(JSON.parse(readFileSync(join(dir(), 'u0.json'), 'utf8')).result.value).toBe(0);
  });

  it('site files left without any unit file are orphans for check-stale', async () => {
    const orphanDir = join(root, 'generated', 'toy');
    writeFileSync(join(orphanDir, 'values.json'), '{"id":"toy","values":{}}');
    expect((await checkStale({ experimentsDir: v1 })).orphans).toEqual([]); // units present: not an orphan
    const saved = ['u0', 'u1', 'u2'].map((k) => [k, readFileSync(join(orphanDir, `${k}.json`), 'utf8')] as const);
    for (const [k] of saved) rmSync(join(orphanDir, `${k}.json`));
    expect((await checkStale({ experimentsDir: v1 })).orphans).toEqual([{ id: 'toy', files: [join(orphanDir, 'values.json')] }]);
    for (const [k, text] of saved) writeFileSync(join(orphanDir, `${k}.json`), text);
    rmSync(join(orphanDir, 'values.json'));
  });

  it('type-checks --key=value overrides against the defaults; unknown keys fail', async () => {
    expect(parseOverride('3', 1)).toBe(3);
    expect(parseOverride('true', false)).toBe(true);
    expect(parseOverride('1,2,3', [1])).toEqual([1, 2, 3]);
    expect(parseOverride('["a"]', ['x'])).toEqual(['a']);
    await expect(plan(opts({ overrides: { nope: '1' } }))).rejects.toThrow(/unknown config key 'nope'/);
    await expect(plan(opts({ overrides: { scale: 'big' } }))).rejects.toThrow(/expected a number/);
    await expect(plan(opts({ overrides: { flag: 'yes' } }))).rejects.toThrow(/true\|false/);
    // A changed config changes every unit's cache key.
    const p = await plan(opts({ overrides: { scale: '5' } }));
    expect(p.every((t) => t.cache.state === 'stale')).toBe(true);
  });

  it('cache keys are stable under key order and change with codeVersion', () => {
    expect(stableStringify({ b: 1, a: [{ d: 1, c: 2 }] })).toBe('{"a":[{"c":2,"d":1}],"b":1}');
    const u = { key: 'u0', seed: 0 };
    expect(cacheKey({ id: 't', codeVersion: '1' }, { a: 1, b: 2 }, u)).toBe(cacheKey({ id: 't', codeVersion: '1' }, { b: 2, a: 1 }, u));
    expect(cacheKey({ id: 't', codeVersion: '1' }, { a: 1 }, u)).not.toBe(cacheKey({ id: 't', codeVersion: '2' }, { a: 1 }, u));
  });

  it('check-stale lists committed full results whose key no longer matches the code', async () => {
    expect((await checkStale({ experimentsDir: v1 })).stale).toEqual([]);
    const r = await checkStale({ experimentsDir: v2 });
    expect(r.stale.map((s) => s.key)).toEqual(['u0', 'u1', 'u2']);
    // ensureResults (what the build calls) reruns exactly the stale ones.
    expect(await ensureResults({ experimentsDir: v2, jobs: 1, quiet: true, allowDirty: true })).toMatchObject({ ran: 3, reused: 0 });
    expect((await checkStale({ experimentsDir: v2 })).stale).toEqual([]);
  });

  it('a failing unit is reported, others still land; ensureResults throws', async () => {
    process.env.TOY_FAIL = 'u1';
    try {
      const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
      const s = await runExperiments(opts({ force: true }));
      err.mockRestore();
      expect(s.failed.map((f) => f.key)).toEqual(['u1']);
      expect(s.ran).toBe(2);
    } finally { delete process.env.TOY_FAIL; }
  });

  it('runs units in a pool of worker processes', async () => {
    const s = await runExperiments(opts({ force: true, jobs: 2 }));
    expect(s).toMatchObject({ ran: 3, failed: [] });
    expect(JSON.parse(readFileSync(join(dir(), 'u2.json'), 'utf8')).provenance.backend).toBeTruthy();
  }, 120_000);

  it('runs an experiment that others read before them: a unit that trains what it reads never waits on its own run', async () => {
    // 'reader' units fetch a 'base' unit through a nested run, the way experiments fetch pool models.
    const v3 = join(root, 'v3');
    mkdirSync(v3);
    writeFileSync(join(v3, 'base.ts'), toy('1').replace("'toy'", "'base'"));
    writeFileSync(join(v3, 'reader.ts'), `
export const id = 'reader';
export const claims = ['C0'];
export const codeVersion = '1';
export const reads = ['base'];
export const defaults = { n: 2 };
export const profiles = { quick: {}, full: {} };
export function units() { return [0, 1].map((i) => ({ key: 'r' + i, seed: i })); }
export async function runUnit(u) {
  const { runExperiments } = await import(${JSON.stringify(join(process.cwd(), 'scripts/lib/experiments/runner.ts'))});
  const s = await runExperiments({ experimentsDir: ${JSON.stringify(v3)}, units: ['base/u' + u.seed], jobs: 1, quiet: true, allowDirty: true });
  return { baseRan: s.ran };
}
`);
    writeFileSync(join(v3, 'index.ts'), "import * as base from './base';\nimport * as reader from './reader';\nexport const EXPERIMENTS = [reader, base];\n");
    const s = await runExperiments({ experimentsDir: v3, jobs: 2, quiet: true, allowDirty: true, wait: false });
    expect(s).toMatchObject({ ran: 5, failed: [] });
    // base ran in the first stage, so the readers found its units fresh.
    expect((await readResults('reader', 'full', { experimentsDir: v3 })).map((r) => r.result)).toEqual([{ baseRan: 0 }, { baseRan: 0 }]);
  }, 120_000);

  it('orders experiments into stages by what they read, and rejects a cycle', () => {
    const reads: Record<string, string[]> = { pool: [], cka: ['pool'], hessian: ['pool'], late: ['cka'], lone: [] };
    expect(runStages(['late', 'hessian', 'cka', 'lone', 'pool'], (id) => reads[id] ?? [])).toEqual([['lone', 'pool'], ['cka', 'hessian'], ['late']]);
    // What is not run this time puts no stage in between.
    expect(runStages(['late', 'hessian'], (id) => reads[id] ?? [])).toEqual([['hessian', 'late']]);
    expect(() => runStages(['a', 'b'], (id) => (id === 'a' ? ['b'] : ['a']))).toThrow(/cycle: a → b → a/);
  });

  it('git.dirty covers everything that affects results (scripts/, contracts/, package files), untracked files too', () => {
    const repo = join(root, 'repo');
    mkdirSync(join(repo, 'scripts'), { recursive: true });
    const sh = (c: string) => execSync(c, { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
    writeFileSync(join(repo, 'scripts', 'x.ts'), '1');
    writeFileSync(join(repo, 'package-lock.json'), '{}');
    writeFileSync(join(repo, 'README.md'), 'hi');
    sh('git init -q && git add -A && git -c user.email=t@t -c user.name=t commit -qm init');
    expect(gitState(repo)).toEqual({ revision: sh('git rev-parse HEAD').trim(), dirty: false, changed: [] });
    writeFileSync(join(repo, 'README.md'), 'prose does not change results');
    expect(gitState(repo).dirty).toBe(false);
    writeFileSync(join(repo, 'package-lock.json'), '{"lockfileVersion":3}');
    expect(gitState(repo)).toMatchObject({ dirty: true, changed: ['package-lock.json'] });
    sh('git checkout -- package-lock.json');
    mkdirSync(join(repo, 'contracts'));
    writeFileSync(join(repo, 'contracts', 'new.ts'), '');
    expect(gitState(repo).dirty).toBe(true);
  });
});
