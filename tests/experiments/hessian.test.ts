// hessian: the summary and verdict on synthetic unit results (the verdict flips with the effect, the control is
// reported), and a quick-profile run of every unit on quick pool networks.
import { describe, expect, it } from 'vitest';
import * as exp from '../../scripts/experiments/hessian';
import { mergeConfig } from '../../scripts/lib/experiments/cache';
import type { Experiment, Json, UnitRecord } from '../../scripts/lib/experiments/types';
import { verdictSchema } from '../../contracts/verdict';
import { word } from '../../src/lib/experiments/word';
import { expectChartsRender, hasFashionMnist, runQuickUnits, toRecord, useTempResultsDir } from '../helpers/quick-run';
import { hessianDensity, hessianNegativeMass, hessianTop } from '../../src/components/charts/hessian';

const cfg = mergeConfig(exp as unknown as Experiment, 'full') as typeof exp.defaults;

/** Per (model, regime): the top eigenvalue λ1 (the next four at 0.8, 0.6, 0.5, 0.4 of it), the negative mass and the training loss. */
type Shape = Record<string, Record<string, { l1: number; neg: number; loss: number }>>;
function records(shape: Shape): UnitRecord[] {
  return exp.units('full', cfg).map((u) => {
    const s = shape[String(u.model)]![String(u.regime)]!;
    const j = 1 + 0.03 * (u.seed - 1); // seed spread
    const l1 = s.l1 * j;
    const result: exp.HessianUnit = {
      model: String(u.model), regime: u.regime as exp.HessianUnit['regime'], seed: u.seed,
      pool: { model: String(u.model), regime: u.regime as exp.HessianUnit['regime'], seed: u.seed, poolKey: null, sha256: null, trainImages: 0, epochs: 0, valAccuracy: null, testAccuracy: u.regime === 'init' ? null : 0.9 },
      top: [1, 0.8, 0.6, 0.5, 0.4].map((f) => f * l1), lanczosMin: -s.neg * l1, negMass: s.neg * j, negMassZero: s.neg * j * 1.5,
      trainLoss: s.loss * (1 + 0.01 * (u.seed - 1)), trainAccuracy: 0.9,
      slq: { nodes: [[-0.1 * l1, 0.001 * l1, 0.5 * l1, l1]], weights: [[s.neg, 0.9 - s.neg, 0.05, 0.05]] },
      hessianSeconds: 1,
    };
    return toRecord(exp, u, cfg, result as unknown as Json);
  });
}

const init = { l1: 5, neg: 0.2, loss: 2.3 };
const present: Shape = {
  resnet_mini_28: { full: { l1: 60, neg: 0.01, loss: 0.2 }, small: { l1: 40, neg: 0.01, loss: 0.21 }, init },
  vit_mini_patch4_28: { full: { l1: 10, neg: 0.01, loss: 0.2 }, small: { l1: 8, neg: 0.08, loss: 0.21 }, init },
};
const absent: Shape = {
  resnet_mini_28: present.resnet_mini_28!,
  vit_mini_patch4_28: { full: { l1: 60, neg: 0.01, loss: 0.2 }, small: { l1: 40, neg: 0.01, loss: 0.21 }, init },
};

