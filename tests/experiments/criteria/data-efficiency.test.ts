// C4/C7 data-efficiency criteria and the size-scaled schedule, on synthetic accuracy curves.
import { describe, expect, it } from 'vitest';
import { dataHungerVerdict, hybridSmallDataVerdict, MODELS, slopeOnLog10, type Curves } from '../../../scripts/experiments/criteria/data-efficiency';
import { plateaued, POOL_ANCHORS, scheduleForSize, SIZES, PLATEAU_GAIN } from '../../../scripts/experiments/criteria/data-schedule';
import * as pool from '../../../scripts/experiments/pool';

/** acc = a + b·log10(n / 1000), plus a seed- and size-dependent wobble of under half a point. */
function curve(a: number, b: number, phase = 0): Record<number, number[]> {
  return Object.fromEntries(SIZES.map((n, i) => [n, [0, 1, 2].map((s) => a + b * Math.log10(n / 1000) + 0.004 * Math.sin(1.7 * s + 0.9 * i + phase))]));
}
const curves = (cnn: [number, number], vit: [number, number], hybrid: [number, number] = [0.78, 0.04]): Curves => ({
  [MODELS.cnn]: curve(...cnn, 0), [MODELS.vit]: curve(...vit, 1), [MODELS.hybrid]: curve(...hybrid, 2),
});

describe('C4 data hunger', () => {
  it('ViT 10 points behind at 1k and gaining 4 points more per decade → reproduced', () => {
    const v = dataHungerVerdict(curves([0.8, 0.03], [0.7, 0.07]));
    expect(v.parts.behind.verdict).toBe('reproduced');
    expect(v.parts.closes.verdict).toBe('reproduced');
    expect(v.parts.closes.effect!.diff).toBeCloseTo(0.04, 2);
    expect(v.verdict).toBe('reproduced');
  });
  it('the same curve for both → not-detected', () => expect(dataHungerVerdict(curves([0.8, 0.03], [0.8, 0.03])).verdict).toBe('not-detected'));
  it('behind but not gaining faster → partly', () => {
    const v = dataHungerVerdict(curves([0.8, 0.03], [0.7, 0.03]));
    expect([v.parts.behind.verdict, v.parts.closes.verdict]).toEqual(['reproduced', 'not-detected']);
    expect(v.verdict).toBe('partly');
  });
  it('ViT ahead at 1k and gaining less → contradicted', () => expect(dataHungerVerdict(curves([0.8, 0.03], [0.85, 0.0])).verdict).toBe('contradicted'));
  it('a point at chance (ViT 15% at 1k) → inconclusive', () => {
    const c = curves([0.8, 0.03], [0.7, 0.07]) as Record<string, Record<number, number[]>>;
    c[MODELS.vit]![1000] = [0.15, 0.14, 0.16];
    const v = dataHungerVerdict(c);
    expect(v.verdict).toBe('inconclusive');
    expect(v.parts.behind.reason).toBe('untrained-point');
  });
  it('two seeds or two sizes → inconclusive', () => {
    const c = curves([0.8, 0.03], [0.7, 0.07]) as Record<string, Record<number, number[]>>;
    const two = Object.fromEntries(Object.entries(c).map(([m, cv]) => [m, Object.fromEntries(Object.entries(cv).map(([n, xs]) => [n, xs.slice(0, 2)]))]));
    expect(dataHungerVerdict(two).parts.closes.reason).toBe('too-few-seeds');
    const sizes2 = Object.fromEntries(Object.entries(c).map(([m, cv]) => [m, { 1000: cv[1000]!, 55000: cv[55000]! }]));
    expect(dataHungerVerdict(sizes2).parts.closes.reason).toBe('too-few-sizes');
  });
});

describe('C7 hybrid on small data', () => {
  it('hybrid 8 points above the ViT at 1k → reproduced; equal → not-detected; below → contradicted', () => {
    expect(hybridSmallDataVerdict(curves([0.8, 0.03], [0.7, 0.07], [0.78, 0.04])).verdict).toBe('reproduced');
    expect(hybridSmallDataVerdict(curves([0.8, 0.03], [0.7, 0.07], [0.7, 0.07])).verdict).toBe('not-detected');
    expect(hybridSmallDataVerdict(curves([0.8, 0.03], [0.7, 0.07], [0.62, 0.09])).verdict).toBe('contradicted');
  });
});

describe('slopeOnLog10', () => {
  it('is the accuracy gained per decade: 0.6 at 1k, 0.7 at 10k, 0.8 at 100k → 0.1', () => {
    expect(slopeOnLog10([1e3, 1e4, 1e5], [0.6, 0.7, 0.8])).toBeCloseTo(0.1, 12);
  });
});

describe('scheduleForSize', () => {
  it('reproduces the pool’s two regimes exactly (and its defaults are what the anchors say)', () => {
    expect(POOL_ANCHORS.batchSize).toBe(pool.defaults.batchSize);
    expect(POOL_ANCHORS.small).toEqual({ n: pool.defaults.smallImages, epochs: pool.defaults.smallEpochs });
    expect(POOL_ANCHORS.full).toEqual({ n: 60000 - pool.defaults.valImages, epochs: pool.defaults.epochs });
    expect(PLATEAU_GAIN).toBe(pool.PLATEAU_GAIN);
    expect(scheduleForSize(2000)).toMatchObject({ epochs: 200, steps: 3000, evalEvery: 150, poolRegime: 'small' });
    expect(scheduleForSize(55000)).toMatchObject({ epochs: 30, steps: 12870, evalEvery: 429, poolRegime: 'full' });
  });
  it('gives more steps but fewer epochs as n grows, never more steps than a full unit', () => {
    const s = SIZES.map((n) => scheduleForSize(n));
    for (let i = 1; i < s.length; i++) {
      expect(s[i]!.steps).toBeGreaterThan(s[i - 1]!.steps);
      expect(s[i]!.epochs).toBeLessThan(s[i - 1]!.epochs);
    }
    expect(scheduleForSize(200000).steps).toBeLessThanOrEqual(12870 + scheduleForSize(200000).stepsPerEpoch);
    expect(scheduleForSize(1000).epochs).toBeGreaterThan(300);
    expect(() => scheduleForSize(100)).toThrow(/smaller than a batch/);
  });
});

describe('plateaued (early stop on validation)', () => {
  const flat = Array.from({ length: 20 }, (_, i) => ({ step: (i + 1) * 100, accuracy: 0.8 + (i < 5 ? i * 0.01 : 0.04) }));
  const rising = flat.map((e, i) => ({ ...e, accuracy: 0.7 + i * 0.01 }));
  it('stops once the last fifth gained under half a point, not before half the budget', () => {
    expect(plateaued(flat, 1200, 2000)).toBe(true);
    expect(plateaued(flat, 900, 2000)).toBe(false);
    expect(plateaued(rising, 1200, 2000)).toBe(false);
  });
});
