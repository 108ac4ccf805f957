// The CI build's data step (scripts/generate.ts with CI=true) on a copy of the committed results:
// a truncated unit file is reported as CORRUPT with `git checkout -- <file>`, never as stale and
// never retrained; site files left after every unit file is deleted fail as ORPHAN.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let project: string;
beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'atlas-generate-'));
  for (const p of ['node_modules', 'scripts', 'contracts', 'package.json', 'tsconfig.json']) symlinkSync(resolve(p), join(project, p));
  cpSync('generated', join(project, 'generated'), { recursive: true });
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

const generate = () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/generate.ts'], { cwd: project, env: { ...process.env, CI: 'true' }, encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
};
const unitFiles = (id: string) => readdirSync(join(project, 'generated', id)).filter((f) => JSON.parse(readFileSync(join(project, 'generated', id, f), 'utf8')).cacheKey);

describe('the CI build on broken committed results', () => {
  it('a truncated unit file fails as CORRUPT with the git checkout fix, and nothing is retrained', () => {
    const [first] = unitFiles('attention-distance');
    const path = join(project, 'generated', 'attention-distance', first!);
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, text.slice(0, text.length / 2));
    const r = generate();
    expect(r.code).not.toBe(0);
    expect(r.out).toContain(`CORRUPT ${path}`);
    expect(r.out).toMatch(/Fix: `git checkout -- generated\/attention-distance\//);
    expect(r.out).not.toMatch(/stale|running \d+ missing/);
    writeFileSync(path, text);
  }, 300_000);

  it('values, verdict and summary files without any unit file fail as ORPHAN', () => {
    const dir = join(project, 'generated', 'cka');
    for (const f of unitFiles('cka')) rmSync(join(dir, f));
    const r = generate();
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(new RegExp(`ORPHAN .*${join(dir, 'values.json').replace(/[.]/g, '\\.')}.*site files of cka without any unit file.*git checkout -- generated/cka/`));
  }, 300_000);
});
