// Reproducibility: full-profile results only from a clean tree (or marked with --allow-dirty and
// then failing --check-stale), and --reproduce recomputing the cheapest committed unit at HEAD.
import { execSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareResults, CROSS_CPU_TOLERANCE, reproduce } from '../../scripts/lib/experiments/reproduce';
import { checkStale, runExperiments } from '../../scripts/lib/experiments/runner';

let root: string, exps: string, clean: string, dirty: string;
const unitDir = () => join(root, 'generated', 'toy');
const edit = (key: string, f: (rec: any) => void) => {
  const p = join(unitDir(), `${key}.json`), rec = JSON.parse(readFileSync(p, 'utf8'));
  f(rec);
  writeFileSync(p, JSON.stringify(rec));
};
const sh = (cwd: string, c: string) => execSync(c, { cwd, stdio: ['ignore', 'pipe', 'pipe'] }).toString();

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'atlas-repro-'));
  exps = join(root, 'exps');
  mkdirSync(exps);
  writeFileSync(join(exps, 'toy.ts'), `
export const id = 'toy'; export const claims = []; export const codeVersion = '1';
export const defaults = { n: 2 }; export const profiles = { quick: {}, full: {} };
export function units(_p, cfg) { return Array.from({ length: cfg.n }, (_, i) => ({ key: 'u' + i, seed: i })); }
export function runUnit(u) { return { loss: 0.1 + 0.2 * (u.seed + 1), curve: [1 / 3, 2 / 3], wallMs: Math.random() }; }
`);
  writeFileSync(join(exps, 'index.ts'), "import * as toy from './toy';\nexport const EXPERIMENTS = [toy];\n");
  for (const name of ['clean', 'dirty']) {
    const repo = join(root, name);
    mkdirSync(join(repo, 'scripts'), { recursive: true });
    writeFileSync(join(repo, 'scripts', 'a.ts'), '1');
    sh(repo, 'git init -q && git add -A && git -c user.email=t@t -c user.name=t commit -qm init');
  }
  clean = join(root, 'clean'); dirty = join(root, 'dirty');
  writeFileSync(join(dirty, 'scripts', 'a.ts'), '2');
  process.env.ATLAS_RESULTS_DIR = root;
});
afterAll(() => { delete process.env.ATLAS_RESULTS_DIR; rmSync(root, { recursive: true, force: true }); });

describe('results from a clean tree only', () => {
  it('with nothing committed outside the legacy list, --reproduce says why and passes', async () => {
    const r = await reproduce({ experimentsDir: exps, repoDir: clean });
    expect(r).toMatchObject({ status: 'none', message: expect.stringMatching(/nothing to check: no committed full-profile unit outside contracts\/legacy\.ts/) });
  });

  it('a dirty tree is refused before any work; --allow-dirty marks the results and --check-stale fails them', async () => {
    await expect(runExperiments({ experimentsDir: exps, repoDir: dirty, jobs: 1, quiet: true })).rejects.toThrow(/refusing to write 2 full-profile result\(s\) from a tree with uncommitted changes \(scripts\/a\.ts\).*--allow-dirty/);
    expect(() => readdirSync(unitDir())).toThrow();
    await runExperiments({ experimentsDir: exps, repoDir: dirty, jobs: 1, quiet: true, allowDirty: true });
    const rec = JSON.parse(readFileSync(join(unitDir(), 'u0.json'), 'utf8'));
    expect(rec.provenance).toMatchObject({ git: { dirty: true }, allowDirty: true });
    expect((await checkStale({ experimentsDir: exps })).dirty.map((d) => d.key)).toEqual(['u0', 'u1']);
    // Outside a git checkout nothing says which commit computed a result: refused as well.
    const bare = mkdtempSync(join(tmpdir(), 'atlas-bare-'));
    try {
      await expect(runExperiments({ experimentsDir: exps, repoDir: bare, jobs: 1, quiet: true, force: true })).rejects.toThrow(/refusing to write 2 full-profile result\(s\) from a folder git cannot describe/);
    } finally { rmSync(bare, { recursive: true, force: true }); }
    // The quick profile is scratch: no refusal.
    expect(await runExperiments({ experimentsDir: exps, repoDir: dirty, jobs: 1, quiet: true, profile: 'quick' })).toMatchObject({ ran: 2 });
  });

  it('from a clean tree the results pass --check-stale', async () => {
    await runExperiments({ experimentsDir: exps, repoDir: clean, jobs: 1, quiet: true, force: true });
    const r = await checkStale({ experimentsDir: exps });
    expect(r).toMatchObject({ dirty: [], stale: [], corrupt: [], orphans: [] });
  });
});

