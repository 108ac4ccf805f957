// C1 criterion on synthetic per-seed results: the verdict flips with the effect and with its control.
import { describe, expect, it } from 'vitest';
import { combineParts } from '../../../scripts/experiments/criteria/combine-parts';
import { MIN_EFFECT, shapeBiasPart, shapeBiasVerdict, type PartInput, type SeedShape } from '../../../scripts/experiments/criteria/shape-bias';

const jitter = [0, 0.02, -0.02];
const seeds = (bias: number, init: number, over: Partial<SeedShape> = {}): SeedShape[] =>
  jitter.map((j, s) => ({ shapeBias: bias + j, cueFraction: 0.7, shapeProbe: 0.6, textureProbe: 0.5, initShapeBias: init - jitter[(s + 1) % 3]!, ...over }));
const part = (cnn: number, vit: number, cnnInit = 0.5, vitInit = 0.5): PartInput => ({ cnn: seeds(cnn, cnnInit), vit: seeds(vit, vitInit), chance: 0.1 });

describe('C1 shape-bias criterion', () => {
  it('effect present (ViT 0.20 above the CNN, untrained equal) → reproduced', () => {
    const r = shapeBiasPart(part(0.2, 0.4));
    expect(r.verdict).toBe('reproduced');
    expect(r.parts!.effect.diff).toBeCloseTo(0.2, 10);
  });
  it('effect absent (same bias) → not-detected', () => expect(shapeBiasPart(part(0.3, 0.3)).verdict).toBe('not-detected'));
  it('effect below MIN_EFFECT, even with a tight interval → not-detected', () => {
    const r = shapeBiasPart(part(0.3, 0.3 + MIN_EFFECT / 2));
    expect(r.verdict).toBe('not-detected');
  });
  it('reversed (CNN more shape-biased) → contradicted', () => expect(shapeBiasPart(part(0.4, 0.2)).verdict).toBe('contradicted'));
  it('a ViT that answers mostly by texture still passes if it leans on shape more than the CNN (a direction)', () => {
    expect(shapeBiasPart(part(0.1, 0.3)).verdict).toBe('reproduced');
  });
  it('control already shows the difference (untrained ViT 0.2 above the CNN as well) → inconclusive', () => {
    const r = shapeBiasPart(part(0.3, 0.5, 0.4, 0.6));
    expect(r.verdict).toBe('inconclusive');
    expect(r.reason).toBe('control-shows-effect');
    expect(r.control!.diff.diff).toBeCloseTo(0.2, 10);
  });
  it('the effect is trained minus untrained: the same trained numbers with an opposite control → reproduced', () => {
    expect(shapeBiasPart(part(0.3, 0.5, 0.55, 0.45)).verdict).toBe('reproduced');
  });
  it('seeds are paired: a steady per-seed effect on seeds that differ a lot among themselves → reproduced', () => {
    // ViT − CNN: trained 0.25, 0.30, 0.35 and untrained 0.15, 0.20, 0.25 (seed s shares its init): +0.10 in every seed.
    const cnn = [0.2, 0.2, 0.2].map((b) => ({ shapeBias: b, cueFraction: 0.7, shapeProbe: 0.6, textureProbe: 0.5, initShapeBias: 0.5 }));
    const vit = [0.45, 0.5, 0.55].map((b, s) => ({ ...cnn[s]!, shapeBias: b, initShapeBias: 0.65 + 0.05 * s }));
    const r = shapeBiasPart({ cnn, vit, chance: 0.1 });
    expect(r.parts!.effect.diff).toBeCloseTo(0.1, 10);
    expect(r.parts!.effect.ci95[0]).toBeCloseTo(0.1, 10); // unpaired (Welch), 0.10 ± 0.11 would cover 0
    expect(r.verdict).toBe('reproduced');
  });
  it('preconditions: fewer than three seeds, a failed probe, or few cue decisions → inconclusive', () => {
    const p = part(0.2, 0.4);
    expect(shapeBiasPart({ ...p, vit: p.vit.slice(0, 2) })).toMatchObject({ verdict: 'inconclusive', reason: 'too-few-seeds' });
    expect(shapeBiasPart({ ...p, cnn: seeds(0.2, 0.5, { textureProbe: 0.2 }) }).reason).toBe('probe-failed');
    expect(shapeBiasPart({ ...p, vit: seeds(0.4, 0.5, { cueFraction: 0.1 }) }).reason).toBe('few-cue-decisions');
    expect(shapeBiasPart({ ...p, vit: seeds(0.4, 0.5, { initShapeBias: null }) }).reason).toBe('too-few-seeds');
  });
  it('noisy seeds whose interval covers 0 → not-detected', () => {
    const noisy: PartInput = { cnn: seeds(0.3, 0.5), vit: [0.1, 0.6, 0.45].map((b) => ({ ...seeds(0, 0.5)[0]!, shapeBias: b })), chance: 0.1 };
    expect(shapeBiasPart(noisy).verdict).toBe('not-detected');
  });
  it('combines the Fashion-MNIST and synthetic parts', () => {
    expect(shapeBiasVerdict({ fmnist: part(0.2, 0.4), synthetic: part(0.2, 0.4) }).verdict).toBe('reproduced');
    expect(shapeBiasVerdict({ fmnist: part(0.2, 0.4), synthetic: part(0.3, 0.3) }).verdict).toBe('partly');
    expect(shapeBiasVerdict({ fmnist: part(0.4, 0.2), synthetic: part(0.3, 0.3) }).verdict).toBe('contradicted');
    expect(shapeBiasVerdict({ fmnist: part(0.3, 0.3), synthetic: part(0.3, 0.3) }).verdict).toBe('not-detected');
    const v = shapeBiasVerdict({ fmnist: part(0.2, 0.4), synthetic: part(0.2, 0.4) });
    expect(v.control.fmnist!.diff.diff).toBeCloseTo(0, 10);
  });
});

describe('combineParts', () => {
  it('maps part verdicts to one', () => {
    expect(combineParts(['reproduced', 'reproduced'])).toBe('reproduced');
    expect(combineParts(['reproduced', 'inconclusive'])).toBe('partly');
    expect(combineParts(['reproduced', 'contradicted'])).toBe('partly');
    expect(combineParts(['not-detected', 'contradicted'])).toBe('contradicted');
    expect(combineParts(['not-detected', 'inconclusive'])).toBe('not-detected');
    expect(combineParts(['inconclusive', 'inconclusive'])).toBe('inconclusive');
    expect(() => combineParts([])).toThrow();
  });
});
