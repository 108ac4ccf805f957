// C6 criterion and the matched-loss picker on synthetic per-seed results: the verdict flips with the effect.
import { describe, expect, it } from 'vitest';
import { curvatureVerdict, flatPart, scarcePart, type CurvatureSeed, type ModelCurvature } from '../../../scripts/experiments/criteria/curvature';
import { lossesMatch, matchTrainingLoss } from '../../../scripts/experiments/criteria/matched-loss';

const jitter = [1, 1.05, 0.95];
/** Three seeds whose top-5 mean is `lam` (×jitter) and whose negative mass is `neg` (± 0.001). */
const seeds = (lam: number, neg: number, loss = 0.2): CurvatureSeed[] =>
  jitter.map((j, s) => ({ top: [1.4, 1.2, 1, 0.8, 0.6].map((f) => f * lam * j), negMass: neg + (s - 1) * 0.001, trainLoss: loss * (1 + (s - 1) * 0.02) }));
const model = (lam: number, negFull: number, negSmall: number): ModelCurvature => ({ full: seeds(lam, negFull), small: seeds(lam, negSmall), init: seeds(1, 0.3, 2.3) });

describe('C6 curvature criterion', () => {
  it('flat: ViT top-5 4× smaller → reproduced; equal → not-detected; 4× larger → contradicted', () => {
    expect(flatPart(seeds(40, 0), seeds(10, 0)).verdict).toBe('reproduced');
    expect(flatPart(seeds(40, 0), seeds(40, 0)).verdict).toBe('not-detected');
    expect(flatPart(seeds(10, 0), seeds(40, 0)).verdict).toBe('contradicted');
  });
  it('flat: a 1.2× gap, below MIN_FLAT_RATIO, is not detected even with tight seeds', () => {
    expect(flatPart(seeds(12, 0), seeds(10, 0)).verdict).toBe('not-detected');
  });
  it('flat: losses not matched (ViT at 0.5, CNN at 0.2) → inconclusive, whatever the eigenvalues', () => {
    expect(flatPart(seeds(40, 0), seeds(10, 0, 0.5))).toMatchObject({ verdict: 'inconclusive', reason: 'loss-not-matched' });
  });
  it('scarce: negative mass 0.04 small vs 0.01 full → reproduced; equal → not-detected; reversed → contradicted', () => {
    expect(scarcePart(seeds(10, 0.01), seeds(10, 0.04)).verdict).toBe('reproduced');
    expect(scarcePart(seeds(10, 0.02), seeds(10, 0.02)).verdict).toBe('not-detected');
    expect(scarcePart(seeds(10, 0.04), seeds(10, 0.01)).verdict).toBe('contradicted');
  });
  it('two seeds → inconclusive', () => {
    expect(scarcePart(seeds(10, 0.01).slice(0, 2), seeds(10, 0.04))).toMatchObject({ verdict: 'inconclusive', reason: 'too-few-seeds' });
  });
  it('combines the parts and reports the untrained control', () => {
    const v = curvatureVerdict({ cnn: model(40, 0.01, 0.01), vit: model(10, 0.01, 0.04) });
    expect(v.verdict).toBe('reproduced');
    expect(v.parts.cnnScarce.verdict).toBe('not-detected');
    expect(v.control.vitNegMass.mean).toBeCloseTo(0.3, 10);
    expect(curvatureVerdict({ cnn: model(40, 0.01, 0.01), vit: model(10, 0.02, 0.02) }).verdict).toBe('partly');
    expect(curvatureVerdict({ cnn: model(40, 0.01, 0.01), vit: model(40, 0.02, 0.02) }).verdict).toBe('not-detected');
    expect(curvatureVerdict({ cnn: model(10, 0.01, 0.01), vit: model(40, 0.04, 0.01) }).verdict).toBe('contradicted');
  });
});

describe('matchTrainingLoss', () => {
  const curves = {
    cnn: [{ id: 'e1', trainLoss: 1.0 }, { id: 'e5', trainLoss: 0.4 }, { id: 'e10', trainLoss: 0.21 }, { id: 'e20', trainLoss: 0.1 }],
    vit: [{ id: 'e1', trainLoss: 1.5 }, { id: 'e10', trainLoss: 0.5 }, { id: 'e20', trainLoss: 0.2 }],
  };
  it('targets the lowest loss both reach (0.2) and picks each model’s nearest point', () => {
    const m = matchTrainingLoss(curves);
    expect(m.target).toBe(0.2);
    expect(m.picks.cnn!.id).toBe('e10');
    expect(m.picks.vit!.id).toBe('e20');
    expect(m.matched).toBe(true);
  });
  it('reports a mismatch when no point lies within the tolerance of a given target', () => {
    const m = matchTrainingLoss(curves, { target: 0.3 });
    expect(m.picks.cnn!.id).toBe('e5'); // |log(0.4/0.3)| < |log(0.21/0.3)|
    expect(m.matched).toBe(false);
  });
  it('lossesMatch: within 10% in log terms', () => {
    expect(lossesMatch(0.2, 0.215)).toBe(true);
    expect(lossesMatch(0.2, 0.25)).toBe(false);
    expect(() => matchTrainingLoss({ a: [] })).toThrow();
  });
});
