/** generated/models/*.json still says what the code counts (re-run `npm run analyses` when not). */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { countModel, listModels } from '../../models/index';

const DIR = 'generated/models';
const files = existsSync(DIR) ? readdirSync(DIR).filter((f) => f.endsWith('.json') && f !== 'index.json' && f !== 'minis.json') : [];

describe('generated model analyses', () => {
  it('exist for every paper model', () => {
    const want = listModels().filter((n) => !n.includes('_mini_'));
    expect(files.map((f) => f.replace(/\.json$/, '')).sort()).toEqual(want);
  });

  it.each(files)('%s matches the counter', (file) => {
    const d = JSON.parse(readFileSync(`${DIR}/${file}`, 'utf8'));
    const r = countModel(d.model);
    expect(d.params).toBe(r.paramCount);
    expect(d.macs).toBe(r.macs);
    expect(d.scaling.points.length).toBeGreaterThanOrEqual(5);
    for (const p of d.scaling.points) expect(p.resolution % 16 === 0 || p.resolution === d.resolution).toBe(true);
    expect(d.provenance.gitRevision).toMatch(/^[0-9a-f]{12}$/); // committed code, not a dirty tree
  });
});
