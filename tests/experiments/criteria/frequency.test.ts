// C2 criterion on synthetic per-seed results: effect present, absent, reversed, already in the control.
import { describe, expect, it } from 'vitest';
import { combineParts } from '../../../scripts/experiments/criteria/combine-parts';
import { CNN, outcomeVerdict, type ControlSeedResult, type FrequencySeedResult, highAtSide, judgeFrequency, sharedSide, VIT } from '../../../scripts/experiments/criteria/frequency';

interface Spec { low: number; high: number; heat: number; blocks: number; big?: number }
const JITTER = [-0.01, 0, 0.01];

/** One seed: drops per band (low bands `low`, middle 0.1, high bands `high`), heat-map error rise `heat`
 *  at high radii, Δ log amplitude `blocks` on the 7×7 maps (and `big` on 28/14 maps for the CNN). */
function seedResult(model: string, seed: number, s: Spec, clean = 0.9): FrequencySeedResult {
  const j = (model === CNN ? JITTER[seed] : JITTER[2 - seed])!; // opposite per-seed luck, so paired intervals have width
  const drop = (b: number) => (b <= 2 ? s.low : b >= 7 ? s.high : 0.1) + j;
  const features = model === CNN
    ? [{ tap: 'stem', side: 28, high: s.big ?? -5 }, { tap: 'stage1', side: 28, high: s.big ?? -5 }, { tap: 'stage2', side: 14, high: -4 }, { tap: 'stage3', side: 7, high: s.blocks + j }]
    : [{ tap: 'stem', side: 7, high: 0 }, ...Array.from({ length: 6 }, (_, k) => ({ tap: `block0${k}`, side: 7, high: s.blocks + j }))];
  return {
    seed, cleanAccuracy: clean,
    bands: Array.from({ length: 10 }, (_, b) => ({ band: b, drop: drop(b) })),
    heatmap: { cleanError: 0.1, cells: [{ radius: 0.1, error: 0.12 }, { radius: 0.4, error: 0.1 + s.heat + j }, { radius: 0.7, error: 0.1 + s.heat + j }] },
    features,
  };
}
const seeds = (model: string, s: Spec, clean?: number) => [0, 1, 2].map((k) => seedResult(model, k, s, clean));
const control = (model: string, blocks: number, clean = 0.1): ControlSeedResult[] =>
  seeds(model, { low: 0, high: 0, heat: 0, blocks }).map((r) => ({ seed: r.seed, cleanAccuracy: clean, features: r.features }));

// Untrained: both models start at the same high-frequency amplitude.
const UNTRAINED = { [CNN]: control(CNN, -3), [VIT]: control(VIT, -3) };
const CNN_AS_CLAIMED: Spec = { low: 0.05, high: 0.3, heat: 0.3, blocks: -2.7 };
const VIT_AS_CLAIMED: Spec = { low: 0.2, high: 0.05, heat: 0.05, blocks: -3.4 };
const SAME: Spec = { low: 0.1, high: 0.1, heat: 0.1, blocks: -3 };

