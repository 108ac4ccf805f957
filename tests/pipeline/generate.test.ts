// The CI build's data step (scripts/generate.ts with CI=true) on a copy of the committed results:
// a truncated unit file is reported as CORRUPT with `git checkout -- <file>`, never as stale and
// never retrained; site files left after every unit file is deleted fail as ORPHAN.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let project: string;
beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'atlas-generate-'));
  for (const p of ['node_modules', 'scripts', 'models', 'contracts', 'package.json', 'tsconfig.json']) symlinkSync(resolve(p), join(project, p));
  cpSync('generated', join(project, 'generated'), { recursive: true });
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

const generate = () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/generate.ts'], { cwd: project, env: { ...process.env, CI: 'true' }, encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
};
// A unit file of the full plan (committed or not: the check is the same).
const UNIT = join('generated', 'attention-distance', 'vit_mini_patch4_28-full-s0.json');

describe('the CI build on broken committed results', () => {
  it('a truncated unit file fails as CORRUPT with the git checkout fix, and nothing is retrained', () => {
    const path = join(project, UNIT);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, '{ "experiment": "attention-distance", "unit": { "key": "vit_mini_patch4_28-full-s0", "se');
    const r = generate();
    expect(r.code).not.toBe(0);
    expect(r.out).toContain(`CORRUPT ${path}`);
    expect(r.out).toMatch(/Fix: `git checkout -- generated\/attention-distance\//);
    expect(r.out).not.toMatch(/stale|running \d+ missing/);
    rmSync(path);
  }, 300_000);

  it('values, verdict and summary files without any unit file fail as ORPHAN', () => {
    const dir = join(project, 'generated', 'cka');
    mkdirSync(dir, { recursive: true });
    for (const f of readdirSync(dir).filter((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')).cacheKey)) rmSync(join(dir, f));
    writeFileSync(join(dir, 'values.json'), JSON.stringify({ id: 'cka', values: {} }));
    const r = generate();
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(new RegExp(`ORPHAN .*${join(dir, 'values.json').replace(/[.]/g, '\\.')}.*site files of cka without any unit file.*git checkout -- generated/cka/`));
  }, 300_000);
});
