// frequency-noise (C2): the verdict logic and summary on hand-made results, the charts on that
// summary, and a tiny real run on Fashion-MNIST (skipped loudly without the dataset).
import { describe, expect, it } from 'vitest';
import * as exp from '../../scripts/experiments/frequency-noise';
import { selectBackend } from '../../scripts/lib/engine/backend';
import { radialBands, toPi } from '../../scripts/lib/metrics/frequency';
import { verdictSchema } from '../../contracts/verdict';
import { frequencyBandDrop, frequencyFeatureAmplitude, frequencyHeatmap } from '../../src/components/charts/frequency-noise';
import { renderSvg } from '../../src/components/charts/render-svg';
import { makeT } from '../../src/lib/i18n/t';
import { hasFashionMnist, useTempDir } from '../helpers/quick-run';
import { jitter, record } from './_fmnist-fixtures';

type R = exp.FrequencyUnitResult;
const cfg = { ...exp.defaults };

/** A unit whose drop per band is `low` for bands 0–2, `high` for bands 7–9 and their mean between. */
function unit(model: string, seed: number, low: number, high: number): R {
  return {
    model, seed, training: { params: 1, finalTrainLoss: 0.5, trainWallMs: 1, imagesPerSec: 1, cached: false }, cleanAccuracy: 0.85 + jitter(seed),
    bands: radialBands(10).map((b) => {
      const drop = (b.index <= 2 ? low : b.index >= 7 ? high : (low + high) / 2) + jitter(seed, b.index);
      return { band: b.index, low: b.low, high: b.high, centrePi: toPi(b.centre), accuracy: 0.85 - drop, drop };
    }),
    heatmap: { cleanError: 0.15, images: 10, norm: 3, step: 2, cells: [{ u: 0, v: 0, radius: 0, error: 0.2 }, { u: 2, v: 0, radius: 2 / 28, error: 0.3 + jitter(seed) }, { u: -14, v: -14, radius: Math.SQRT2 / 2, error: 0.6 }, { u: 12, v: 2, radius: Math.hypot(12, 2) / 28, error: 0.5 }] },
    features: [{ tap: 'stem', depth: 0, side: 28, curve: [0, -1], high: -1 + jitter(seed) }, { tap: 'stage3', depth: 1, side: 7, curve: [0, -2], high: -2 }],
  };
}
const records = (cnn: [number, number], vit: [number, number]) => [0, 1, 2].flatMap((s) => [
  record(exp.id, 'resnet_mini_28', s, unit('resnet_mini_28', s, ...cnn)),
  record(exp.id, 'vit_mini_patch4_28', s, unit('vit_mini_patch4_28', s, ...vit)),
  record(exp.id, 'hybrid_mini_28', s, unit('hybrid_mini_28', s, 0.1, 0.1)),
]);

describe('frequency-noise verdict', () => {
  it('combines the two one-sided tests', () => {
    expect(exp.verdictFor('above', 'above')).toBe('reproduced');
    expect(exp.verdictFor('above', 'overlaps')).toBe('partly');
    expect(exp.verdictFor('below', 'above')).toBe('partly');
    expect(exp.verdictFor('overlaps', 'below')).toBe('not-reproduced');
  });

  it('reproduced when the CNN loses more at high and the ViT more at low frequencies', () => {
    const s = exp.summarize(records([0.05, 0.3], [0.3, 0.05]), cfg, 'full');
    expect(s.verdict.verdict).toBe('reproduced');
    expect(s.values.values.diff_high!.value).toBeCloseTo(25, 0);
    expect(s.values.values.drop_high_resnet!.value).toBeCloseTo(30, 0);
    expect(verdictSchema.safeParse(s.verdict).success).toBe(true);
    for (const [k, v] of Object.entries(s.values.values)) expect(Number.isFinite(v.value), k).toBe(true);
  });

  it('partly when only the low-frequency half holds; not reproduced when both are reversed', () => {
    expect(exp.summarize(records([0.1, 0.1], [0.3, 0.1]), cfg, 'full').verdict.verdict).toBe('partly');
    expect(exp.summarize(records([0.3, 0.05], [0.05, 0.3]), cfg, 'full').verdict.verdict).toBe('not-reproduced');
  });

  it('mirrors the heat map to the full grid (−14 is its own mirror)', () => {
    const s = exp.summarize(records([0.05, 0.3], [0.3, 0.05]), cfg, 'full');
    const cells = s.data.heatmap.filter((c) => c.model === 'resnet_mini_28');
    expect(cells.map((c) => `${c.u},${c.v}`).sort()).toEqual(['-12,-2', '-14,-14', '-2,0', '0,0', '12,2', '2,0'].sort());
  });
});

describe('frequency-noise charts', () => {
  it('render in both languages and state their numbers', async () => {
    const { data } = exp.summarize(records([0.05, 0.3], [0.3, 0.05]), cfg, 'full');
    for (const def of [frequencyBandDrop, frequencyHeatmap, frequencyFeatureAmplitude]) {
      for (const lang of ['en', 'ja'] as const) {
        const t = makeT(lang);
        const svg = await renderSvg(def.spec(def.rows(data as never), t, lang));
        expect(svg.startsWith('<svg')).toBe(true);
        expect(svg).toContain(t('atlas.miniModel.vit_mini_patch4_28'));
        expect(def.describe(data as never, t, lang).length).toBeGreaterThan(40);
      }
    }
    expect(frequencyBandDrop.describe(data as never, makeT('en'), 'en')).toContain('30'); // the CNN's high-band drop
  });
});

describe('frequency-noise on Fashion-MNIST (tiny)', () => {
  useTempDir('ATLAS_WEIGHTS_DIR', 'atlas-weights-');

  it('trains once, caches the weights, and probes bands, heat map and feature spectra', async () => {
    if (!hasFashionMnist('frequency-noise smoke test')) return;
    await selectBackend();
    const tiny = { ...cfg, ...exp.profiles.quick, models: ['resnet_mini_28'], heatmapModels: ['resnet_mini_28'], steps: 3, warmupSteps: 1, evalImages: 40, heatmapStep: 14, heatmapImages: 8, featureImages: 4 };
    const ctx = { profile: 'quick' as const, progress: () => {}, log: () => {} };
    const a = (await exp.runUnit({ key: 'resnet_mini_28-s0', seed: 0, model: 'resnet_mini_28' }, tiny, ctx)) as unknown as R;
    expect(a.training.cached).toBe(false);
    expect(a.bands).toHaveLength(10);
    expect(a.heatmap!.cells).toHaveLength(4); // u, v ∈ {−14, 0}: all four cells are their own mirror
    expect(a.features.map((f) => f.tap)).toEqual(['stem', 'stage1', 'stage2', 'stage3']);
    for (const f of a.features) expect(f.curve[0]).toBe(0);
    const b = (await exp.runUnit({ key: 'resnet_mini_28-s0', seed: 0, model: 'resnet_mini_28' }, tiny, ctx)) as unknown as R;
    expect(b.training.cached).toBe(true);
    expect(b.cleanAccuracy).toBe(a.cleanAccuracy);
    expect(b.bands.map((x) => x.drop)).toEqual(a.bands.map((x) => x.drop));
  }, 120_000);
});
