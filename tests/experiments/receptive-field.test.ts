// receptive-field: the per-block taps of the zoo's models, the summary and verdict on hand-made unit
// records (effect present, absent, and the untrained control at the ceiling), and a quick-profile run
// on quick pool models.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { layersOf } from '../../scripts/experiments/common/layer-taps';
import * as exp from '../../scripts/experiments/receptive-field';
import { selectBackend } from '../../scripts/lib/engine/backend';
import { createModel } from '../../models/index';
import type { UnitRecord } from '../../scripts/lib/experiments/types';
import { verdictSchema } from '../../contracts/verdict';
import { valuesFileSchema } from '../../contracts/values';
import { word } from '../../src/lib/experiments/word';
import { expectChartsRender, hasFashionMnist, runQuickUnits, toRecord, useTempResultsDir } from '../helpers/quick-run';
import { receptiveFieldMaps, receptiveFieldRadius } from '../../src/components/charts/receptive-field';


beforeAll(async () => { await selectBackend(); });

describe('per-block taps from the zoo', () => {
  for (const [name, last] of [['resnet_mini_28', 'stage3.block1'], ['swin_mini_28', 'stage2.block05']] as const) {
    it(`${name}: a tap per block in depth order; the last block's output is the stage's`, () => {
      const m = createModel(name, {}, { seed: 4 });
      const x = tf.randomNormal([2, 28, 28, 1], 0, 1, 'float32', 9) as tf.Tensor4D;
      const { taps } = m.forward(x, { training: false, taps: true });
      const stage = last.split('.')[0]!;
      expect(tf.max(tf.abs(tf.sub(taps[last]!, taps[stage]!))).dataSync()[0]).toBe(0);
      const layers = layersOf(m);
      expect(layers[0]!.tap).toBe('stem');
      expect(layers).toHaveLength(7); // stem + 6 blocks in both minis
      expect(layers.at(-1)!.tap).toBe(last);
      tf.dispose([x, ...Object.values(taps)]); m.dispose();
    });
  }
  it('pvt_mini_28 taps each block as tokens', () => {
    const m = createModel('pvt_mini_28', {}, { seed: 0 });
    const { taps } = m.forward(tf.zeros([1, 28, 28, 1]) as tf.Tensor4D, { training: false, taps: true });
    expect(Object.keys(taps).filter((k) => /\.block\d+$/.test(k))).toEqual(['stage1.block00', 'stage1.block01', 'stage2.block02', 'stage2.block03']);
    expect(taps['stage1.block00']!.shape).toEqual([1, 196, 48]);
    tf.dispose(Object.values(taps)); m.dispose();
  });
  it('ViT and hybrid: token layers know their grid and class token', () => {
    const m = createModel('vit_mini_patch4_28', {}, { seed: 0 });
    expect(layersOf(m).map((l) => [l.tap, l.grid[0], l.cellPx, l.prefix])).toEqual([['stem', 7, 4, 1], ...[0, 1, 2, 3, 4, 5].map((i) => [`block0${i}`, 7, 4, 1])]);
    m.dispose();
  });
});

const CNN = 'resnet_mini_28', VIT = 'vit_mini_patch4_28';
const cfg = { ...exp.defaults, series: [`${CNN}:full`, `${CNN}:init`, `${VIT}:full`, `${VIT}:init`] };
const wobble = (s: number, k: number) => 0.05 * Math.sin(3 * s + k);
type Radii = (model: string, regime: 'full' | 'init', seed: number) => number[];

