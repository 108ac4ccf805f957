// hessian: the C6 verdict rules on hand-made statistics, and a quick-profile run of every unit.
import { describe, expect, it } from 'vitest';
import * as exp from '../../scripts/experiments/hessian';
import { combine, ordering } from '../../scripts/experiments/common/orderings';
import { mergeConfig } from '../../scripts/lib/experiments/cache';
import type { Experiment } from '../../scripts/lib/experiments/types';
import { meanCi95 } from '../../scripts/lib/metrics/hessian';
import { verdictSchema } from '../../contracts/verdict';
import { expectChartsRender, hasFashionMnist, runQuickUnits, useTempResultsDir } from '../helpers/quick-run';
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

const hasFm = hasFashionMnist('hessian quick run');

describe.skipIf(!hasFm)('hessian quick profile', () => {
  useTempResultsDir('atlas-hessian-');

  it('one signed dominant eigenvalue per mini-batch for every unit, and a valid verdict', async () => {
    const { cfg, records } = await runQuickUnits(exp);
    for (const record of records) {
      const result = record.result as unknown as exp.HessianUnit;
      expect(result.batches).toHaveLength(cfg.batches);
      for (const b of result.batches) {
        expect(b.eigenvalues).toHaveLength(cfg.topK);
        expect(Number.isFinite(b.eigenvalues[0])).toBe(true);
        expect(b.iterations[0]).toBeLessThanOrEqual(cfg.maxIter);
      }
      expect(result.nep).toBe(result.eigenvalues.filter((e) => e < 0).length / result.eigenvalues.length);
    }
    const out = exp.summarize(records, cfg, 'quick');
    const verdict = verdictSchema.parse(out.verdict);
    expect(verdict.claims).toEqual(['C6']);
    expect(verdict.measured.map((m) => m.key)).toContain('nep_vit_small');
    const values = (out.values as unknown as { values: Record<string, { value: number }> }).values;
    expect(values.count_vit_small!.value).toBe(cfg.batches * cfg.topK);
    // Every chart of the experiment renders from the summary in both languages, with a description.
    await expectChartsRender([hessianSpectrum, hessianNep, hessianNegativeCurvature], out.data);
  });
});