describe('C2 frequency criterion', () => {
  it('effect present in every part → reproduced', () => {
    const v = judgeFrequency({ trained: { [CNN]: seeds(CNN, CNN_AS_CLAIMED), [VIT]: seeds(VIT, VIT_AS_CLAIMED) }, untrained: UNTRAINED });
    expect(v.parts.map((p) => [p.name, p.outcome])).toEqual([['noiseHigh', 'found'], ['noiseLow', 'found'], ['heatmap', 'found'], ['lowPass', 'found']]);
    expect(v.parts.find((p) => p.name === 'noiseHigh')!.diff).toBeCloseTo(0.25, 10);
    expect(v.verdict).toBe('reproduced');
  });

  it('the same numbers for both models → not detected', () => {
    const v = judgeFrequency({ trained: { [CNN]: seeds(CNN, SAME), [VIT]: seeds(VIT, SAME) }, untrained: UNTRAINED });
    expect(v.parts.every((p) => p.outcome === 'none')).toBe(true);
    expect(v.verdict).toBe('not-detected');
  });

  it('models swapped (the ViT hurt by high frequencies, the CNN the low-pass one) → contradicted', () => {
    const v = judgeFrequency({ trained: { [CNN]: seeds(CNN, VIT_AS_CLAIMED), [VIT]: seeds(VIT, CNN_AS_CLAIMED) }, untrained: UNTRAINED });
    expect(v.parts.every((p) => p.outcome === 'opposite')).toBe(true);
    expect(v.verdict).toBe('contradicted');
  });

  it('noise parts found, feature maps unchanged by training → partly', () => {
    const v = judgeFrequency({ trained: { [CNN]: seeds(CNN, { ...CNN_AS_CLAIMED, blocks: -3 }), [VIT]: seeds(VIT, { ...VIT_AS_CLAIMED, blocks: -3 }) }, untrained: UNTRAINED });
    expect(v.parts.find((p) => p.name === 'lowPass')!.outcome).toBe('none');
    expect(v.verdict).toBe('partly');
  });

  it('a control that already shows the low-pass gap: trained CNN − ViT is large, trained − untrained is not → lowPass none', () => {
    const untrained = { [CNN]: control(CNN, -2.7), [VIT]: control(VIT, -3.4) };
    const trained = { [CNN]: seeds(CNN, { ...SAME, blocks: -2.7 }), [VIT]: seeds(VIT, { ...SAME, blocks: -3.4 }) };
    expect(highAtSide(trained[CNN]![0]!.features, 7) - highAtSide(trained[VIT]![0]!.features, 7)).toBeGreaterThan(0.5);
    const v = judgeFrequency({ trained, untrained });
    expect(v.parts.find((p) => p.name === 'lowPass')!.diff).toBeCloseTo(0, 10);
    expect(v.verdict).toBe('not-detected');
    expect(v.control.map((c) => c.untrainedHigh)).toEqual([-2.7 + 0, -3.4 + 0].map((x) => expect.closeTo(x, 10)));
  });

  it('feature maps are compared at the shared side only (7): the ResNet\'s 28×28 maps and the ViT stem do not count', () => {
    const a = judgeFrequency({ trained: { [CNN]: seeds(CNN, CNN_AS_CLAIMED), [VIT]: seeds(VIT, VIT_AS_CLAIMED) }, untrained: UNTRAINED });
    const b = judgeFrequency({ trained: { [CNN]: seeds(CNN, { ...CNN_AS_CLAIMED, big: 40 }), [VIT]: seeds(VIT, VIT_AS_CLAIMED) }, untrained: UNTRAINED });
    expect(a.side).toBe(7);
    expect(b.parts.find((p) => p.name === 'lowPass')!.diff).toBeCloseTo(a.parts.find((p) => p.name === 'lowPass')!.diff, 12);
    expect(sharedSide([{ tap: 'stage1', side: 14, high: 0 }], [{ tap: 'stem', side: 14, high: 0 }, { tap: 'block00', side: 7, high: 0 }])).toBeNull();
    const vitAt4 = seeds(VIT, VIT_AS_CLAIMED).map((r) => ({ ...r, features: r.features.map((f) => ({ ...f, side: 4 })) }));
    const c = judgeFrequency({ trained: { [CNN]: seeds(CNN, CNN_AS_CLAIMED), [VIT]: vitAt4 }, untrained: UNTRAINED });
    expect(c.preconditions.equalResolution).toBe(false);
    expect(c.verdict).toBe('inconclusive');
  });

  it('preconditions: two seeds, an undertrained model, or a control that is not at chance → inconclusive', () => {
    const trained = { [CNN]: seeds(CNN, CNN_AS_CLAIMED), [VIT]: seeds(VIT, VIT_AS_CLAIMED) };
    expect(judgeFrequency({ trained: { [CNN]: trained[CNN]!.slice(0, 2), [VIT]: trained[VIT]! }, untrained: UNTRAINED }).verdict).toBe('inconclusive');
    expect(judgeFrequency({ trained: { ...trained, [VIT]: seeds(VIT, VIT_AS_CLAIMED, 0.7) }, untrained: UNTRAINED }).verdict).toBe('inconclusive');
    expect(judgeFrequency({ trained, untrained: { [CNN]: control(CNN, -3, 0.9), [VIT]: control(VIT, -3) } }).preconditions.control).toBe(false);
    expect(judgeFrequency({ trained, untrained: {} }).verdict).toBe('inconclusive');
  });

  it('combining parts', () => {
    const c = (os: Parameters<typeof outcomeVerdict>[0][]) => combineParts(os.map(outcomeVerdict));
    expect(c(['found', 'found'])).toBe('reproduced');
    expect(c(['found', 'opposite'])).toBe('partly');
    expect(c(['none', 'opposite'])).toBe('contradicted');
    expect(c(['none', 'none'])).toBe('not-detected');
  });
});
