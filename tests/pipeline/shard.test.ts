// The rebuild workflow's path, end to end through the command line: --list-units prints the plan
// as JSON, two quick-profile shards of engine-smoke (into two result folders) merged give the
// same files, cache keys and results as one unsharded run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasFashionMnist } from '../helpers/quick-run';
import { withoutWallTime } from '../helpers/wall-time';

const root = mkdtempSync(join(tmpdir(), 'atlas-shard-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const SEL = ['--only', 'engine-smoke', '--profile', 'quick', '--models=vit_mini_patch4_28,resnet_mini_28'];
function cli(args: string[], results: string) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/run-experiments.ts', ...args], {
    env: { ...process.env, ATLAS_RESULTS_DIR: join(root, results), ATLAS_LOCK_DIR: join(root, 'locks') }, encoding: 'utf8', timeout: 300_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const units = (results: string) => {
  const dir = join(root, results, '.cache/quick/engine-smoke');
  return Object.fromEntries(readdirSync(dir).map((f) => {
    const rec = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    return [f, { cacheKey: rec.cacheKey, result: withoutWallTime(rec.result) }];
  }));
};

describe('list and shard', () => {
  it('--list-units prints only a JSON array of { id, key, state } on stdout', () => {
    const r = cli(['--list-units', ...SEL], 'list');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      { id: 'engine-smoke', key: 'vit_mini_patch4_28-s0', state: 'missing' },
      { id: 'engine-smoke', key: 'resnet_mini_28-s0', state: 'missing' },
    ]);
  });

  it.skipIf(!hasFashionMnist('for the shard merge test'))('two shards merged equal one run (cache keys and results)', () => {
    for (const [args, dir] of [[['--shard', '1/2'], 'a'], [['--shard', '2/2'], 'b'], [[], 'one']] as const) {
      const r = cli([...SEL, '--jobs', '1', ...args], dir);
      expect(r.code, r.stderr).toBe(0);
    }
    const a = units('a'), b = units('b'), one = units('one');
    expect(Object.keys(a)).toHaveLength(1);
    expect(Object.keys(b)).toHaveLength(1);
    expect(Object.keys(a)).not.toEqual(Object.keys(b));
    expect({ ...a, ...b }).toEqual(one);
    // --unit runs exactly the named unit.
    const key = Object.keys(a)[0]!.replace(/\.json$/, '');
    const r = cli([...SEL, '--jobs', '1', '--unit', `engine-smoke/${key}`], 'u');
    expect(r.code, r.stderr).toBe(0);
    expect(units('u')).toEqual(a);
  }, 600_000);
});
