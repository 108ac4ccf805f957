// cka: the summary and verdict on hand-made unit records (effect present, absent, and already in the
// untrained control), and a quick-profile run on quick pool models.
import { describe, expect, it } from 'vitest';
import * as exp from '../../scripts/experiments/cka';
import type { UnitRecord } from '../../scripts/lib/experiments/types';
import { verdictSchema } from '../../contracts/verdict';
import { valuesFileSchema } from '../../contracts/values';
import { word } from '../../src/lib/experiments/word';
import { expectChartsRender, hasFashionMnist, runQuickUnits, toRecord, useTempResultsDir } from '../helpers/quick-run';
import { ckaResnetVit, ckaResnetVitInit, ckaVitVit } from '../../src/components/charts/cka';

const cfg = { ...exp.defaults, nets: ['cnn=resnet_mini_28', 'vit=vit_mini_patch4_28'] };
const LABELS = ['stem', 'b1', 'b2', 'b3', 'b4', 'b5', 'b6'];

/** A 7 × 7 CNN × ViT matrix: 0.3 everywhere, early rows × shallow columns raised by `delta` (diagonal a little more), a per-seed wobble. */
function matrix(delta: number, seed: number): number[][] {
  return LABELS.map((_, i) => LABELS.map((__, j) => 0.3 + 0.004 * Math.sin(7 * seed + 3 * i + j) + (i < 4 && j < 3 ? delta + (i === j ? 0.01 : 0) : 0)));
}
const self = () => LABELS.map((_, i) => LABELS.map((__, j) => (i === j ? 1 : 0.6)));

function unitResult(regime: 'full' | 'init', seed: number, delta: number): exp.UnitResult {
  const net = (model: string) => ({ model, labels: LABELS, pool: { model, regime, seed, poolKey: null, sha256: null, trainImages: regime === 'full' ? 55000 : 0, epochs: 0, valAccuracy: null, testAccuracy: regime === 'full' ? 0.9 : null } });
  return {
    seed, regime, images: 2048, batch: 256, nets: { cnn: net('resnet_mini_28'), vit: net('vit_mini_patch4_28') },
    pairs: [{ pair: 'cnn|vit', rows: 'cnn', cols: 'vit', cka: matrix(delta, seed) }, { pair: 'vit|vit', rows: 'vit', cols: 'vit', cka: self() }, { pair: 'cnn|cnn', rows: 'cnn', cols: 'cnn', cka: self() }],
  };
}
function records(delta: (regime: 'full' | 'init', seed: number) => number): UnitRecord[] {
  return exp.units('full', cfg).map((u) => toRecord(exp, u, cfg, unitResult(u.regime as 'full' | 'init', u.seed, delta(u.regime as 'full' | 'init', u.seed)) as never));
}
const summarized = (delta: (regime: 'full' | 'init', seed: number) => number) => {
  const out = exp.summarize(records(delta), cfg, 'full');
  return { v: verdictSchema.parse(out.verdict), values: valuesFileSchema.parse(out.values).values, data: out.data };
};

describe('cka summary and verdict', () => {
  it('one unit per regime and seed, each naming the pool models it reads', () => {
    expect(exp.units('full', cfg).map((u) => u.key)).toEqual(['full-s0', 'full-s1', 'full-s2', 'init-s0', 'init-s1', 'init-s2']);
    expect(Object.keys(exp.units('full', cfg)[0]!.pool as object)).toEqual(['resnet-full-s0', 'vit-full-s0']);
    expect(exp.units('full', cfg)[3]!.pool).toEqual({});
  });

  it('training raises Δ well above the untrained networks\' → reproduced', () => {
    const { v, values } = summarized((r, s) => (r === 'full' ? 0.3 + 0.01 * s : 0.056));
    expect(v.verdict).toBe('reproduced');
    expect(values.gain!.value).toBeCloseTo(0.3 - 0.056 + 0.01, 2);
    expect(values.init_delta!.value).toBeCloseTo(0.056, 2);
    expect(v.control?.key).toBe('atlas.exp.cka.control');
    for (const lang of ['en', 'ja'] as const) for (const t of [v.criterion, v.control!, v.summary, v.budget, ...v.measured.map((m) => m.label)]) expect(word(t, lang)).not.toMatch(/\{\{/);
  });

  it('the untrained networks already show the whole Δ (the old rule\'s "reproduced") → not detected', () => {
    const { v, values } = summarized(() => 0.3);
    expect(values.delta!.value).toBeCloseTo(0.3, 1);
    expect(values.delta_all_early_seeds!.value).toBe(3);
    expect(v.verdict).toBe('not-detected');
  });

  it('no Δ in either → not detected; the heat maps carry the untrained pair as cnnInit|vitInit', () => {
    const { v, data } = summarized(() => 0);
    expect(v.verdict).toBe('not-detected');
    expect(new Set((data as { cells: Array<{ pair: string }> }).cells.map((c) => c.pair))).toEqual(new Set(['cnn|vit', 'vit|vit', 'cnn|cnn', 'cnnInit|vitInit', 'cnnInit|cnnInit', 'vitInit|vitInit']));
  });
});

const hasFm = hasFashionMnist('cka quick run');

describe.skipIf(!hasFm)('cka quick profile', () => {
  useTempResultsDir('atlas-cka-');

  it('compares every pair of layers of trained and untrained pool models, 1 on the diagonal of a network against itself', async () => {
    const { cfg: qcfg, records: recs } = await runQuickUnits(exp);
    expect(recs.map((r) => r.unit.key)).toEqual(['full-s0', 'init-s0']);
    const full = recs[0]!.result as unknown as exp.UnitResult;
    expect(full.nets.vit!.pool.poolKey).toBe('vit-full-s0');
    expect(exp.units('quick', qcfg)[0]!.pool).toEqual({ 'resnet-full-s0': full.nets.cnn!.pool.sha256, 'vit-full-s0': full.nets.vit!.pool.sha256 });
    const selfPair = full.pairs.find((p) => p.pair === 'vit|vit')!;
    selfPair.cka.forEach((r, i) => expect(r[i]).toBeCloseTo(1, 6));
    const cross = full.pairs.find((p) => p.pair === 'cnn|vit')!;
    expect(cross.cka).toHaveLength(7);
    expect(cross.cka[0]).toHaveLength(7);
    const out = exp.summarize(recs, qcfg, 'quick');
    const v = verdictSchema.parse(out.verdict);
    expect(v.claims).toEqual(['C7']);
    expect(v.verdict).toBe('inconclusive'); // one seed and 64 images in the quick profile
    await expectChartsRender([ckaResnetVit, ckaVitVit, ckaResnetVitInit], out.data);
  });
});
