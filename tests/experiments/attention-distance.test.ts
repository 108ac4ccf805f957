// attention-distance: the summary and verdict on hand-made unit records (effect present, absent, and
// already in the untrained control), and a quick-profile run on quick pool models.
import { describe, expect, it } from 'vitest';
import * as exp from '../../scripts/experiments/attention-distance';
import type { UnitRecord } from '../../scripts/lib/experiments/types';
import { tokenGrid, uniformDistance } from '../../scripts/lib/metrics/attention-distance';
import { verdictSchema } from '../../contracts/verdict';
import { valuesFileSchema } from '../../contracts/values';
import { word } from '../../src/lib/experiments/word';
import { expectChartsRender, hasFashionMnist, runQuickUnits, toRecord, useTempResultsDir } from '../helpers/quick-run';
import { attentionDistanceByDepth, attentionDistanceClassToken } from '../../src/components/charts/attention-distance';

const U = uniformDistance(tokenGrid(7, 7, 4, 1)); // 14.44 px
const VIT = 'vit_mini_patch4_28';
const cfg = { ...exp.defaults, series: [`${VIT}:full`, `${VIT}:small`, `${VIT}:init`] };
const wobble = (s: number, l: number, h: number) => 0.02 * Math.sin(5 * s + 3 * l + h);

/** 6 layers × 4 heads, every head at `rest`·U except head 0 of the shallow layers (`local`·U) and the deep layers (`deep`·U). */
function unitResult(regime: 'full' | 'small' | 'init', seed: number, rest: number, local = rest, deep = rest): exp.UnitResult {
  return {
    model: VIT, regime, seed, images: 4, uniformDistance: U, grid: { rows: 7, cols: 7, cellPx: 4, prefix: 1 },
    pool: { model: VIT, regime, seed, poolKey: regime === 'init' ? null : `vit-${regime}-s${seed}`, sha256: null, trainImages: regime === 'full' ? 55000 : regime === 'small' ? 2000 : 0, epochs: regime === 'full' ? 30 : regime === 'small' ? 200 : 0, valAccuracy: null, testAccuracy: regime === 'init' ? null : 0.88 },
    layers: Array.from({ length: 6 }, (_, l) => ({
      layer: l + 1,
      heads: Array.from({ length: 4 }, (_, h) => ({ distance: U * ((l < 2 && h === 0 ? local : l >= 4 ? deep : rest) + wobble(seed, l, h)), clsQuery: 10, clsKeyMass: 0.02 })),
    })),
  };
}
type Net = (regime: 'full' | 'small' | 'init', seed: number) => exp.UnitResult;
function records(net: Net): UnitRecord[] {
  return exp.units('full', cfg).map((u) => toRecord(exp, u, cfg, net(u.regime as 'full' | 'small' | 'init', u.seed) as never));
}
const summarized = (net: Net) => {
  const out = exp.summarize(records(net), cfg, 'full');
  return { v: verdictSchema.parse(out.verdict), values: valuesFileSchema.parse(out.values).values };
};

describe('attention-distance summary and verdict', () => {
  it('full-data ViT with a local shallow head and global deep layers, small-data and untrained uniform → reproduced', () => {
    const { v, values } = summarized((r, s) => (r === 'full' ? unitResult(r, s, 0.9, 0.3, 1.05) : unitResult(r, s, 0.99)));
    expect(v.verdict).toBe('reproduced');
    expect(v.control?.key).toBe('atlas.exp.attention-distance.control');
    expect(values.local_gain!.value).toBeCloseTo(0.69, 1);
    expect(values.vit_full_min_shallow!.value).toBeCloseTo(0.3, 1);
    expect(v.measured.map((m) => m.key)).toContain('init_shallow_min');
    // Every worded field renders in both languages with its parameters filled.
    for (const lang of ['en', 'ja'] as const) for (const t of [v.criterion, v.control!, v.summary, v.budget, ...v.measured.map((m) => m.label)]) expect(word(t, lang)).not.toMatch(/\{\{/);
  });

  it('every network as uniform as the untrained one → not detected (the verdict flips)', () => {
    expect(summarized((r, s) => unitResult(r, s, 0.99)).v.verdict).toBe('not-detected');
  });

  it('the untrained control already has a local shallow head → inconclusive, whatever training shows', () => {
    const { v, values } = summarized((r, s) => (r === 'small' ? unitResult(r, s, 0.99) : unitResult(r, s, 0.9, r === 'init' ? 0.4 : 0.1, 1.05)));
    expect(v.verdict).toBe('inconclusive');
    expect(values.init_local_seeds!.value).toBe(3);
  });

  it('a partial run writes values and chart data but no verdict', () => {
    const out = exp.summarize(records((r, s) => unitResult(r, s, 0.99)).slice(1), cfg, 'full');
    expect(out.verdict).toBeUndefined();
    expect(out.data).toBeDefined();
  });
});

const hasFm = hasFashionMnist('attention-distance quick run');

describe.skipIf(!hasFm)('attention-distance quick profile', () => {
  useTempResultsDir('atlas-ad-');

  it('measures every head of the quick pool ViT (full, small, untrained) and summarizes into a valid verdict', async () => {
    const { cfg: qcfg, records: recs } = await runQuickUnits(exp);
    expect(recs.map((r) => r.unit.key)).toEqual([`${VIT}-full-s0`, `${VIT}-small-s0`, `${VIT}-init-s0`]);
    const full = recs[0]!.result as unknown as exp.UnitResult;
    expect(full.pool.poolKey).toBe('vit-full-s0');
    expect(full.pool.sha256).toMatch(/^[0-9a-f]{64}$/);
    // Once the quick pool model exists the unit's key names its weights, so retraining it makes the unit stale.
    expect(exp.units('quick', qcfg)[0]!.pool).toEqual({ 'vit-full-s0': full.pool.sha256 });
    expect((recs[2]!.result as unknown as exp.UnitResult).pool.poolKey).toBeNull();
    expect(full.layers).toHaveLength(6);
    expect(full.layers.every((l) => l.heads.length === 4 && l.heads.every((h) => h.distance > 0 && h.distance < 40))).toBe(true);
    expect(full.uniformDistance).toBeCloseTo(14.44, 1);
    const out = exp.summarize(recs, qcfg, 'quick');
    const v = verdictSchema.parse(out.verdict);
    expect(v.claims).toEqual(['C5']);
    expect(v.verdict).toBe('inconclusive'); // one seed in the quick profile
    await expectChartsRender([attentionDistanceByDepth, attentionDistanceClassToken], out.data);
  });
});
