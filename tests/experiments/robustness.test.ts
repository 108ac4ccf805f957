// robustness (C3): the "clear winner" logic and summary on hand-made results, the charts on that
// summary, and a tiny real run on Fashion-MNIST (skipped loudly without the dataset).
import { describe, expect, it } from 'vitest';
import * as exp from '../../scripts/experiments/robustness';
import { selectBackend } from '../../scripts/lib/engine/backend';
import { CORRUPTIONS, SEVERITY } from '../../scripts/lib/metrics/corruptions';
import { verdictSchema } from '../../contracts/verdict';
import { robustnessAdversarial, robustnessCorruptions } from '../../src/components/charts/robustness';
import { renderSvg } from '../../src/components/charts/render-svg';
import { makeT } from '../../src/lib/i18n/t';
import { hasFashionMnist, useTempDir } from '../helpers/quick-run';
import { jitter, record } from './_fmnist-fixtures';

type R = exp.RobustnessUnitResult;
const cfg = { ...exp.defaults };

/** Clean 0.8; every corruption keeps `corr` of it, every PGD radius keeps `adv`. */
function unit(model: string, seed: number, corr: number, adv: number): R {
  const clean = 0.8;
  return {
    model, seed, training: { params: 1, finalTrainLoss: 0.5, trainWallMs: 1, imagesPerSec: 1, cached: false }, cleanAccuracy: clean,
    cleanOn: { corruption: clean, fgsm: clean, pgd: clean },
    corruption: CORRUPTIONS.flatMap((kind) => [1, 2, 3, 4, 5].map((severity) => ({ kind, severity, param: SEVERITY[kind][severity - 1]!, accuracy: clean * (corr + jitter(seed, severity)) }))),
    fgsm: cfg.fgsmEps.map((eps) => ({ eps, accuracy: clean * adv })),
    pgd: cfg.pgdEps.map((eps, i) => ({ eps, accuracy: clean * (adv + jitter(seed, i)) })),
  };
}
const records = (spec: Record<string, [number, number]>) => [0, 1, 2].flatMap((s) => Object.entries(spec).map(([m, [c, a]]) => record(exp.id, m, s, unit(m, s, c, a))));

describe('robustness verdict', () => {
  it('retention divides by the clean accuracy on the same images', () => {
    expect(exp.retention([0.4, 0.2], 0.6)).toBeCloseTo(0.5, 12);
    expect(exp.retention([0.1], 0)).toBe(0);
  });

  it('a clear winner needs its Welch interval above zero against every other model', () => {
    const m = new Map([['a', [0.9, 0.91, 0.92]], ['b', [0.5, 0.52, 0.51]], ['c', [0.6, 0.61, 0.59]]]);
    expect(exp.clearWinner(m).winner).toBe('a');
    m.set('c', [0.88, 0.95, 0.9]);
    expect(exp.clearWinner(m).winner).toBeNull();
    expect(exp.verdictFromWinners([null, null])).toBe('reproduced');
    expect(exp.verdictFromWinners(['a', null])).toBe('partly');
    expect(exp.verdictFromWinners(['a', 'b'])).toBe('not-reproduced');
  });

  it('no clear winner → reproduced; one model far ahead on corruptions only → partly; on both → not reproduced', () => {
    const tie = exp.summarize(records({ resnet_mini_28: [0.7, 0.3], vit_mini_patch4_28: [0.7, 0.3], hybrid_mini_28: [0.7, 0.3] }), cfg, 'full');
    expect(tie.verdict.verdict).toBe('reproduced');
    expect(verdictSchema.safeParse(tie.verdict).success).toBe(true);
    for (const [k, v] of Object.entries(tie.values.values)) expect(Number.isFinite(v.value), k).toBe(true);
    const one = exp.summarize(records({ resnet_mini_28: [0.5, 0.3], vit_mini_patch4_28: [0.8, 0.3], hybrid_mini_28: [0.5, 0.3] }), cfg, 'full');
    expect(one.verdict.verdict).toBe('partly');
    expect(one.data.winners.corruption.winner).toBe('vit_mini_patch4_28');
    expect(one.values.values.corr_ret_vit!.value).toBeCloseTo(80, 0);
    const both = exp.summarize(records({ resnet_mini_28: [0.5, 0.6], vit_mini_patch4_28: [0.8, 0.3], hybrid_mini_28: [0.5, 0.3] }), cfg, 'full');
    expect(both.verdict.verdict).toBe('not-reproduced');
  });
});

describe('robustness charts', () => {
  it('render in both languages and state their numbers', async () => {
    const { data } = exp.summarize(records({ resnet_mini_28: [0.7, 0.3], vit_mini_patch4_28: [0.6, 0.2] }), { ...cfg, models: ['resnet_mini_28', 'vit_mini_patch4_28'] }, 'full');
    for (const def of [robustnessCorruptions, robustnessAdversarial]) {
      for (const lang of ['en', 'ja'] as const) {
        const t = makeT(lang);
        const svg = await renderSvg(def.spec(def.rows(data as never), t, lang));
        expect(svg.startsWith('<svg')).toBe(true);
        expect(svg).toContain(t('atlas.miniModel.resnet_mini_28'));
        expect(def.describe(data as never, t, lang).length).toBeGreaterThan(40);
      }
    }
    expect(robustnessCorruptions.describe(data as never, makeT('en'), 'en')).toContain('80'); // clean accuracy 80%
  });
});

describe('robustness on Fashion-MNIST (tiny)', () => {
  useTempDir('ATLAS_WEIGHTS_DIR', 'atlas-weights-');

  it('measures every corruption and severity, FGSM and PGD', async () => {
    if (!hasFashionMnist('robustness smoke test')) return;
    await selectBackend();
    const tiny = { ...cfg, ...exp.profiles.quick, models: ['vit_mini_patch4_28'], steps: 3, warmupSteps: 1, evalImages: 20, corruptionImages: 8, fgsmImages: 8, fgsmEps: [0, 0.1], pgdImages: 4, pgdEps: [0.1], pgdSteps: 2 };
    const r = (await exp.runUnit({ key: 'vit_mini_patch4_28-s0', seed: 0, model: 'vit_mini_patch4_28' }, tiny, { profile: 'quick', progress: () => {}, log: () => {} })) as unknown as R;
    expect(r.corruption).toHaveLength(25);
    expect(r.fgsm.map((f) => f.eps)).toEqual([0, 0.1]);
    expect(r.fgsm[0]!.accuracy).toBeCloseTo(r.cleanOn.fgsm, 12); // ε = 0 is the clean image
    expect(r.pgd).toHaveLength(1);
    for (const x of [...r.corruption, ...r.fgsm, ...r.pgd]) { expect(x.accuracy).toBeGreaterThanOrEqual(0); expect(x.accuracy).toBeLessThanOrEqual(1); }
  }, 120_000);
});