/** A unit result with the given r90 per block (a stem of 1 px first); r50 is half of r90. */
function unitResult(model: string, regime: 'full' | 'init', seed: number, r90s: number[]): exp.UnitResult {
  const centre: [number, number] = model === VIT ? [14, 14] : [14.5, 14.5];
  const layers = [1, ...r90s.map((r, k) => r + wobble(seed + (regime === 'init' ? 9 : 0), k))].map((r90, depth) => ({
    tap: depth === 0 ? 'stem' : `b${depth}`, label: depth === 0 ? 'stem' : `b${depth}`, depth, relDepth: depth / r90s.length, centrePx: centre, r50: r90 / 2, r90, map: new Array<number>(784).fill(0.5),
  }));
  return {
    model, regime, seed, size: [28, 28], images: 4, layers,
    pool: { model, regime, seed, poolKey: regime === 'init' ? null : `x-full-s${seed}`, sha256: null, trainImages: regime === 'init' ? 0 : 55000, epochs: regime === 'init' ? 0 : 30, valAccuracy: null, testAccuracy: regime === 'init' ? null : 0.9 },
  };
}
function records(radii: Radii): UnitRecord[] {
  return exp.units('full', cfg).map((u) => toRecord(exp, u, cfg, unitResult(String(u.model), u.regime as 'full' | 'init', u.seed, radii(String(u.model), u.regime as 'full' | 'init', u.seed)) as never));
}
const summarized = (radii: Radii) => {
  const out = exp.summarize(records(radii), cfg, 'full');
  return { v: verdictSchema.parse(out.verdict), values: valuesFileSchema.parse(out.values).values };
};
const CNN0 = [4, 5.5, 7, 8.5, 10, 11], VIT0 = [12, 12.5, 13, 13, 13.5, 14]; // untrained r90 per block, px

describe('receptive-field summary and verdict', () => {
  it('training widens the ViT\'s first block and the ResNet\'s growth → reproduced', () => {
    const { v, values } = summarized((m, r) => (r === 'init' ? (m === CNN ? CNN0 : VIT0) : m === CNN ? [4, 6.5, 9, 11, 13, 15] : [15, 15.5, 16, 16, 16.5, 17]));
    expect(v.verdict).toBe('reproduced');
    expect(values.wider!.value).toBeCloseTo(3, 0);
    expect(values.growth!.value).toBeCloseTo(4, 0);
    expect(v.control?.key).toBe('atlas.exp.receptive-field.control');
    for (const lang of ['en', 'ja'] as const) for (const t of [v.criterion, v.control!, v.summary, v.budget, ...v.measured.map((m) => m.label)]) expect(word(t, lang)).not.toMatch(/\{\{/);
  });

  it('trained radii equal to the untrained ones (the old rule\'s "reproduced" by construction) → not detected', () => {
    expect(summarized((m) => (m === CNN ? CNN0 : VIT0)).v.verdict).toBe('not-detected');
  });

  it('the untrained ViT already at the ceiling after its first block → inconclusive', () => {
    const atCeiling = [18.5, 18.6, 18.7, 18.8, 18.9, 19];
    const { v, values } = summarized((m, r) => (m === CNN ? (r === 'init' ? CNN0 : [4, 6.5, 9, 11, 13, 15]) : atCeiling));
    expect(values.ceiling!.value).toBeCloseTo(0.9 * Math.hypot(13.5, 13.5), 2);
    expect(v.verdict).toBe('inconclusive');
  });
});

const hasFm = hasFashionMnist('receptive-field quick run');

describe.skipIf(!hasFm)('receptive-field quick profile', () => {
  useTempResultsDir('atlas-rf-');

  it('gives radii and a normalised map per block for trained and untrained pool models, and a valid verdict', async () => {
    const { cfg: qcfg, records: recs } = await runQuickUnits(exp);
    expect(recs.map((r) => r.unit.key)).toEqual([`${CNN}-full-s0`, `${CNN}-init-s0`, `${VIT}-full-s0`, `${VIT}-init-s0`]);
    const r = recs[0]!.result as unknown as exp.UnitResult;
    expect(r.pool.poolKey).toBe('resnet-full-s0');
    expect(exp.units('quick', qcfg)[0]!.pool).toEqual({ 'resnet-full-s0': r.pool.sha256 });
    expect(r.layers).toHaveLength(7);
    for (const l of r.layers) {
      expect(l.map).toHaveLength(784);
      expect(Math.max(...l.map)).toBe(1);
      expect(l.r50).toBeLessThanOrEqual(l.r90);
    }
    // The ResNet stem is one 3×3 conv: all of its gradient lies within √2 px of the centre pixel.
    expect(r.layers[0]!.r90).toBeLessThanOrEqual(Math.SQRT2 + 1e-9);
    const out = exp.summarize(recs, qcfg, 'quick');
    const v = verdictSchema.parse(out.verdict);
    expect(v.claims).toEqual(['C5']);
    expect(v.verdict).toBe('inconclusive'); // one seed in the quick profile
    await expectChartsRender([receptiveFieldRadius, receptiveFieldMaps], out.data);
  });
});
