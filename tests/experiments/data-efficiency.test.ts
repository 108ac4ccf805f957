// data-efficiency (C4, C7): units and nested subsets, the three-test verdict on hand-made
// accuracies, the charts on that summary, and a tiny real unit on Fashion-MNIST (skipped loudly
// without the dataset).
import { describe, expect, it } from 'vitest';
import * as exp from '../../scripts/experiments/data-efficiency';
import { selectBackend } from '../../scripts/lib/engine/backend';
import type { Json, UnitRecord } from '../../scripts/lib/experiments/types';
import { verdictSchema } from '../../contracts/verdict';
import { dataEfficiencyAccuracy, dataEfficiencyGap, type DataEfficiencyData } from '../../src/components/charts/data-efficiency';
import { renderSvg } from '../../src/components/charts/render-svg';
import { makeT } from '../../src/lib/i18n/t';
import { hasFashionMnist } from '../helpers/quick-run';

const cfg = { ...exp.defaults };
type Acc = (model: string, n: number) => number;

function record(model: string, n: number, seed: number, acc: number): UnitRecord {
  return {
    experiment: exp.id, unit: { key: `${model}-n${n}-s${seed}`, seed, model, n }, cacheKey: 'k', codeVersion: exp.codeVersion, config: cfg, claims: exp.claims,
    result: { model, kind: 'x', n, seed, params: 1000, epochs: 1, testAccuracy: acc, testLoss: 1, trainAccuracy: Math.min(1, acc + 0.1), finalTrainLoss: 1, timing: { trainMs: 1, evalMs: 1, imagesPerSec: 1 } } as unknown as Json,
    provenance: { backend: 'cpu', device: 'test', kernels: [], packages: {}, seed, profile: 'full', git: { revision: 'x', dirty: false }, startedAt: '', wallMs: 10_000 },
  };
}
/** Every unit of the full grid, accuracy from `acc` plus a small per-seed wobble shared by all models (paired noise). */
const grid = (acc: Acc) => exp.units('full', cfg).map((u) => record(String(u.model), Number(u.n), u.seed, acc(String(u.model), Number(u.n)) + 0.004 * (u.seed - 1)));
const lg = (n: number) => Math.log10(n / 1000) / Math.log10(60); // 0 at 1k, 1 at 60k
type Summary = { verdict: { verdict: string }; values: { values: Record<string, { value: number }> }; summary: DataEfficiencyData };
const summarize = (rs: UnitRecord[]) => exp.summarize(rs, cfg, 'full') as unknown as Summary;

describe('data-efficiency units and subsets', () => {
  it('one unit per model × n × seed, seed-major, unique keys', () => {
    const us = exp.units('full', cfg);
    expect(us).toHaveLength(5 * 6 * 3);
    expect(new Set(us.map((u) => u.key)).size).toBe(us.length);
    expect(us.slice(0, 30).every((u) => u.seed === 0)).toBe(true);
  });

  it('subsets are nested within a seed and differ across seeds', () => {
    const small = Array.from(exp.subsetIndices(1000, 10, 3)), big = Array.from(exp.subsetIndices(1000, 100, 3));
    expect(big.slice(0, 10)).toEqual(small);
    expect(new Set(big).size).toBe(100);
    expect(Array.from(exp.subsetIndices(1000, 10, 4))).not.toEqual(small);
    expect(() => exp.subsetIndices(10, 11, 0)).toThrow(/n = 11/);
  });
});

describe('data-efficiency verdict', () => {
  const resnet = (n: number) => 0.78 + 0.08 * lg(n);

  it('ViT behind at small n, gap shrinking, conv stem helping → reproduced', () => {
    const acc: Acc = (m, n) => {
      const vit = resnet(n) - 0.1 + 0.08 * lg(n);
      return m === 'resnet_mini_28' ? resnet(n) : m === 'vit_mini_patch4_28' ? vit : m === 'hybrid_mini_28' ? vit + 0.06 : resnet(n) - 0.03;
    };
    const s = summarize(grid(acc));
    expect(s.verdict.verdict).toBe('reproduced');
    expect(verdictSchema.safeParse(s.verdict).success).toBe(true);
    for (const [k, v] of Object.entries(s.values.values)) expect(Number.isFinite(v.value), k).toBe(true);
    expect(s.values.values.gap_vit_resnet_1000!.value).toBeCloseTo(-10, 1);
    expect(s.values.values.gap_hybrid_vit_1000!.value).toBeCloseTo(6, 1);
    expect(s.values.values.gap_change!.value).toBeCloseTo(8, 1);
    expect(s.values.values.acc_resnet_60000!.value).toBeCloseTo(86, 0);
  });

  it('ViT behind by a constant gap, stem helping → partly; ViT ahead and stem not helping → not reproduced', () => {
    const partly: Acc = (m, n) => (m === 'resnet_mini_28' ? resnet(n) : m === 'vit_mini_patch4_28' ? resnet(n) - 0.1 : m === 'hybrid_mini_28' ? resnet(n) - 0.05 : resnet(n));
    expect(summarize(grid(partly)).verdict.verdict).toBe('partly');
    const none: Acc = (m, n) => (m === 'resnet_mini_28' ? resnet(n) : m === 'vit_mini_patch4_28' ? resnet(n) + 0.02 : m === 'hybrid_mini_28' ? resnet(n) + 0.01 : resnet(n));
    expect(summarize(grid(none)).verdict.verdict).toBe('not-reproduced');
  });

  it('partial results give chart data but no verdict until ResNet, ViT and hybrid exist at both ends', () => {
    const rs = grid(() => 0.8).filter((r) => r.unit.model === 'resnet_mini_28');
    const s = summarize(rs);
    expect((s as { verdict?: unknown }).verdict).toBeUndefined();
    expect(s.summary.rows.length).toBe(6);
  });

  it('charts render in both languages and describe the numbers', async () => {
    const acc: Acc = (m, n) => (m === 'vit_mini_patch4_28' ? resnet(n) - 0.1 : resnet(n));
    const data = summarize(grid(acc)).summary;
    for (const lang of ['en', 'ja'] as const) {
      const t = makeT(lang);
      for (const def of [dataEfficiencyAccuracy, dataEfficiencyGap]) expect(await renderSvg(def.spec(def.rows(data), t, lang))).toContain('<svg');
      expect(dataEfficiencyAccuracy.describe(data, t, lang)).toContain('78');
      expect(dataEfficiencyGap.describe(data, t, lang)).toContain('10');
    }
  });
});

describe('data-efficiency real unit (tiny)', () => {
  it('trains on an n-image subset and reports test and train accuracy', async () => {
    if (!hasFashionMnist('data-efficiency real unit')) return;
    await selectBackend();
    const tiny = { ...cfg, steps: 3, batchSize: 16, warmupSteps: 1, testLimit: 64, trainEvalLimit: 32 };
    const r = (await exp.runUnit({ key: 'vit-n128-s0', seed: 0, model: 'vit_mini_patch4_28', n: 128 }, tiny, { profile: 'quick', progress: () => {}, log: () => {} })) as Record<string, number>;
    expect(r.n).toBe(128);
    expect(r.epochs).toBeCloseTo((3 * 16) / 128, 12);
    expect(r.testAccuracy).toBeGreaterThanOrEqual(0);
    expect(r.testAccuracy).toBeLessThanOrEqual(1);
    expect(r.trainAccuracy).toBeGreaterThanOrEqual(0);
  }, 120_000);
});
