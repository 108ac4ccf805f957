// shape-bias (C1): the verdict and summary on hand-made results, the charts on that summary, the
// narrow Swin's gradients against the cpu backend, and a tiny real unit (seconds).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as exp from '../../scripts/experiments/shape-bias';
import { narrowOverrides } from '../../models/minis';
import { createModel } from '../../models/index';
import { rng } from '../../scripts/lib/train';
import { selectBackend } from '../../scripts/lib/engine/backend';
import type { Json, UnitRecord } from '../../scripts/lib/experiments/types';
import { verdictSchema } from '../../contracts/verdict';
import { shapeBiasByModel, shapeBiasProbes, type ShapeBiasData } from '../../src/components/charts/shape-bias';
import { renderSvg } from '../../src/components/charts/render-svg';
import { makeT } from '../../src/lib/i18n/t';

const cfg = { ...exp.defaults };

function record(model: string, seed: number, bias: number): UnitRecord {
  // 448 conflict trials: bias·cue decisions for shape, the rest of the cue decisions for texture.
  const cue = 400, shapeHits = Math.round(bias * cue);
  const result = {
    model, kind: 'x', params: 1000, seed, steps: 300, reached: true, consistentAccuracy: 0.96, finalTrainLoss: 0.1,
    conflict: { trials: 448, excluded: 0, shapeHits, textureHits: cue - shapeHits, other: 48, shapeBias: shapeHits / cue, shapeFraction: shapeHits / 448, textureFraction: (cue - shapeHits) / 448 },
    perShape: [bias, bias, bias, bias, bias, bias, bias, null],
    shapeProbeAccuracy: bias, textureProbeAccuracy: 1 - bias / 2, curve: [], timing: { trainMs: 1, evalMs: 1 },
  };
  return {
    experiment: exp.id, unit: { key: `${model}-s${seed}`, seed, model }, cacheKey: 'k', codeVersion: exp.codeVersion, config: cfg, claims: exp.claims,
    result: result as unknown as Json,
    provenance: { backend: 'cpu', device: 'test', kernels: [], packages: {}, seed, profile: 'full', git: { revision: 'x', dirty: false }, startedAt: '', wallMs: 60_000 },
  };
}
/** Three seeds per model around the given mean (±0.02). */
const records = (means: Record<string, number>) => Object.entries(means).flatMap(([m, b]) => [0, 1, 2].map((s) => record(m, s, b + (s - 1) * 0.02)));
const six = (vit: number, resnet: number) => records({ resnet_mini_28: resnet, convnext_mini_28: 0.3, vit_mini_patch4_28: vit, hybrid_mini_28: 0.4, swin_mini_28: 0.5, pvt_mini_28: 0.35 });
type Summary = { verdict: { verdict: string; measured: Array<{ key: string; paper?: { value: number } }> }; values: { values: Record<string, { value: number }> }; summary: ShapeBiasData };
const summarize = (rs: UnitRecord[]) => exp.summarize(rs, cfg, 'full') as unknown as Summary;

