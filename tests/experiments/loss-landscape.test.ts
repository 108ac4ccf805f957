// loss-landscape: filter normalisation on the real minis' parameters, the grid centre equal to the
// trained loss, and a quick-profile run with a valid verdict.
import { beforeAll, describe, expect, it } from 'vitest';
import * as exp from '../../scripts/experiments/loss-landscape';
import { paramSpecs, split, getFlat } from '../../scripts/lib/metrics/flat-params';
import { selectBackend } from '../../scripts/lib/engine/backend';
import { gaussian } from '../../scripts/lib/metrics/hessian';
import { filterNorms, randomDirection } from '../../scripts/lib/metrics/loss-landscape';
import { createModel } from '../../scripts/models/index';
import { verdictSchema } from '../../contracts/verdict';
import { expectChartsRender, hasFashionMnist, runQuickUnits, toRecord, useTempResultsDir } from '../helpers/quick-run';
import type { Json } from '../../scripts/lib/experiments/types';
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

  it('the grid centre is the trained loss; slices pass through it; the verdict validates', async () => {
    const { cfg, records } = await runQuickUnits(exp);
    for (const record of records) {
      const r = record.result as unknown as exp.LandscapeUnit;
      const c = (cfg.grid - 1) / 2;
      expect(r.coords[c]).toBe(0);
      expect(r.surface).toHaveLength(cfg.grid);
      expect(r.surface![c]![c]).toBe(r.trainedLoss); // θ* + 0·δ + 0·η is θ* exactly
      expect(r.sliceX[c]).toBe(r.trainedLoss);
      expect(r.sliceY[c]).toBe(r.trainedLoss);
      expect(r.surface!.flat().every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
    }
    const out = exp.summarize(records, cfg, 'quick');
    expect(verdictSchema.parse(out.verdict).claims).toEqual(['C6']);
    // Every chart of the experiment renders from the summary in both languages, with a description.
    await expectChartsRender([lossLandscapeSurface, lossLandscapeSlices], out.data);
  });
});

describe('loss-landscape verdict on synthetic units', () => {
  const cfg = { ...exp.defaults, ...exp.profiles.full } as Parameters<typeof exp.summarize>[1];
  // Per model: mean loss rise and concave share over three seeds (small seed-to-seed spread).
  const records = (rise: Record<string, number>, concave: Record<string, number>) =>
    exp.units('full', cfg).map((u) => toRecord(exp, u, cfg, {
      model: u.model, seed: u.seed, training: { testAccuracy: 0.8 }, trainedLoss: 0.3, trainedAccuracy: 0.9, coords: [-0.5, 0, 0.5], surface: null, accuracy: null,
      sliceX: [1, 0.3, 1], sliceY: [1, 0.3, 1], rise: rise[String(u.model)]! + 0.01 * u.seed, negativeCurvature: concave[String(u.model)]! + 0.01 * u.seed,
      centreCurvature: 1, surfaceRise: null, surfaceNegativeCurvature: null,
    } as unknown as Json));
  const verdictOf = (rise: Record<string, number>, concave: Record<string, number>) => verdictSchema.parse(exp.summarize(records(rise, concave), cfg, 'full').verdict).verdict;
  const R = 'resnet_mini_28', V = 'vit_mini_patch4_28', S = 'swin_mini_28';
  it('ViT flatter and more often concave → reproduced; the opposite → not reproduced; one of the two → partly', () => {
    expect(verdictOf({ [R]: 2, [V]: 0.1, [S]: 1 }, { [R]: 0.05, [V]: 0.3, [S]: 0.1 })).toBe('reproduced');
    expect(verdictOf({ [R]: 0.1, [V]: 2, [S]: 1 }, { [R]: 0.3, [V]: 0.05, [S]: 0.1 })).toBe('not-reproduced');
    expect(verdictOf({ [R]: 2, [V]: 0.1, [S]: 1 }, { [R]: 0.3, [V]: 0.05, [S]: 0.1 })).toBe('partly');
  });
});
