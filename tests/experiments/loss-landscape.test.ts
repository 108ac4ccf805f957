// loss-landscape: filter normalisation on the real minis' parameters; the summary on synthetic units (the
// training-loss match it reports, no verdict of its own: C6 is judged by the hessian experiment); and a
// quick-profile run on quick pool networks and their untrained control, the grid centre equal to the loss at θ.
import { beforeAll, describe, expect, it } from 'vitest';
import * as exp from '../../scripts/experiments/loss-landscape';
import { paramSpecs, split, getFlat } from '../../scripts/lib/metrics/flat-params';
import { selectBackend } from '../../scripts/lib/engine/backend';
import { gaussian } from '../../scripts/lib/metrics/hessian';
import { filterNorms, randomDirection } from '../../scripts/lib/metrics/loss-landscape';
import { createModel } from '../../models/index';
import { mergeConfig } from '../../scripts/lib/experiments/cache';
import type { Experiment } from '../../scripts/lib/experiments/types';
import { expectChartsRender, hasFashionMnist, runQuickUnits, toRecord, useTempResultsDir } from '../helpers/quick-run';
import type { Json } from '../../scripts/lib/experiments/types';
import { LOSS_MATCH_TOL } from '../../scripts/experiments/criteria/matched-loss';
import { lossLandscapeSlices, lossLandscapeSurface } from '../../src/components/charts/loss-landscape';

describe('directions on the real minis (Li et al. 2018 filter normalisation)', () => {
  // Own backend setup: this block must not depend on another block having initialised tfjs.
  beforeAll(async () => { await selectBackend(); });
  for (const name of ['resnet_mini_28', 'vit_mini_patch4_28', 'swin_mini_28']) {
    it(`${name}: every filter of δ has its weight filter's norm; biases and norms are zero`, () => {
      const model = createModel(name, {}, { seed: 3 });
      const vars = model.variables(), specs = paramSpecs(vars), w = split(vars, getFlat(vars));
      const d = randomDirection(specs, w, gaussian(1));
      let filters = 0, zeroed = 0;
      specs.forEach((p, k) => {
        if (p.shape.length <= 1) { expect(d[k]!.every((x) => x === 0)).toBe(true); zeroed++; return; }
        const dn = filterNorms(d[k]!, p.shape), wn = filterNorms(w[k]!, p.shape);
        dn.forEach((n, j) => expect(n).toBeCloseTo(wn[j]!, 3));
        filters += dn.length;
      });
      expect(filters).toBeGreaterThan(100);
      expect(zeroed).toBeGreaterThan(5);
      model.dispose();
    });
  }
});

const hasFm = hasFashionMnist('loss-landscape quick run');

describe.skipIf(!hasFm)('loss-landscape quick profile', () => {
  useTempResultsDir('atlas-landscape-');

  it('the grid centre is the loss at θ; slices pass through it; trained and untrained networks both drawn', async () => {
    const { cfg, records } = await runQuickUnits(exp);
    expect(records.map((r) => r.unit.key)).toEqual(['resnet-full-s0', 'resnet-init-s0', 'vit-full-s0', 'vit-init-s0']);
    for (const record of records) {
      const r = record.result as unknown as exp.LandscapeUnit;
      const c = (cfg.grid - 1) / 2;
      expect(r.coords[c]).toBe(0);
      expect(r.surface).toHaveLength(cfg.grid);
      expect(r.surface![c]![c]).toBe(r.trainedLoss); // θ + 0·δ + 0·η is θ exactly
      expect(r.sliceX[c]).toBe(r.trainedLoss);
      expect(r.sliceY[c]).toBe(r.trainedLoss);
      expect(r.surface!.flat().every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
      expect(r.pool.sha256 === null).toBe(r.regime === 'init');
    }
    const out = exp.summarize(records, cfg, 'quick');
    expect(out.verdict).toBeUndefined();
    expect(Object.keys((out.values as { values: object }).values)).toContain('rise_vit_init');
    // Every chart of the experiment renders from the summary in both languages, with a description.
    await expectChartsRender([lossLandscapeSurface, lossLandscapeSlices], out.data);
  }, 600_000); // quick pool units are trained on the spot: minutes on a loaded 2-core machine
});

describe('loss-landscape summary on synthetic units', () => {
  const cfg = mergeConfig(exp as unknown as Experiment, 'full') as typeof exp.defaults;
  const records = (loss: Record<string, number>) =>
    exp.units('full', cfg).map((u) => toRecord(exp, u, cfg, {
      model: u.model, regime: u.regime, seed: u.seed, pool: {}, trainedLoss: u.regime === 'init' ? 2.3 : loss[String(u.model)]! * (1 + 0.01 * u.seed), trainedAccuracy: 0.9,
      coords: [-0.5, 0, 0.5], surface: u.seed === 0 ? [[1, 0.5, 1], [0.5, 0.3, 0.5], [1, 0.5, 1]] : null,
      sliceX: [1, 0.3, 1], sliceY: [1, 0.3, 1], rise: 0.5 + 0.01 * u.seed, negativeCurvature: 0.1, centreCurvature: 1, surfaceRise: null, surfaceNegativeCurvature: null, evalSeconds: 1,
    } as unknown as Json));
  const R = 'resnet_mini_28', V = 'vit_mini_patch4_28';

  it('units: model × (full, init) × seed, the trained ones tied to their pool weights', () => {
    const us = exp.units('full', cfg);
    expect(us.map((u) => u.key)).toEqual(['resnet-full-s0', 'resnet-full-s1', 'resnet-full-s2', 'resnet-init-s0', 'resnet-init-s1', 'resnet-init-s2', 'vit-full-s0', 'vit-full-s1', 'vit-full-s2', 'vit-init-s0', 'vit-init-s1', 'vit-init-s2']);
    expect(Object.keys(us[0]!.pool as object)).toEqual(['resnet-full-s0']);
    expect(us[3]!.pool).toEqual({});
  });

  it('reports whether the trained networks sit at matched training loss, and writes no verdict', () => {
    const matched = exp.summarize(records({ [R]: 0.2, [V]: 0.21 }), cfg, 'full');
    const apart = exp.summarize(records({ [R]: 0.05, [V]: 0.3 }), cfg, 'full');
    expect(matched.verdict).toBeUndefined();
    expect((matched.data as { match: { matched: boolean } }).match.matched).toBe(true);
    expect((apart.data as { match: { matched: boolean } }).match.matched).toBe(false);
    const gap = (o: typeof matched) => (o.values as { values: Record<string, { value: number }> }).values.loss_gap!.value;
    expect(gap(matched)).toBeLessThan(LOSS_MATCH_TOL * 100);
    expect(gap(apart)).toBeGreaterThan(LOSS_MATCH_TOL * 100);
  });

  it('values wait for every unit; the charts render from a partial summary', async () => {
    const out = exp.summarize(records({ [R]: 0.2, [V]: 0.21 }).slice(0, 8), cfg, 'full');
    expect(out.values).toBeUndefined();
    await expectChartsRender([lossLandscapeSurface, lossLandscapeSlices], out.data);
  });
});