describe('--reproduce', () => {
  it('recomputes the cheapest committed unit and requires identical numbers on the same CPU', async () => {
    edit('u0', (r) => { r.provenance.wallMs = 50; });
    edit('u1', (r) => { r.provenance.wallMs = 10; });
    const ok = await reproduce({ experimentsDir: exps, repoDir: clean });
    expect(ok).toMatchObject({ status: 'match', unit: 'toy/u1', sameCpu: true, tolerance: 0, differences: [] });
    expect(ok.message).toMatch(/toy\/u1 reproduces at HEAD .*bit-identical numbers required \(same CPU model/);
    edit('u1', (r) => { r.result.curve[1] += 1e-12; });
    const bad = await reproduce({ experimentsDir: exps, repoDir: clean });
    expect(bad).toMatchObject({ status: 'differ', differences: [{ path: 'result.curve[1]' }] });
    expect(bad.message).toMatch(/toy\/u1 does NOT reproduce at HEAD/);
  });

  it('on another CPU model compares within the stated tolerance and says so', async () => {
    edit('u1', (r) => { r.provenance.machine.cpu = 'Another CPU'; r.result.curve[1] = 2 / 3 + 1e-4; });
    const near = await reproduce({ experimentsDir: exps, repoDir: clean });
    expect(near).toMatchObject({ status: 'match', sameCpu: false, tolerance: CROSS_CPU_TOLERANCE });
    expect(near.message).toMatch(new RegExp(`recorded on Another CPU, recomputed on ${cpus()[0]!.model.trim().replace(/[()]/g, '.')}`));
    edit('u1', (r) => { r.result.loss *= 1.1; });
    expect(await reproduce({ experimentsDir: exps, repoDir: clean })).toMatchObject({ status: 'differ', differences: [{ path: 'result.loss' }] });
  });

  it('fails, never passes silently, when committed non-legacy units exist but none matches the code', async () => {
    edit('u0', (r) => { r.cacheKey = 'changed'; });
    edit('u1', (r) => { r.cacheKey = 'changed'; });
    expect(await reproduce({ experimentsDir: exps, repoDir: clean })).toMatchObject({ status: 'unavailable', message: expect.stringMatching(/2 committed non-legacy unit\(s\) exist but none matches the code \(toy\/u0: stale/) });
  });

  it('compares every number, skips wall-clock fields, and notices shape changes', () => {
    expect(compareResults({ a: [1, 2], wallMs: 3, timing: { x: 1 } }, { a: [1, 2], wallMs: 4, timing: { x: 2 } }, 0)).toEqual([]);
    expect(compareResults({ a: [1, 2] }, { a: [1, 2, 3] }, 0)).toEqual([{ path: 'result.a.length', committed: 2, now: 3 }]);
    expect(compareResults({ a: 'x' }, { a: 'y' }, 0.5)).toEqual([{ path: 'result.a', committed: 'x', now: 'y' }]);
    expect(compareResults({ a: 1 }, {}, 0.5)).toEqual([{ path: 'result.a', committed: 1, now: undefined }]);
    expect(compareResults(100, 100.5, 1e-2)).toEqual([]);
    expect(compareResults(100, 102, 1e-2)).toHaveLength(1);
    expect(compareResults(Number.NaN, Number.NaN, 0)).toEqual([]);
  });
});
