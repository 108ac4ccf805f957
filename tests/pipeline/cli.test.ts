// `npm run experiments` arguments: every mistake fails before any work, with the flag named.
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../scripts/lib/experiments/cli';
import { configErrors, mergeConfig, parseOverride } from '../../scripts/lib/experiments/cache';
import { shardOf } from '../../scripts/lib/experiments/runner';
import type { Experiment } from '../../scripts/lib/experiments/types';

describe('experiments command line', () => {
  it('reads the documented forms', () => {
    expect(parseArgs(['--only', 'a,b', '--profile=quick', '--force', '--jobs', '2', '--steps=5'])).toMatchObject({ only: ['a', 'b'], profile: 'quick', force: true, jobs: 2, overrides: { steps: '5' } });
    expect(parseArgs(['--list-units', '--only', 'engine-smoke', '--profile', 'full'])).toMatchObject({ listUnits: true, only: ['engine-smoke'] });
    expect(parseArgs(['--shard', '2/3'])).toMatchObject({ shard: { index: 2, count: 3 } });
    expect(parseArgs(['--unit', 'engine-smoke/vit-s0', '--no-wait'])).toMatchObject({ units: ['engine-smoke/vit-s0'], wait: false });
    expect(parseArgs([])).toMatchObject({ only: [], profile: 'full', force: false, wait: true });
  });

  it.each([
    [['--only='], /--only needs a value/],
    [['--only'], /--only needs a value/],
    [['--only', '--force'], /--only needs a value/],
    [['--only=a,,b'], /empty item/],
    [['--force=false'], /--force takes no value/],
    [['--force=true'], /--force takes no value/],
    [['--check-stale=1'], /--check-stale takes no value/],
    [['--list-units=yes'], /--list-units takes no value/],
    [['--jobs=0'], /--jobs must be a positive integer/],
    [['--jobs=1.5'], /--jobs must be a positive integer/],
    [['--profile=fast'], /--profile must be quick or full/],
    [['--shard=0/2'], /--shard must be I\/N/],
    [['--shard=3/2'], /--shard must be I\/N/],
    [['--shard=1'], /--shard must be I\/N/],
    [['--unit=engine-smoke'], /--unit must be ID\/KEY/],
    [['--steps='], /--steps needs a value/],
    [['-x'], /unknown argument '-x'/],
    [['steps=3'], /unknown argument 'steps=3'/],
    [['--list', '--list-units'], /cannot be combined/],
    [['--check-stale', '--profile=quick'], /--check-stale checks the committed full profile/],
    [['--only=a', '--unit=b/k'], /--unit b\/k is not in --only a/],
  ])('rejects %j', (argv, msg) => {
    expect(() => parseArgs(argv)).toThrow(msg);
  });

  it('range-checks numbers against their defaults before any work (steps, batchSize, lr), and empty values', () => {
    const exp = { id: 'e', claims: [], codeVersion: '1', defaults: { steps: 100, batchSize: 64, lr: 1e-3, trainLimit: 0, warmupSteps: 10, models: ['a'] }, profiles: { quick: {}, full: {} }, units: () => [], runUnit: () => null } as unknown as Experiment;
    expect(() => mergeConfig(exp, 'full', { steps: 0 })).toThrow(/--steps must be ≥ 1, got 0/);
    expect(() => mergeConfig(exp, 'full', { steps: -5 })).toThrow(/--steps must be ≥ 1, got -5/);
    expect(() => mergeConfig(exp, 'full', { steps: 2.5 })).toThrow(/--steps must be an integer/);
    expect(() => mergeConfig(exp, 'full', { batchSize: 0 })).toThrow(/--batchSize must be ≥ 1/);
    expect(() => mergeConfig(exp, 'full', { lr: 0 })).toThrow(/--lr must be > 0/);
    expect(() => mergeConfig(exp, 'full', { trainLimit: -1 })).toThrow(/--trainLimit must be ≥ 0/);
    expect(mergeConfig(exp, 'full', { trainLimit: 0, warmupSteps: 0, steps: 1 })).toMatchObject({ trainLimit: 0, warmupSteps: 0, steps: 1 });
    expect(configErrors({ ...exp, limits: { steps: { min: 0, integer: true } } }, { steps: 0 })).toEqual([]);
    expect(() => parseOverride('', 1)).toThrow(/needs a value/);
    expect(() => parseOverride('  ', [1])).toThrow(/needs a value/);
  });
});

describe('shards', () => {
  const tasks = Array.from({ length: 23 }, (_, i) => ({ id: `e${i % 4}`, unit: { key: `u${i}` } }));
  it.each([1, 2, 3, 5, 23, 30])('split the units into %i shards, each unit in exactly one, whatever the input order', (n) => {
    const shards = Array.from({ length: n }, (_, i) => shardOf(tasks, i + 1, n));
    const names = shards.flat().map((t) => `${t.id}/${t.unit.key}`);
    expect(names.length).toBe(tasks.length);
    expect(new Set(names).size).toBe(tasks.length);
    const sizes = shards.map((s) => s.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    const reversed = Array.from({ length: n }, (_, i) => shardOf([...tasks].reverse(), i + 1, n));
    expect(reversed).toEqual(shards);
  });
  it('rejects an impossible shard', () => {
    expect(() => shardOf(tasks, 0, 2)).toThrow(/--shard/);
    expect(() => shardOf(tasks, 3, 2)).toThrow(/--shard/);
  });
});
