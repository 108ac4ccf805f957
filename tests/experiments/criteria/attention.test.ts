import { describe, expect, it } from 'vitest';
import { attentionVerdict, headSummary, LOCAL_FRACTION, type AttentionSeed } from '../../../scripts/experiments/criteria/attention';
import { tokenGrid, uniformDistance } from '../../../scripts/lib/metrics/attention-distance';

const U = uniformDistance(tokenGrid(7, 7, 4, 1)); // 14.44 px on the ViT-mini's grid
const LAYERS = 6, HEADS = 4; // shallow: layers 0–1, deep: layers 4–5
const wobble = (s: number, l: number, h: number) => 0.02 * Math.sin(5 * s + 3 * l + h);

/** [layer][head] px: every head at `rest`·U, except head 0 of the shallow layers at `localHead`·U. */
function net(seed: number, rest: number, localHead = rest, deep = rest): number[][] {
  return Array.from({ length: LAYERS }, (_, l) => Array.from({ length: HEADS }, (_, h) =>
    U * ((l < 2 && h === 0 ? localHead : l >= LAYERS - 2 ? deep : rest) + wobble(seed, l, h))));
}
const seeds = (full: (s: number) => number[][], small: (s: number) => number[][], init = (s: number) => net(s + 20, 1), n = 3): AttentionSeed[] =>
  Array.from({ length: n }, (_, s) => ({ seed: s, full: full(s), small: small(s), init: init(s) }));
const uniformish = (s: number) => net(s, 0.99);

describe('criteria/attention', () => {
  it('headSummary: shallow minimum and thirds, known example', () => {
    const d = [[2, 4], [6, 8], [10, 12]]; // 3 layers: shallow = layer 0, deep = layer 2
    expect(headSummary(d, 2)).toEqual({ shallowMin: 1, shallowMean: 1.5, deepMean: 5.5 });
    expect(() => headSummary([[1]], 2)).toThrow();
  });

  it('attention as uniform as the untrained network, in both regimes → not detected', () => {
    const v = attentionVerdict({ uniformPx: U, seeds: seeds(uniformish, uniformish) });
    expect(v.verdict).toBe('not-detected');
    expect(v.parts.local.direction).toBe('none');
  });

  it('a local shallow head and global deep layers with full data only → reproduced', () => {
    const v = attentionVerdict({ uniformPx: U, seeds: seeds((s) => net(s, 0.9, 0.3, 1.0), (s) => net(s, 0.95)) });
    expect(v.verdict).toBe('reproduced');
    expect(v.parts.fullShallowMin.mean).toBeLessThan(LOCAL_FRACTION);
    expect(v.parts.data.direction).toBe('found');
    expect(v.parts.depth.direction).toBe('found');
  });

  it('local heads in the small-data ViT too → partly (the data part is missing)', () => {
    const local = (s: number) => net(s, 0.9, 0.3, 1.0);
    const v = attentionVerdict({ uniformPx: U, seeds: seeds(local, local) });
    expect(v.verdict).toBe('partly');
    expect(v.parts.smallLocal.direction).toBe('found');
  });

  it('training makes shallow heads more global than untrained, or only the small-data ViT local → contradicted', () => {
    expect(attentionVerdict({ uniformPx: U, seeds: seeds((s) => net(s, 1.3), uniformish) }).verdict).toBe('contradicted');
    expect(attentionVerdict({ uniformPx: U, seeds: seeds(uniformish, (s) => net(s, 0.9, 0.3)) }).verdict).toBe('contradicted');
  });

  it('a local head in some seeds only → not detected (the intervals reach 0)', () => {
    const v = attentionVerdict({ uniformPx: U, seeds: seeds((s) => (s === 1 ? uniformish(s) : net(s, 0.9, 0.3, 1.0)), (s) => net(s, 0.95)) });
    expect(v.parts.data.mean).toBeGreaterThan(0.1);
    expect(v.verdict).toBe('not-detected');
  });

  it('the verdict flips when the shallow head crosses the local line', () => {
    const at = (x: number) => attentionVerdict({ uniformPx: U, seeds: seeds((s) => net(s, 0.9, x, 1.0), (s) => net(s, 0.95)) }).verdict;
    expect(at(LOCAL_FRACTION - 0.05)).toBe('reproduced');
    expect(at(LOCAL_FRACTION + 0.1)).toBe('partly'); // less global than untrained, but not local
  });

  it('an untrained control that already has a local shallow head, or too few seeds → inconclusive', () => {
    const present = (s: number) => net(s, 0.9, 0.3, 1.0);
    expect(attentionVerdict({ uniformPx: U, seeds: seeds(present, (s) => net(s, 0.95), (s) => net(s + 20, 1, 0.4)) }).verdict).toBe('inconclusive');
    expect(attentionVerdict({ uniformPx: U, seeds: seeds(present, (s) => net(s, 0.95), undefined, 2) }).verdict).toBe('inconclusive');
  });
});
