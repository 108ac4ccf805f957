// robustness (C3): the summary and verdict on hand-made pool results (a draw, a winner, a control that
// already reaches the floor), the charts on that summary, and the quick profile end to end on the
// quick pool (skipped loudly without Fashion-MNIST).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { MIN_CLEAN_ACCURACY, RETENTION_MARGIN } from '../../scripts/experiments/criteria/robustness';
import * as exp from '../../scripts/experiments/robustness';
import { CORRUPTIONS, SEVERITY } from '../../scripts/lib/metrics/corruptions';
import { verdictSchema } from '../../contracts/verdict';
import { robustnessAdversarial, robustnessCorruptions } from '../../src/components/charts/robustness';
import { word } from '../../src/lib/experiments/word';
import { expectChartsRender, hasFashionMnist, runQuickUnits, useTempResultsDir } from '../helpers/quick-run';
import { jitter, record } from './_fmnist-fixtures';

type R = exp.RobustnessUnitResult;
const cfg = { ...exp.defaults };
const CNN = 'resnet_mini_28', VIT = 'vit_mini_patch4_28', HYB = 'hybrid_mini_28';

/** Clean 0.9; every corruption keeps `corr` of it, every PGD radius keeps `adv`; the untrained control scores `init`. */
function unit(model: string, seed: number, corr: number, adv: number, init = 0.1): R {
  const clean = 0.9;
  return {
    model, seed, params: 1000, cleanAccuracy: clean,
    pool: { model, regime: 'full', seed, poolKey: `${model}-full-s${seed}`, sha256: 'x', trainImages: 55000, epochs: 30, valAccuracy: clean, testAccuracy: clean },
    cleanOn: { corruption: clean, fgsm: clean, pgd: clean },
    corruption: CORRUPTIONS.flatMap((kind) => [1, 2, 3, 4, 5].map((severity) => ({ kind, severity, param: SEVERITY[kind][severity - 1]!, accuracy: clean * (corr + jitter(seed, severity)) }))),
    fgsm: cfg.fgsmEps.map((eps) => ({ eps, accuracy: clean * adv })),
    pgd: cfg.pgdEps.map((eps, i) => ({ eps, accuracy: clean * (adv + jitter(seed, i)) })),
    control: { cleanAccuracy: init },
  };
}
const records = (spec: Record<string, [number, number, number?]>) => [0, 1, 2].flatMap((s) => Object.entries(spec).map(([m, [c, a, i]]) => record(exp.id, m, s, unit(m, s, c, a, i))));

describe('robustness summary and verdict (criteria/robustness.ts)', () => {
  it('equal retention in both categories → reproduced (a draw by TOST), with every value finite and every text worded', () => {
    const tie = exp.summarize(records({ [CNN]: [0.7, 0.3], [VIT]: [0.7, 0.3], [HYB]: [0.7, 0.3] }), cfg, 'full');
    expect(tie.verdict.verdict).toBe('reproduced');
    expect(tie.data.judged.corruption.primary.outcome).toBe('draw');
    expect(verdictSchema.safeParse(tie.verdict).success).toBe(true);
    for (const [k, v] of Object.entries(tie.values.values)) expect(Number.isFinite(v.value), k).toBe(true);
    expect(tie.values.values.corr_diff_resnet_vit!.value).toBeCloseTo(0, 6);
    expect(tie.values.values.init_clean_vit!.value).toBeCloseTo(10, 6);
    for (const lang of ['en', 'ja'] as const) {
      for (const f of [tie.verdict.criterion, tie.verdict.control!, tie.verdict.summary, tie.verdict.budget, ...tie.verdict.measured.map((m) => m.label)]) expect(word(f, lang)).not.toMatch(/\{\{|\}\}/);
    }
    expect(word(tie.verdict.control!, 'en')).toContain('10.0%');
  });

  it('the ResNet keeps 30 points more under PGD → attacks contradicted, corruptions a draw: partly; both categories → contradicted', () => {
    const one = exp.summarize(records({ [CNN]: [0.7, 0.6], [VIT]: [0.7, 0.3], [HYB]: [0.7, 0.3] }), cfg, 'full');
    expect(one.data.judged.adversarial.primary.outcome).toBe('a');
    expect(one.data.judged.adversarial.verdict).toBe('contradicted');
    expect(one.verdict.verdict).toBe('partly');
    expect(one.values.values.pgd_diff_resnet_vit!.value).toBeCloseTo(30, 0);
    expect(one.values.values.pgd_ret_resnet!.value).toBeCloseTo(60, 0);
    const both = exp.summarize(records({ [CNN]: [0.5, 0.6], [VIT]: [0.8, 0.3], [HYB]: [0.5, 0.3] }), cfg, 'full');
    expect(both.data.judged.corruption.primary.outcome).toBe('b'); // the ViT keeps more under corruptions
    expect(both.verdict.verdict).toBe('contradicted');
    expect(word(both.verdict.summary, 'en')).toMatch(/ViT-mini keeps more/);
  });

  it('an untrained control that already reaches the clean-accuracy floor makes the same draw inconclusive', () => {
    const v = exp.summarize(records({ [CNN]: [0.7, 0.3, 0.9], [VIT]: [0.7, 0.3, 0.9] }), { ...cfg, models: [CNN, VIT] }, 'full');
    expect(v.data.judged.preconditions.control).toBe(false);
    expect(v.verdict.verdict).toBe('inconclusive');
    expect(word(v.verdict.summary, 'en')).toMatch(/untrained control already reaches/);
  });

  it('units read the pool: one per (model, seed), with the pool weights they use in the unit (so a retrained pool model makes them stale)', () => {
    const us = exp.units('full', cfg);
    expect(us.map((u) => u.key)).toContain('vit_mini_patch4_28-s2');
    expect(us).toHaveLength(9);
    expect(Object.keys(us.find((u) => u.key === 'resnet_mini_28-s1')!.pool as object)).toEqual(['resnet-full-s1']);
    expect(() => exp.units('full', { ...cfg, regime: 'big' })).toThrow(/unknown pool regime/);
  });
});

