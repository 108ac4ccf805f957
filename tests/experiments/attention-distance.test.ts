// attention-distance: the C5 criterion on hand-made unit results, and a quick-profile smoke run
// (train tiny, measure, summarize, validate the verdict).
import { describe, expect, it } from 'vitest';
import * as exp from '../../scripts/experiments/attention-distance';
import { verdictSchema } from '../../contracts/verdict';
import { expectChartsRender, hasFashionMnist, runQuickUnits, useTempResultsDir } from '../helpers/quick-run';
import { attentionDistanceByDepth, attentionDistanceClassToken } from '../../src/components/charts/attention-distance';


/** A unit result with given head distances per layer (uniform distance 14.44 px, as the 7×7 grid of 4 px). */
const unit = (regime: 'small' | 'full', seed: number, layers: number[][]) => ({
  model: 'vit_mini_patch4_28', regime, seed, uniformDistance: 14.44, images: 1, training: { testAccuracy: 0.8, trainImages: 1 },
  layers: layers.map((hs, i) => ({ layer: i + 1, heads: hs.map((distance) => ({ distance, clsQuery: 10, clsKeyMass: 0.1 })) })),
});
const global = [13, 14, 14, 15], mixed = [3, 9, 14, 15], deep = [14, 14, 14, 14];

describe('attention-distance criterion', () => {
  it('counts local heads in the first third of the layers only', () => {
    expect(exp.shallowLayers(6)).toBe(2);
    expect(exp.shallowStats(unit('full', 0, [mixed, global, [1, 1, 1, 1], deep, deep, deep]))).toEqual({ minDistance: 3, localHeads: 1 });
  });
  it('reproduced: local heads in every full-data seed, none in any small-data seed', () => {
    const small = [0, 1, 2].map((s) => unit('small', s, [global, global, deep, deep, deep, deep]));
    const full = [0, 1, 2].map((s) => unit('full', s, [mixed, global, deep, deep, deep, deep]));
    expect(exp.verdictOf(small, full).verdict).toBe('reproduced');
  });
  it('partly: full-data heads are closer by a clear margin, but small-data has local heads too', () => {
    const small = [0, 1, 2].map((s) => unit('small', s, [[6 + s * 0.1, 12, 14, 15], global, deep, deep, deep, deep]));
    const full = [0, 1, 2].map((s) => unit('full', s, [[2 + s * 0.2, 12, 14, 15], global, deep, deep, deep, deep]));
    const v = exp.verdictOf(small, full);
    expect(v.verdict).toBe('partly');
    expect(v.diff.mean).toBeCloseTo(4 - 0.1, 10);
  });
  it('not reproduced: no difference', () => {
    const small = [0, 1, 2].map((s) => unit('small', s, [[10 + s, 12, 14, 15], global, deep, deep, deep, deep]));
    const full = [0, 1, 2].map((s) => unit('full', s, [[10 + 2 - s, 12, 14, 15], global, deep, deep, deep, deep]));
    expect(exp.verdictOf(small, full).verdict).toBe('not-reproduced');
  });
});

const hasFm = hasFashionMnist('attention-distance quick run');

describe.skipIf(!hasFm)('attention-distance quick profile', () => {
  useTempResultsDir('atlas-ad-');

  it('measures every head of every layer and summarizes into a valid verdict', async () => {
    const { cfg, records } = await runQuickUnits(exp);
    const vit = records.find((r) => r.unit.model === 'vit_mini_patch4_28')!.result as unknown as { layers: Array<{ heads: Array<{ distance: number }> }>; uniformDistance: number };
    expect(vit.layers).toHaveLength(6);
    expect(vit.layers.every((l) => l.heads.length === 4 && l.heads.every((h) => h.distance > 0 && h.distance < 40))).toBe(true);
    expect(vit.uniformDistance).toBeCloseTo(14.44, 1);
    const out = exp.summarize(records, cfg, 'quick');
    const v = verdictSchema.parse(out.verdict);
    expect(v.claims).toEqual(['C5']);
    expect((out.values as { values: Record<string, unknown> }).values.uniform_distance).toBeDefined();
    // Every chart of the experiment renders from the summary in both languages, with a description.
    await expectChartsRender([attentionDistanceByDepth, attentionDistanceClassToken], out.data);
  });
});
