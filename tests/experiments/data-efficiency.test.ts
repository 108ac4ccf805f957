// data-efficiency (C4, C7): units (pool units at 2k and 55k, the others trained with the size schedule), the
// verdict on hand-made accuracies (it flips with the effect; chance is the control, so a point that did not
// train makes it inconclusive), the charts on that summary, and a quick-profile run on Fashion-MNIST.
import { describe, expect, it } from 'vitest';
import * as exp from '../../scripts/experiments/data-efficiency';
import { mergeConfig } from '../../scripts/lib/experiments/cache';
import type { Experiment, Json, UnitRecord } from '../../scripts/lib/experiments/types';
import { POOL_ANCHORS, SIZES } from '../../scripts/experiments/criteria/data-schedule';
import { verdictSchema } from '../../contracts/verdict';
import { word } from '../../src/lib/experiments/word';
import { dataEfficiencyAccuracy, dataEfficiencyGap, type DataEfficiencyData } from '../../src/components/charts/data-efficiency';
import { expectChartsRender, hasFashionMnist, runQuickUnits, toRecord, useTempResultsDir } from '../helpers/quick-run';

const cfg = mergeConfig(exp as unknown as Experiment, 'full') as typeof exp.defaults;
type Acc = (model: string, n: number) => number;

/** Every unit of the full grid, accuracy from `acc` plus a small per-seed wobble shared by all models (paired noise). */
const grid = (acc: Acc): UnitRecord[] => exp.units('full', cfg).map((u) => {
  const n = Number(u.n), a = acc(String(u.model), n) + 0.004 * (u.seed - 1);
  const result: exp.DataEffUnit = {
    model: String(u.model), n, seed: u.seed, poolRegime: exp.scheduleOf(n, 'full').poolRegime, pool: null,
    epochsPlanned: 1, stepsPlanned: 1, stepsDone: 1, bestStep: 1, stoppedEarly: false, valAccuracy: a, testAccuracy: a,
  };
  return toRecord(exp, u, cfg, result as unknown as Json);
});
const lg = (n: number) => Math.log10(n / 1000); // 0 at 1k, 1.74 at 55k
type Summary = { verdict: { verdict: string; summary: never; control: never }; values: { values: Record<string, { value: number }> }; summary: DataEfficiencyData };
const summarize = (rs: UnitRecord[]) => exp.summarize(rs, cfg, 'full') as unknown as Summary;
const R = 'resnet_mini_28', V = 'vit_mini_patch4_28', H = 'hybrid_mini_28';
const resnet = (n: number) => 0.84 + 0.04 * lg(n);

describe('data-efficiency units', () => {
  it('ResNet, ViT and hybrid at 1k…55k, three seeds, seed-major; 2k and 55k read the pool', () => {
    const us = exp.units('full', cfg);
    expect(cfg.sizes).toEqual([...SIZES]);
    expect(us).toHaveLength(3 * 6 * 3);
    expect(new Set(us.map((u) => u.key)).size).toBe(us.length);
    expect(us.slice(0, 18).every((u) => u.seed === 0)).toBe(true);
    expect(Object.keys(us.find((u) => u.key === 'vit-n2000-s1')!.pool as object)).toEqual(['vit-small-s1']);
    expect(Object.keys(us.find((u) => u.key === 'hybrid-n55000-s2')!.pool as object)).toEqual(['hybrid-full-s2']);
    expect(us.find((u) => u.key === 'resnet-n5000-s0')!.pool).toEqual({});
    expect(us.find((u) => u.key === 'resnet-n5000-s0')!.recipe).toMatchObject({ epochs: exp.scheduleOf(5000, 'full').epochs, lr: 1e-3 });
  });

  it('the size schedule is anchored on the pool as it is configured', () => {
    expect(exp.anchors('full')).toEqual(POOL_ANCHORS);
    expect(exp.scheduleOf(2000, 'full')).toMatchObject({ epochs: 200, poolRegime: 'small' });
    expect(exp.scheduleOf(55000, 'full')).toMatchObject({ epochs: 30, poolRegime: 'full' });
    const s = exp.scheduleOf(10000, 'full');
    expect(s.poolRegime).toBeNull();
    expect(s.steps).toBeGreaterThan(exp.scheduleOf(2000, 'full').steps);
    expect(s.steps).toBeLessThan(exp.scheduleOf(55000, 'full').steps);
  });
});

