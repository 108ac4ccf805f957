// receptive-field: the per-block wrappers equal the zoo's models, the criterion on hand-made
// results, and a quick-profile smoke run.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { layersOf } from '../../scripts/experiments/common/layer-taps';
import * as exp from '../../scripts/experiments/receptive-field';
import { selectBackend } from '../../scripts/lib/engine/backend';
import { createModel } from '../../scripts/models/index';
import { verdictSchema } from '../../contracts/verdict';
import { expectChartsRender, hasFashionMnist, runQuickUnits, useTempResultsDir } from '../helpers/quick-run';
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

const layer = (label: string, r90: number) => ({ tap: label, label, depth: 0, relDepth: 0, r50: r90 / 2, r90, map: [] });
const res = (model: string, seed: number, r90s: number[]) => ({ model, regime: 'full' as const, seed, size: [28, 28] as [number, number], training: { testAccuracy: 0.8 }, layers: [layer('stem', 1), ...r90s.map((r, i) => layer(`b${i + 1}`, r))] });

describe('receptive-field criterion', () => {
  const cnn = [0, 1, 2].map((s) => res('resnet_mini_28', s, [3, 4, 6, 7, 9, 12 + s]));
  it('reproduced: ViT wider after block 1 and the ResNet growing', () => {
    const vit = [0, 1, 2].map((s) => res('vit_mini_patch4_28', s, [12 + s * 0.5, 13, 13, 14, 14, 14]));
    expect(exp.verdictOf(cnn, vit).verdict).toBe('reproduced');
  });
  it('growth tolerates a dip of up to the tolerance, not more', () => {
    expect(exp.grows(res('r', 0, [3, 4, 3.6, 7, 9, 12]))).toBe(true);
    expect(exp.grows(res('r', 0, [3, 4, 3.4, 7, 9, 12]))).toBe(false);
    expect(exp.grows(res('r', 0, [3, 3, 3, 3, 3, 3]))).toBe(false);
  });
  it('partly: only one of the two', () => {
    const narrow = [0, 1, 2].map((s) => res('vit_mini_patch4_28', s, [3 - s * 0.1, 13, 13, 14, 14, 14]));
    expect(exp.verdictOf(cnn, narrow).verdict).toBe('partly');
  });
});

const hasFm = hasFashionMnist('receptive-field quick run');

describe.skipIf(!hasFm)('receptive-field quick profile', () => {
  useTempResultsDir('atlas-rf-');

  it('gives radii and a normalised map per block, and a valid verdict', async () => {
    const { cfg, records } = await runQuickUnits(exp);
    const r = records[0]!.result as unknown as { layers: Array<{ r50: number; r90: number; map: number[] }> };
    expect(r.layers).toHaveLength(7);
    for (const l of r.layers) {
      expect(l.map).toHaveLength(784);
      expect(Math.max(...l.map)).toBe(1);
      expect(l.r50).toBeLessThanOrEqual(l.r90);
    }
    // The ResNet stem is one 3×3 conv: all of its gradient lies within √2 px of the centre pixel.
    expect(r.layers[0]!.r90).toBeLessThanOrEqual(Math.SQRT2 + 1e-9);
    const out = exp.summarize(records, cfg, 'quick');
    expect(verdictSchema.parse(out.verdict).claims).toEqual(['C5']);
    // Every chart of the experiment renders from the summary in both languages, with a description.
    await expectChartsRender([receptiveFieldRadius, receptiveFieldMaps], out.data);
  });
});
