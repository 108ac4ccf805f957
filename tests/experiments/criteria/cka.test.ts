import { describe, expect, it } from 'vitest';
import { alignment, ckaVerdict, MIN_DELTA_GAIN, MIN_IMAGES, type CkaSeed } from '../../../scripts/experiments/criteria/cka';
import { meanCi95 } from '../../../scripts/lib/metrics/seed-stats';

/** The rule the experiment used before the model pool, on trained matrices alone: Δ's interval above 0 and all-early in every seed. */
function legacyVerdictOf(mats: number[][][]): { verdict: string } {
  const st = mats.map(alignment);
  const delta = meanCi95(st.map((s) => s.delta));
  return { verdict: delta.n > 1 && delta.ci95[0] > 0 && st.every((s) => s.allEarly) ? 'reproduced' : delta.mean > 0 ? 'partly' : 'not-reproduced' };
}

const ROWS = 6, COLS = 8; // ResNet stem + 5 blocks; ViT stem + 7 blocks: early rows 0–2, shallow cols 0–2
/**
 * A CNN × ViT matrix: 0.3 everywhere, early rows × shallow columns raised by `delta`, the diagonal
 * of that corner raised a little more (so its argmax is early), and a per-seed wobble.
 */
function matrix(delta: number, seed: number, lateArgmax = false): number[][] {
  return Array.from({ length: ROWS }, (_, i) => Array.from({ length: COLS }, (_, j) => {
    let v = 0.3 + 0.004 * Math.sin(7 * seed + 3 * i + j);
    if (i < 3 && j < 3) v += delta + (i === j ? 0.01 : 0);
    if (lateArgmax && i === ROWS - 1 && j === 0) v += 1;
    return v;
  }));
}
/** Three seeds; the untrained networks share Δ ≈ 0.056 and all-early, as two untrained minis do. */
const seeds = (trainedDelta: number, untrainedDelta = 0.056, n = 3): CkaSeed[] =>
  Array.from({ length: n }, (_, s) => ({ seed: s, trained: matrix(trainedDelta + 0.01 * s, s), untrained: matrix(untrainedDelta, s + 10) }));

describe('criteria/cka', () => {
  it('alignment: Δ is the early-minus-late mean over shallow columns, known example', () => {
    // 2 rows (1 early), 3 columns (1 shallow): Δ = m[0][0] − m[1][0].
    expect(alignment([[0.9, 0, 0], [0.4, 1, 1]])).toEqual({ delta: expect.closeTo(0.5, 12), allEarly: true });
    expect(alignment([[0.2, 0, 0], [0.4, 1, 1]]).allEarly).toBe(false);
    expect(() => alignment([[1, 2]])).toThrow();
  });

  it('two untrained-like networks (Δ 0.056, all early in 3/3): the old rule says reproduced, this one not detected', () => {
    const s = seeds(0.056);
    expect(legacyVerdictOf(s.map((x) => x.trained)).verdict).toBe('reproduced');
    const v = ckaVerdict({ vit: s, images: 2048 });
    expect(v.verdict).toBe('not-detected');
    expect(v.control.untrainedAllEarlySeeds).toBe(3);
    expect(v.parts.vit.gain.direction).toBe('none');
  });

  it('training adds alignment beyond the control → reproduced; the same gain the other way → contradicted', () => {
    expect(ckaVerdict({ vit: seeds(0.3), images: 2048 }).verdict).toBe('reproduced');
    const down = ckaVerdict({ vit: seeds(0.056 - 0.2, 0.056), images: 2048 });
    expect(down.verdict).toBe('contradicted');
    expect(down.parts.vit.gain.ci95[1]).toBeLessThan(0);
  });

  it('the verdict flips at the minimum gain', () => {
    const just = (g: number) => ckaVerdict({ vit: seeds(0.056 + g - 0.01), images: 2048 }).verdict; // seeds add 0, 0.01, 0.02
    expect(just(MIN_DELTA_GAIN - 0.02)).toBe('not-detected');
    expect(just(MIN_DELTA_GAIN + 0.02)).toBe('reproduced');
  });

  it('a large mean gain that is not consistent across seeds → not detected (the interval reaches 0)', () => {
    const s = seeds(0.056);
    [0.5, -0.3, 0.4].forEach((g, k) => { s[k] = { ...s[k]!, trained: matrix(0.056 + g, k) }; });
    const v = ckaVerdict({ vit: s, images: 2048 });
    expect(v.parts.vit.gain.mean).toBeGreaterThan(MIN_DELTA_GAIN);
    expect(v.verdict).toBe('not-detected');
  });

  it('a gain whose shallow layers do not all peak on early CNN layers → partly', () => {
    const s = seeds(0.3);
    s[1] = { ...s[1]!, trained: matrix(0.3, 1, true) };
    expect(ckaVerdict({ vit: s, images: 2048 }).verdict).toBe('partly');
  });

  it('too few seeds or too few images → inconclusive, whatever the effect', () => {
    expect(ckaVerdict({ vit: seeds(0.3, 0.056, 2), images: 2048 }).verdict).toBe('inconclusive');
    expect(ckaVerdict({ vit: seeds(0.3), images: MIN_IMAGES - 1 }).verdict).toBe('inconclusive');
    const nan = seeds(0.3);
    nan[0]!.untrained[0]![0] = NaN;
    expect(ckaVerdict({ vit: nan, images: 2048 }).verdict).toBe('inconclusive');
  });

  it('the hybrid is judged beside the ViT under the same rule without deciding the verdict', () => {
    const v = ckaVerdict({ vit: seeds(0.056), hybrid: seeds(0.4), images: 4096 });
    expect(v.verdict).toBe('not-detected');
    expect(v.parts.hybrid?.verdict).toBe('reproduced');
    expect(v.parts.hybrid?.gain.mean).toBeCloseTo(0.4 - 0.056 + 0.01, 2);
  });
});