describe('robustness in the article', () => {
  it('states the criterion\'s fixed thresholds as the code has them (they are known before any run, so the pending page shows them)', () => {
    const en = readFileSync('src/content/docs/articles/frequency-robustness.mdx', 'utf8'), ja = readFileSync('src/content/docs/ja/articles/frequency-robustness.mdx', 'utf8');
    expect(en).toContain(`±${Math.round(100 * RETENTION_MARGIN)} points`);
    expect(ja).toContain(`±${Math.round(100 * RETENTION_MARGIN)} ポイント`);
    for (const s of [en, ja]) expect(s).toContain(`${Math.round(100 * MIN_CLEAN_ACCURACY)}%`);
  });
});

describe('robustness charts', () => {
  it('render in both languages and state their numbers', async () => {
    const { data } = exp.summarize(records({ [CNN]: [0.7, 0.3], [VIT]: [0.6, 0.2] }), { ...cfg, models: [CNN, VIT] }, 'full');
    await expectChartsRender([robustnessCorruptions, robustnessAdversarial], data);
    expect(robustnessCorruptions.describe(data as never, (await import('../../src/lib/i18n/t')).makeT('en'), 'en')).toContain('90'); // clean accuracy 90%
  });
});

const hasFm = hasFashionMnist('robustness quick run');
describe.skipIf(!hasFm)('robustness quick profile (on the quick pool, trained on the spot)', () => {
  useTempResultsDir('atlas-robustness-');

  it('measures every corruption and severity, FGSM and PGD on the pool models, and the untrained control', async () => {
    const { cfg: qc, records: recs } = await runQuickUnits(exp);
    expect(recs.map((r) => r.unit.key)).toEqual(['resnet_mini_28-s0', 'vit_mini_patch4_28-s0']);
    for (const rec of recs) {
      const r = rec.result as unknown as R;
      expect(r.pool.poolKey).toMatch(/^(resnet|vit)-full-s0$/);
      expect(r.pool.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(r.corruption).toHaveLength(25);
      expect(r.pgd).toHaveLength(1);
      for (const a of [...r.corruption, ...r.fgsm, ...r.pgd].map((x) => x.accuracy).concat(r.control.cleanAccuracy)) { expect(a).toBeGreaterThanOrEqual(0); expect(a).toBeLessThanOrEqual(1); }
    }
    const out = exp.summarize(recs, qc, 'quick');
    expect(verdictSchema.safeParse(out.verdict).success).toBe(true);
    expect(out.verdict.verdict).toBe('inconclusive'); // one seed: the criterion needs three
    await expectChartsRender([robustnessCorruptions, robustnessAdversarial], out.data);
  }, 600_000);
});
