// C3 criterion on synthetic per-seed results: draws, winners either way, noise, and failed preconditions.
import { describe, expect, it } from 'vitest';
import { CNN, combineCategories, HYBRID, judgeRobustness, MIN_CLEAN_ACCURACY, RETENTION_MARGIN, type RobustnessSeedResult, VIT } from '../../../scripts/experiments/criteria/robustness';

const CLEAN = 0.9, EPS = [0.01, 0.03];

/** Seed results whose corruption and PGD retention are exactly the given values (per seed). */
function unit(seed: number, corrRet: number, pgdRet: number, fgsmRet = pgdRet, clean = CLEAN): RobustnessSeedResult {
  return {
    seed, cleanAccuracy: clean,
    cleanOn: { corruption: clean, fgsm: clean, pgd: clean },
    corruption: Array.from({ length: 25 }, () => ({ accuracy: corrRet * clean })),
    // Two radii whose mean retention is pgdRet: ε-small retains more than ε-large.
    pgd: [{ eps: EPS[0]!, accuracy: (pgdRet + 0.05) * clean }, { eps: EPS[1]!, accuracy: (pgdRet - 0.05) * clean }],
    fgsm: EPS.map((eps) => ({ eps, accuracy: fgsmRet * clean })),
  };
}
const model = (corr: number[], pgd: number[], clean = CLEAN) => corr.map((c, s) => unit(s, c, pgd[s]!, pgd[s]!, clean));
const controls = (acc = 0.1) => Object.fromEntries([CNN, VIT, HYBRID].map((m) => [m, [0, 1, 2].map((seed) => ({ seed, cleanAccuracy: acc }))]));

const DRAW_CNN = [0.8, 0.81, 0.79], DRAW_VIT = [0.805, 0.8, 0.8];

