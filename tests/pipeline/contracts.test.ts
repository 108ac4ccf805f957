// Contracts between scripts/ and src/: files are checked when written and when read, and a page
// naming an experiment that generated/index.json does not list fails the build.
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generatedIndexSchema } from '../../contracts/generated-index';
import { statusSchema } from '../../contracts/status';
import { unitRecordSchema } from '../../contracts/unit-record';
import { valuesFileSchema } from '../../contracts/values';
import { LEGACY_UNITS } from '../../contracts/legacy';
import { writeValidatedJson } from '../../scripts/lib/io/json-file';
import { assertKnownExperiment, loadIndex, loadValue, MissingGeneratedError } from '../../src/lib/generated';

const tmp = mkdtempSync(join(tmpdir(), 'atlas-contracts-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('contracts', () => {
  it('a file that breaks its contract is not written, and the error names the file and the field', () => {
    const path = join(tmp, 'values.json');
    expect(() => writeValidatedJson(path, valuesFileSchema, { id: 'x', values: { a: { value: 'high' } } }, 'contracts/values.ts')).toThrow(
      /values\.json does not match contracts\/values\.ts: values\.a\.value: .*number/,
    );
    expect(existsSync(path)).toBe(false);
    expect(writeValidatedJson(path, valuesFileSchema, { id: 'x', values: { a: { value: 1, unit: '%' } }, extra: true }, 'contracts/values.ts')).toBe(true);
    expect(JSON.parse(readFileSync(path, 'utf8')).extra).toBe(true); // written as given, not as parsed
  });

  it('the committed index, status files and unit records match their contracts', () => {
    const index = generatedIndexSchema.parse(JSON.parse(readFileSync('generated/index.json', 'utf8')));
    expect(index.experiments.length).toBeGreaterThan(5);
    for (const e of index.experiments.filter((x) => x.kind === 'trained' && x.state !== 'pending' && x.id !== 'engine-smoke')) {
      const status = statusSchema.parse(JSON.parse(readFileSync(`generated/${e.id}/status.json`, 'utf8')));
      expect(status).toMatchObject({ experiment: e.id, units: e.units, done: e.done });
    }
    for (const key of Object.keys(LEGACY_UNITS).slice(0, 20)) {
      const r = unitRecordSchema.safeParse(JSON.parse(readFileSync(`generated/${key}.json`, 'utf8')));
      expect(r.success, `${key}: ${r.error?.message}`).toBe(true);
    }
  });
});

describe('pages naming experiments', () => {
  it('an unknown experiment fails naming the page, the component and the known ids', () => {
    const known = loadIndex().experiments.map((e) => e.id);
    expect(known).toContain('shape-bias');
    expect(() => assertKnownExperiment('typo', '/ja/articles/shape-bias/', 'Verdict')).toThrow(
      new RegExp(`/ja/articles/shape-bias/: <Verdict experiment="typo"> names an unknown experiment\\. Known experiments \\(generated/index\\.json\\): ${known.join(', ')}`),
    );
    expect(() => loadValue('typo', 'x', '/articles/a/')).toThrow(/\/articles\/a\/: <Value experiment="typo"> names an unknown experiment/);
    expect(() => loadValue('typo', 'x', '/articles/a/')).not.toThrow(MissingGeneratedError);
  });

  it('a known experiment without results is pending (MissingGeneratedError), a known key reads', () => {
    // engine-smoke is a known experiment that writes no values.json.
    expect(loadIndex().experiments.map((e) => e.id)).toContain('engine-smoke');
    expect(existsSync('generated/engine-smoke/values.json')).toBe(false);
    expect(() => loadValue('engine-smoke', 'x', '/p/')).toThrow(MissingGeneratedError);
    expect(loadValue('attention-cost', 'global_over_window_224', '/p/')).toMatchObject({ value: expect.any(Number) });
    expect(() => loadValue('attention-cost', 'nope', '/p/')).toThrow(/has no value "nope"\. Known keys: /);
  });
});