describe('shape-bias units and verdict', () => {
  it('one unit per model and seed, unique keys', () => {
    const us = exp.units('full', cfg);
    expect(us).toHaveLength(cfg.models.length * cfg.seeds);
    expect(new Set(us.map((u) => u.key)).size).toBe(us.length);
  });

  it('ViT clearly above a texture-biased ResNet → reproduced; the verdict validates and every value is finite', () => {
    const s = summarize(six(0.62, 0.2));
    expect(s.verdict.verdict).toBe('reproduced');
    expect(verdictSchema.safeParse(s.verdict).success).toBe(true);
    for (const [k, v] of Object.entries(s.values.values)) expect(Number.isFinite(v.value), k).toBe(true);
    expect(s.values.values.bias_vit!.value).toBeCloseTo(0.62, 2);
    expect(s.values.values.vit_minus_resnet!.value).toBeCloseTo(0.42, 2);
    // The ResNet row carries the paper's ResNet-50 mark.
    expect(s.verdict.measured.find((m) => m.key === 'bias_resnet')!.paper!.value).toBeCloseTo(0.2139, 4);
  });

  it('ViT higher but both shape-biased → partly; ViT higher within noise → partly; ViT lower → not reproduced', () => {
    expect(summarize(six(0.85, 0.6)).verdict.verdict).toBe('partly');
    const noisy = [...records({ resnet_mini_28: 0.4 }), ...[0.1, 0.5, 0.9].map((b, s) => record('vit_mini_patch4_28', s, b))];
    expect(summarize(noisy).verdict.verdict).toBe('partly');
    expect(summarize(six(0.2, 0.3)).verdict.verdict).toBe('not-reproduced');
    expect(exp.verdictOf([0.5, 0.5, 0.5], [0.5, 0.5, 0.5])).toBe('not-reproduced');
  });

  it('partial results (no ViT yet) give chart data and values but no verdict', () => {
    const s = summarize(records({ resnet_mini_28: 0.2 }));
    expect((s as { verdict?: unknown }).verdict).toBeUndefined();
    expect(s.summary.models).toHaveLength(1);
    expect(s.summary.complete).toBe(false);
  });

  it('charts render in both languages, and the description states each model\'s number', async () => {
    const data = summarize(six(0.62, 0.2)).summary;
    for (const lang of ['en', 'ja'] as const) {
      const t = makeT(lang);
      for (const def of [shapeBiasByModel, shapeBiasProbes]) {
        const svg = await renderSvg(def.spec(def.rows(data), t, lang));
        expect(svg).toContain('<svg');
      }
      const text = shapeBiasByModel.describe(data, t, lang);
      expect(text).toContain('0.62');
      expect(text).toContain('0.21'); // the ResNet-50 mark
    }
  });
});

describe('the narrow Swin (Gather gradients, size-1 transposes) on the selected backend', () => {
  it('has the cpu backend\'s loss gradient', async () => {
    await selectBackend();
    const prev = tf.getBackend();
    const grads = () => tf.tidy(() => {
      const m = createModel('swin_mini_28', { ...narrowOverrides('swin_mini_28'), numClasses: 8 }, { seed: 1 });
      const r = rng(3);
      const x = tf.tensor4d(Float32Array.from({ length: 2 * 28 * 28 }, () => r()), [2, 28, 28, 1]);
      const y = tf.oneHot(tf.tensor1d([2, 5], 'int32'), 8).toFloat();
      const { grads: g } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, m.forward(x, { training: true }).logits) as tf.Scalar, m.variables());
      const out = m.variables().map((v) => Array.from(g[v.name]!.dataSync()));
      m.dispose();
      return out;
    });
    const here = grads();
    await tf.setBackend('cpu');
    const cpu = grads();
    await tf.setBackend(prev);
    expect(here.length).toBe(cpu.length);
    let worst = 0, scale = 0;
    here.forEach((g, i) => g.forEach((v, j) => { worst = Math.max(worst, Math.abs(v - cpu[i]![j]!)); scale = Math.max(scale, Math.abs(cpu[i]![j]!)); }));
    expect(scale).toBeGreaterThan(0);
    expect(worst).toBeLessThan(1e-4 * scale);
  }, 60_000);
});

describe('shape-bias real unit (tiny)', () => {
  it('trains, classifies conflicts and probes, and returns plain JSON', async () => {
    await selectBackend();
    const tiny = { ...cfg, trainN: 64, testN: 16, conflictPerPair: 1, probeN: 8, maxSteps: 4, checkEvery: 2, batchSize: 16 };
    const r = (await exp.runUnit({ key: 'resnet_mini_28-s0', seed: 0, model: 'resnet_mini_28' }, tiny, { profile: 'quick', progress: () => {}, log: () => {} })) as Record<string, unknown>;
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    const c = r.conflict as { trials: number; shapeHits: number; textureHits: number; other: number; shapeBias: number | null };
    expect(c.trials).toBe(56);
    expect(c.shapeHits + c.textureHits + c.other).toBe(56);
    if (c.shapeBias !== null) expect(c.shapeBias).toBeGreaterThanOrEqual(0);
    expect(r.steps).toBeLessThanOrEqual(4);
    expect(r.shapeProbeAccuracy).toBeGreaterThanOrEqual(0);
  }, 120_000);
});