describe('C3 robustness criterion', () => {
  it('draw in both categories (gaps well inside ±5 points, seeds agree) → reproduced', () => {
    const v = judgeRobustness({ trained: { [CNN]: model(DRAW_CNN, DRAW_CNN), [VIT]: model(DRAW_VIT, DRAW_VIT) }, untrained: controls() });
    expect(v.corruption.primary.outcome).toBe('draw');
    expect(v.adversarial.primary.outcome).toBe('draw');
    expect(v.verdict).toBe('reproduced');
  });

  it('the ResNet keeps 36 points more of its accuracy under PGD → adversarial contradicted, corruptions still a draw, claim partly', () => {
    const v = judgeRobustness({ trained: { [CNN]: model(DRAW_CNN, [0.6, 0.62, 0.58]), [VIT]: model(DRAW_VIT, [0.24, 0.26, 0.25]) }, untrained: controls() });
    expect(v.adversarial.primary.diff).toBeCloseTo(0.35, 2);
    expect(v.adversarial.primary.outcome).toBe('a'); // the CNN wins
    expect(v.adversarial.verdict).toBe('contradicted');
    expect(v.corruption.verdict).toBe('reproduced');
    expect(v.verdict).toBe('partly');
    // Each ε and FGSM are shown as parts, with the same winner here.
    const perEps = v.adversarial.parts.filter((p) => p.probe === 'pgd' && p.eps !== null);
    expect(perEps.map((p) => p.eps)).toEqual(EPS);
    expect(perEps.every((p) => p.outcome === 'a')).toBe(true);
  });

  it('the ViT wins under corruptions and PGD → contradicted', () => {
    const v = judgeRobustness({ trained: { [CNN]: model([0.6, 0.62, 0.61], [0.2, 0.22, 0.21]), [VIT]: model([0.75, 0.76, 0.74], [0.4, 0.41, 0.43]) }, untrained: controls() });
    expect(v.corruption.primary.outcome).toBe('b');
    expect(v.verdict).toBe('contradicted');
  });

  it('a 36-point mean gap with seeds that disagree is not a draw: not detected (reading overlap as a draw would call it reproduced)', () => {
    const v = judgeRobustness({ trained: { [CNN]: model(DRAW_CNN, [0.9, 0.3, 0.9]), [VIT]: model(DRAW_VIT, [0.2, 0.5, 0.3]) }, untrained: controls() });
    expect(v.adversarial.primary.ci95[0]).toBeLessThan(0); // no winner at 95%…
    expect(v.adversarial.primary.outcome).toBe('undecided'); // …and no equivalence either
    expect(v.adversarial.verdict).toBe('not-detected');
    expect(v.verdict).toBe('partly');
  });

  it('no mean difference but seeds spread over ±10 points → not detected in both categories', () => {
    const noisy = [0.7, 0.8, 0.9], flipped = [0.9, 0.8, 0.7];
    const v = judgeRobustness({ trained: { [CNN]: model(noisy, noisy), [VIT]: model(flipped, flipped) }, untrained: controls() });
    expect(v.corruption.primary.diff).toBeCloseTo(0, 12);
    expect(v.verdict).toBe('not-detected');
  });

  it('a gap that is real but smaller than the margin is a draw', () => {
    const cnn = DRAW_CNN.map((x) => x + 0.02);
    const v = judgeRobustness({ trained: { [CNN]: model(cnn, cnn), [VIT]: model(DRAW_CNN, DRAW_CNN) }, untrained: controls() });
    expect(v.corruption.primary.ci95[0]).toBeGreaterThan(0);
    expect(v.corruption.primary.ci90[1]).toBeLessThan(RETENTION_MARGIN);
    expect(v.corruption.primary.outcome).toBe('draw');
  });

  it('preconditions: two seeds, an undertrained model, a control at trained accuracy, or a missing control → inconclusive', () => {
    const ok = { [CNN]: model(DRAW_CNN, DRAW_CNN), [VIT]: model(DRAW_VIT, DRAW_VIT) };
    expect(judgeRobustness({ trained: ok, untrained: controls() }).verdict).toBe('reproduced');
    const two = { [CNN]: ok[CNN]!.slice(0, 2), [VIT]: ok[VIT]!.slice(0, 2) };
    expect(judgeRobustness({ trained: two, untrained: controls() }).verdict).toBe('inconclusive');
    const weak = { [CNN]: ok[CNN]!, [VIT]: model(DRAW_VIT, DRAW_VIT, MIN_CLEAN_ACCURACY - 0.2) };
    const w = judgeRobustness({ trained: weak, untrained: controls() });
    expect(w.preconditions.cleanAccuracy).toBe(false);
    expect(w.corruption.verdict).toBe('inconclusive');
    expect(w.verdict).toBe('inconclusive');
    expect(judgeRobustness({ trained: ok, untrained: controls(0.9) }).preconditions.control).toBe(false);
    expect(judgeRobustness({ trained: ok, untrained: {} }).verdict).toBe('inconclusive');
  });

  it('seeds are paired by their number, not their position', () => {
    const vit = model(DRAW_CNN, [0.24, 0.26, 0.25]).reverse();
    const v = judgeRobustness({ trained: { [CNN]: model(DRAW_CNN, DRAW_CNN), [VIT]: vit }, untrained: controls() });
    expect(v.corruption.primary.ci95[1] - v.corruption.primary.ci95[0]).toBeCloseTo(0, 12); // identical per-seed values pair exactly
  });

  it('the hybrid is compared with both and reported, without changing the CNN-vs-ViT verdict', () => {
    const v = judgeRobustness({ trained: { [CNN]: model(DRAW_CNN, DRAW_CNN), [VIT]: model(DRAW_VIT, DRAW_VIT), [HYBRID]: model([0.5, 0.51, 0.49], [0.1, 0.12, 0.11]) }, untrained: controls() });
    const hy = v.corruption.parts.filter((p) => p.b === HYBRID);
    expect(hy.map((p) => [p.a, p.outcome])).toEqual([[CNN, 'a'], [VIT, 'a']]);
    expect(v.control.map((c) => c.model)).toEqual([CNN, VIT, HYBRID]);
    expect(v.verdict).toBe('reproduced');
  });

  it('combining the two categories', () => {
    expect(combineCategories('reproduced', 'reproduced')).toBe('reproduced');
    expect(combineCategories('reproduced', 'contradicted')).toBe('partly');
    expect(combineCategories('not-detected', 'contradicted')).toBe('contradicted');
    expect(combineCategories('not-detected', 'not-detected')).toBe('not-detected');
    expect(combineCategories('reproduced', 'inconclusive')).toBe('inconclusive');
  });
});