describe('data-efficiency verdict', () => {
  it('ViT behind at small n, gap closing, conv stem helping → reproduced', () => {
    const acc: Acc = (m, n) => { const vit = resnet(n) - 0.1 + 0.05 * lg(n); return m === R ? resnet(n) : m === V ? vit : vit + 0.06; };
    const s = summarize(grid(acc));
    const v = verdictSchema.parse(s.verdict);
    expect(v.verdict).toBe('reproduced');
    for (const lang of ['en', 'ja'] as const) for (const f of [v.criterion, v.summary, v.budget, v.control!, ...v.measured.map((m) => m.label)]) expect(word(f, lang)).not.toMatch(/\{\{/);
    for (const [k, x] of Object.entries(s.values.values)) expect(Number.isFinite(x.value), k).toBe(true);
    expect(s.values.values.behind_diff!.value).toBeCloseTo(10, 1); // ResNet − ViT
    expect(s.values.values.hybridAhead_diff!.value).toBeCloseTo(6, 1);
    expect(s.values.values.closes_diff!.value).toBeCloseTo(5, 1);
    expect(s.values.values.acc_resnet_55000!.value).toBeCloseTo(100 * resnet(55000), 1);
  });

  it('absent (the ViT level with the ResNet at every n, no stem gain) → not detected; reversed → contradicted', () => {
    expect(summarize(grid((_m, n) => resnet(n))).verdict.verdict).toBe('not-detected');
    const reversed: Acc = (m, n) => { const vit = resnet(n) + 0.05 - 0.03 * lg(n); return m === R ? resnet(n) : m === V ? vit : vit - 0.04; };
    expect(summarize(grid(reversed)).verdict.verdict).toBe('contradicted');
  });

  it('only part of it (ViT behind by a constant gap, the stem helping) → partly', () => {
    const acc: Acc = (m, n) => (m === R ? resnet(n) : m === V ? resnet(n) - 0.1 : resnet(n) - 0.05);
    expect(summarize(grid(acc)).verdict.verdict).toBe('partly');
  });

  it('the control: a point at chance level makes the verdict inconclusive, however large the effect', () => {
    const acc: Acc = (m, n) => { const vit = n === 1000 ? 0.12 : resnet(n) - 0.1 + 0.05 * lg(n); return m === R ? resnet(n) : m === V ? vit : vit + 0.06; };
    const s = summarize(grid(acc));
    expect(s.verdict.verdict).toBe('inconclusive');
    expect(word(s.verdict.summary, 'en')).toContain('a point did not train');
    expect(word(s.verdict.control, 'en')).toContain('10%');
  });

  it('partial results give chart data but neither values nor a verdict', () => {
    const s = summarize(grid(() => 0.8).filter((r) => r.unit.model === R));
    expect((s as { verdict?: unknown }).verdict).toBeUndefined();
    expect((s as { values?: unknown }).values).toBeUndefined();
    expect(s.summary.rows.length).toBe(6);
  });

  it('charts render in both languages and describe the numbers', async () => {
    const acc: Acc = (m, n) => (m === V ? resnet(n) - 0.1 : resnet(n));
    await expectChartsRender([dataEfficiencyAccuracy, dataEfficiencyGap], summarize(grid(acc)).summary);
  });
});

const hasFm = hasFashionMnist('data-efficiency quick run');

describe.skipIf(!hasFm)('data-efficiency quick profile', () => {
  useTempResultsDir('atlas-data-eff-');

  it('pool units at the pool sizes, a scaled and early-stopped run in between, and a valid verdict', async () => {
    const { cfg: q, records } = await runQuickUnits(exp);
    expect(records).toHaveLength(q.models.length * q.sizes.length);
    for (const rec of records) {
      const r = rec.result as unknown as exp.DataEffUnit;
      expect(r.poolRegime).toBe(exp.scheduleOf(r.n, 'quick').poolRegime);
      expect(r.testAccuracy).toBeGreaterThanOrEqual(0);
      expect(r.testAccuracy).toBeLessThanOrEqual(1);
      if (!r.poolRegime) expect(r.stepsDone).toBeLessThanOrEqual(r.stepsPlanned);
    }
    const out = exp.summarize(records, q, 'quick');
    const v = verdictSchema.parse(out.verdict);
    expect(v.claims).toEqual(['C4', 'C7']);
    expect(v.verdict).toBe('inconclusive'); // one seed, no hybrid: the criterion cannot decide
    await expectChartsRender([dataEfficiencyAccuracy, dataEfficiencyGap], out.summary);
  }, 600_000);
});
