// hessian: the C6 verdict rules on hand-made statistics, and a quick-profile run of every unit.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as exp from '../../scripts/experiments/hessian';
import { combine, ordering } from '../../scripts/experiments/_c6/summary';
import { selectBackend } from '../../scripts/lib/engine/backend';
import { fashionMnistAvailable } from '../../scripts/lib/data/fashion-mnist';
import { mergeConfig } from '../../scripts/lib/experiments/cache';
import type { Experiment, Json, UnitRecord } from '../../scripts/lib/experiments/types';
import { meanCi95 } from '../../scripts/lib/metrics/hessian';
import { verdictSchema } from '../../src/lib/experiments/verdict';
import { hasSystemDep } from '../helpers/system-deps';
import { renderSvg } from '../../src/components/charts/render-svg';
import { makeT } from '../../src/lib/i18n/t';
import { hessianNegativeCurvature, hessianNep, hessianSpectrum } from '../../src/components/charts/hessian';

describe('C6 verdict rules', () => {
  it('an ordering is clear when the intervals are apart, weak when only the means are', () => {
    expect(ordering(meanCi95([0.5, 0.6, 0.55]), meanCi95([0.1, 0.0, 0.05]))).toBe('clear');
    expect(ordering(meanCi95([0.5, 0.1, 0.3]), meanCi95([0.2, 0.3, 0.25]))).toBe('weak');
    expect(ordering(meanCi95([0, 0, 0]), meanCi95([0, 0, 0]))).toBe('contrary'); // ties do not count
    expect(ordering(meanCi95([0.1]), meanCi95([0.2]))).toBe('contrary');
  });
  it('reproduced needs every part clear; not-reproduced every part contrary', () => {
    expect(combine(['clear', 'clear', 'clear'])).toBe('reproduced');
    expect(combine(['clear', 'weak', 'clear'])).toBe('partly');
    expect(combine(['contrary', 'clear', 'contrary'])).toBe('partly');
    expect(combine(['contrary', 'contrary', 'contrary'])).toBe('not-reproduced');
  });
  it('units: model × regime × seed', () => {
    const cfg = mergeConfig(exp as unknown as Experiment, 'full') as typeof exp.defaults;
    expect(exp.units('full', cfg).map((u) => u.key)).toHaveLength(12);
    expect(exp.units('full', cfg)[0]).toEqual({ key: 'resnet_mini_28.small.s0', seed: 0, model: 'resnet_mini_28', regime: 'small' });
  });
});

const hasFm = hasSystemDep('Fashion-MNIST (hessian quick run)', fashionMnistAvailable(), 'apt-get install -y dataset-fashion-mnist');

describe.skipIf(!hasFm)('hessian quick profile', () => {
  let root: string;
  beforeAll(async () => { root = mkdtempSync(join(tmpdir(), 'atlas-hessian-')); process.env.ATLAS_RESULTS_DIR = root; await selectBackend(); });
  afterAll(() => { delete process.env.ATLAS_RESULTS_DIR; rmSync(root, { recursive: true, force: true }); });

  it('one signed dominant eigenvalue per mini-batch for every unit, and a valid verdict', async () => {
    const cfg = mergeConfig(exp as unknown as Experiment, 'quick') as typeof exp.defaults;
    const ctx = { profile: 'quick' as const, progress: () => {}, log: () => {} };
    const records: UnitRecord[] = [];
    for (const u of exp.units('quick', cfg)) {
      const result = (await exp.runUnit(u, cfg, ctx)) as unknown as exp.HessianUnit;
      expect(result.batches).toHaveLength(cfg.batches);
      for (const b of result.batches) {
        expect(b.eigenvalues).toHaveLength(cfg.topK);
        expect(Number.isFinite(b.eigenvalues[0])).toBe(true);
        expect(b.iterations[0]).toBeLessThanOrEqual(cfg.maxIter);
      }
      expect(result.nep).toBe(result.eigenvalues.filter((e) => e < 0).length / result.eigenvalues.length);
      records.push({ experiment: exp.id, unit: u, cacheKey: 'x', codeVersion: exp.codeVersion, config: cfg, claims: exp.claims, result: result as unknown as Json, provenance: { wallMs: 1000 } } as unknown as UnitRecord);
    }
    const out = exp.summarize(records, cfg, 'quick');
    const verdict = verdictSchema.parse(out.verdict);
    expect(verdict.claims).toEqual(['C6']);
    expect(verdict.measured.map((m) => m.key)).toContain('nep_vit_small');
    const values = (out.values as unknown as { values: Record<string, { value: number }> }).values;
    expect(values.count_vit_small!.value).toBe(cfg.batches * cfg.topK);
    // Every chart of the experiment renders from the summary in both languages, with a description.
    for (const def of [hessianSpectrum, hessianNep, hessianNegativeCurvature]) {
      for (const lang of ['en', 'ja'] as const) {
        const t = makeT(lang);
        const svg = await renderSvg(def.spec(def.rows(out.data as never), t, lang));
        expect(svg.startsWith('<svg')).toBe(true);
        expect(svg).toContain(t(def.titleKey).slice(0, 8));
        expect(def.describe(out.data as never, t, lang).length).toBeGreaterThan(20);
      }
    }
  });
});
