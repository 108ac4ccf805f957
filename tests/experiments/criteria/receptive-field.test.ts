import { describe, expect, it } from 'vitest';
import { familyGain, maxRadius, MIN_RF_GAIN_PX, rfVerdict, type RfSeed } from '../../../scripts/experiments/criteria/receptive-field';
import { meanCi95 } from '../../../scripts/lib/metrics/seed-stats';

/** The rule the experiment used before the model pool: ViT wider after block 1 (paired interval above 0) and the ResNet growing in every seed (dips up to 0.5 px). */
function legacyVerdictOf(cnn: Array<{ seed: number; layers: Array<{ label: string; r90: number }> }>, vit: typeof cnn): { verdict: string } {
  const blocks = (r: (typeof cnn)[number]) => r.layers.filter((l) => l.label !== 'stem').map((l) => l.r90);
  const grows = (r: (typeof cnn)[number]) => { const rs = blocks(r); return rs.at(-1)! > rs[0]! && rs.every((v, i) => i === 0 || v >= rs[i - 1]! - 0.5); };
  const diff = meanCi95(vit.map((v) => blocks(v)[0]! - blocks(cnn.find((c) => c.seed === v.seed)!)[0]!));
  const wider = diff.n > 1 && diff.ci95[0] > 0, growing = cnn.length > 0 && cnn.every(grows);
  return { verdict: wider && growing ? 'reproduced' : wider || growing ? 'partly' : 'not-reproduced' };
}

const R = maxRadius(28, 28, [14, 14]);
const CNN0 = [4, 5.5, 7, 8.5, 10], VIT0 = [12, 12.5, 13, 13, 13.5]; // untrained r90 per block, px
const wobble = (s: number, k: number) => 0.05 * Math.sin(3 * s + k);
const fam = (untrained: number[], trained: (s: number) => number[], n = 3): RfSeed[] =>
  Array.from({ length: n }, (_, s) => ({ seed: s, untrained: untrained.map((v, k) => v + wobble(s + 9, k)), trained: trained(s).map((v, k) => v + wobble(s, k)) }));
const same = (xs: number[]) => () => xs;
const shift = (xs: number[], firstBy: number) => () => xs.map((v, k) => (k === 0 ? v + firstBy : v));
const CNN_GROWS = [4, 6.5, 9, 11, 13]; // span 9 px against the untrained 6

describe('criteria/receptive-field', () => {
  it('maxRadius: the farthest pixel centre, known value', () => {
    expect(R).toBeCloseTo(Math.hypot(13.5, 13.5), 12);
    expect(maxRadius(4, 2, [0, 0])).toBeCloseTo(Math.hypot(3.5, 1.5), 12);
  });

  it('trained radii equal to the untrained ones: the old rule says reproduced (by construction), this one not detected', () => {
    const cnn = fam(CNN0, same(CNN0)), vit = fam(VIT0, same(VIT0));
    const unit = (s: RfSeed) => ({ model: '', regime: 'full' as const, seed: s.seed, size: [28, 28] as [number, number], training: { testAccuracy: 0.9 }, layers: [{ label: 'stem', r90: 2 }, ...s.trained.map((r90, i) => ({ label: `b${i + 1}`, r90 }))].map((l, depth) => ({ ...l, tap: l.label, depth, relDepth: depth / 5, r50: l.r90 / 2, map: [] })) });
    expect(legacyVerdictOf(cnn.map(unit), vit.map(unit)).verdict).toBe('reproduced');
    const v = rfVerdict({ cnn, vit, maxRadiusPx: R });
    expect(v.verdict).toBe('not-detected');
    expect(v.control.vitFirst.mean).toBeGreaterThan(v.control.cnnFirst.mean); // the control shows the architecture's difference
  });

  it('training widens the ViT beyond the CNN and grows the CNN with depth → reproduced; the reverse → contradicted', () => {
    const v = rfVerdict({ cnn: fam(CNN0, same(CNN_GROWS)), vit: fam(VIT0, shift(VIT0, 3)), maxRadiusPx: R });
    expect(v.verdict).toBe('reproduced');
    expect(v.parts.families.vit!.first.mean).toBeCloseTo(3, 1);
    expect(v.parts.growth.mean).toBeCloseTo(3, 1);
    expect(rfVerdict({ cnn: fam(CNN0, same([4, 5, 6, 6.5, 7])), vit: fam(VIT0, shift(VIT0, -3)), maxRadiusPx: R }).verdict).toBe('contradicted');
  });

  it('one part only → partly; the verdict flips at the minimum gain', () => {
    const at = (g: number) => rfVerdict({ cnn: fam(CNN0, same(CNN_GROWS)), vit: fam(VIT0, shift(VIT0, g)), maxRadiusPx: R }).verdict;
    expect(at(MIN_RF_GAIN_PX - 0.5)).toBe('partly');
    expect(at(MIN_RF_GAIN_PX + 0.5)).toBe('reproduced');
  });

  it('radii that move a lot in one seed only → not detected', () => {
    const byseed = (d: number[]) => (s: number) => VIT0.map((v, k) => (k === 0 ? v + d[s]! : v));
    const v = rfVerdict({ cnn: fam(CNN0, same(CNN0)), vit: fam(VIT0, byseed([6, -2, 0])), maxRadiusPx: R });
    expect(v.parts.wider.mean).toBeGreaterThan(MIN_RF_GAIN_PX);
    expect(v.verdict).toBe('not-detected');
  });

  it('an untrained ViT already at the ceiling, or too few seeds → inconclusive', () => {
    const top = [18, 18, 18.5, 18.5, 19];
    expect(rfVerdict({ cnn: fam(CNN0, same(CNN_GROWS)), vit: fam(top, shift(top, 1)), maxRadiusPx: R }).verdict).toBe('inconclusive');
    expect(rfVerdict({ cnn: fam(CNN0, same(CNN_GROWS), 2), vit: fam(VIT0, shift(VIT0, 3), 2), maxRadiusPx: R }).verdict).toBe('inconclusive');
  });

  it('other families get their trained − untrained radii, first and last block', () => {
    const g = familyGain(fam([3, 6, 9], same([5, 6, 12])));
    expect(g.first.mean).toBeCloseTo(2, 1);
    expect(g.last.mean).toBeCloseTo(3, 1);
    const v = rfVerdict({ cnn: fam(CNN0, same(CNN0)), vit: fam(VIT0, same(VIT0)), others: { hybrid: fam([3, 6, 9], same([5, 6, 12])) }, maxRadiusPx: R });
    expect(v.parts.families.hybrid!.last.mean).toBeCloseTo(3, 1);
  });
});