describe('hessian summary and verdict', () => {
  it('units: model × (full, small, init) × seed, each tied to its pool weights', () => {
    const us = exp.units('full', cfg);
    expect(us).toHaveLength(18);
    expect(us[0]).toMatchObject({ key: 'resnet-full-s0', seed: 0, model: 'resnet_mini_28', regime: 'full' });
    expect(Object.keys(us[0]!.pool as object)).toEqual(['resnet-full-s0']);
    expect(us.find((u) => u.regime === 'init')!.pool).toEqual({}); // the untrained control reads no weights
  });

  it('reproduced when the ViT is flatter and gains negative eigenvalues with little data', () => {
    const out = exp.summarize(records(present), cfg, 'full');
    const v = verdictSchema.parse(out.verdict);
    expect(v.verdict).toBe('reproduced');
    expect(v.control).toBeDefined();
    for (const lang of ['en', 'ja'] as const) {
      for (const f of [v.criterion, v.summary, v.budget, v.control!, ...v.measured.map((m) => m.label)]) expect(word(f, lang)).not.toMatch(/\{\{/);
    }
    const values = (out.values as unknown as { values: Record<string, { value: number }> }).values;
    expect(values.flat_ratio!.value).toBeCloseTo(6, 1);
    expect(values.scarce_diff!.value).toBeCloseTo(7, 1);
  });

  it('not detected when the ViT is as sharp as the ResNet and its small-data spectrum has no more negative mass', () => {
    expect(verdictSchema.parse(exp.summarize(records(absent), cfg, 'full').verdict).verdict).toBe('not-detected');
  });

  it('contradicted when the ViT is the sharper one and has fewer negative eigenvalues with little data', () => {
    const swapped: Shape = {
      resnet_mini_28: present.resnet_mini_28!,
      vit_mini_patch4_28: { full: { l1: 400, neg: 0.08, loss: 0.2 }, small: { l1: 300, neg: 0.01, loss: 0.21 }, init },
    };
    expect(verdictSchema.parse(exp.summarize(records(swapped), cfg, 'full').verdict).verdict).toBe('contradicted');
  });

  it('the control showing the effect already is reported beside the verdict, which is judged on the trained networks', () => {
    // Untrained: the ViT is already 10× flatter with more negative mass; trained, the effect is absent.
    const ctl = (s: Shape): Shape => ({
      resnet_mini_28: { ...s.resnet_mini_28!, init: { l1: 50, neg: 0.01, loss: 2.3 } },
      vit_mini_patch4_28: { ...s.vit_mini_patch4_28!, init: { l1: 5, neg: 0.3, loss: 2.3 } },
    });
    const v = verdictSchema.parse(exp.summarize(records(ctl(absent)), cfg, 'full').verdict);
    expect(v.verdict).toBe('not-detected');
    expect(word(v.control!, 'en')).toMatch(/ResNet-mini 33\.\d+, ViT-mini 3\.\d+/);
    expect(verdictSchema.parse(exp.summarize(records(ctl(present)), cfg, 'full').verdict).verdict).toBe('reproduced');
  });

  it('inconclusive when the compared networks are not at matched training loss', () => {
    const unmatched: Shape = {
      resnet_mini_28: { ...present.resnet_mini_28!, full: { l1: 60, neg: 0.01, loss: 0.05 } },
      vit_mini_patch4_28: { ...present.vit_mini_patch4_28!, small: { l1: 8, neg: 0.08, loss: 0.6 } },
    };
    const out = exp.summarize(records(unmatched), cfg, 'full');
    expect(verdictSchema.parse(out.verdict).verdict).toBe('inconclusive');
    expect(word(verdictSchema.parse(out.verdict).summary, 'en')).toContain('training losses not matched');
  });

  it('no verdict until every unit is there; the charts render from a partial summary', async () => {
    const out = exp.summarize(records(present).slice(0, 7), cfg, 'full');
    expect(out.verdict).toBeUndefined();
    expect(out.values).toBeUndefined();
    await expectChartsRender([hessianTop, hessianDensity, hessianNegativeMass], out.data);
  });
});

const hasFm = hasFashionMnist('hessian quick run');

describe.skipIf(!hasFm)('hessian quick profile', () => {
  useTempResultsDir('atlas-hessian-');

  it('top eigenvalues and a spectral density for every pool network and its untrained control', async () => {
    const { cfg: qcfg, records: recs } = await runQuickUnits(exp);
    expect(recs).toHaveLength(6);
    for (const record of recs) {
      const r = record.result as unknown as exp.HessianUnit;
      expect(r.top).toHaveLength(qcfg.topK);
      for (let k = 1; k < r.top.length; k++) expect(r.top[k]!).toBeLessThanOrEqual(r.top[k - 1]!);
      expect(r.lanczosMin).toBeLessThanOrEqual(r.top.at(-1)!);
      expect(r.negMass).toBeGreaterThanOrEqual(0);
      expect(r.negMass).toBeLessThanOrEqual(r.negMassZero + 1e-9);
      expect(r.trainLoss).toBeGreaterThan(0);
      expect(r.pool.sha256 === null).toBe(r.regime === 'init');
    }
    const out = exp.summarize(recs, qcfg, 'quick');
    const v = verdictSchema.parse(out.verdict);
    expect(v.claims).toEqual(['C6']);
    expect(v.verdict).toBe('inconclusive'); // one seed: too few for the criterion
    await expectChartsRender([hessianTop, hessianDensity, hessianNegativeMass], out.data);
  }, 600_000); // quick pool units are trained on the spot: minutes on a loaded 2-core machine
});
