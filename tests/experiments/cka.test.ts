// cka: the C7 criterion on hand-made matrices, and a quick-profile smoke run.
import { describe, expect, it } from 'vitest';
import * as exp from '../../scripts/experiments/cka';
import { verdictSchema } from '../../contracts/verdict';
import { expectChartsRender, hasFashionMnist, runQuickUnits, useTempResultsDir } from '../helpers/quick-run';
import { ckaResnetVit, ckaVitVit } from '../../src/components/charts/cka';


/** A 7 (CNN) × 7 (ViT) matrix with CKA falling off with the distance between relative depths. */
const diagonal = (shift = 0) => Array.from({ length: 7 }, (_, i) => Array.from({ length: 7 }, (_, j) => Math.max(0, 1 - Math.abs(i - j - shift) / 7)));

describe('cka criterion', () => {
  it('shallow = first third of the ViT, early = first half of the CNN', () => {
    expect([exp.shallowCount(7), exp.earlyCount(7)]).toEqual([3, 4]);
  });
  it('Δ and argmax on a known matrix', () => {
    const s = exp.shallowStats(diagonal());
    expect(s.argmax).toEqual([0, 1, 2]);
    expect(s.allEarly).toBe(true);
    // early rows 0–3 × cols 0–2 versus late rows 4–6.
    let e = 0, l = 0;
    for (let j = 0; j < 3; j++) { for (let i = 0; i < 4; i++) e += 1 - Math.abs(i - j) / 7; for (let i = 4; i < 7; i++) l += 1 - Math.abs(i - j) / 7; }
    expect(s.delta).toBeCloseTo(e / 12 - l / 9, 12);
  });
  it('reproduced for a diagonal, not for an anti-diagonal', () => {
    expect(exp.verdictOf([diagonal(), diagonal(0.2), diagonal(-0.2)]).verdict).toBe('reproduced');
    const anti = diagonal().map((r) => r.slice().reverse()).reverse();
    // Reversing both axes keeps the diagonal; reverse only the rows to make shallow ViT match the late CNN.
    const flipped = diagonal().slice().reverse();
    expect(exp.verdictOf([flipped, flipped, flipped]).verdict).toBe('not-reproduced');
    expect(exp.verdictOf([anti, anti, anti]).verdict).toBe('reproduced');
  });
});

const hasFm = hasFashionMnist('cka quick run');

describe.skipIf(!hasFm)('cka quick profile', () => {
  useTempResultsDir('atlas-cka-');

  it('compares every pair of layers, 1 on the diagonal of a network against itself', async () => {
    const { cfg, records } = await runQuickUnits(exp);
    expect(records).toHaveLength(1); // one seed in the quick profile
    const result = records[0]!.result;
    const pairs = (result as unknown as { pairs: Array<{ pair: string; unbiased: number[][]; biased: number[][] }> }).pairs;
    const self = pairs.find((p) => p.pair === 'vit|vit')!;
    self.unbiased.forEach((r, i) => expect(r[i]).toBeCloseTo(1, 3));
    const cross = pairs.find((p) => p.pair === 'cnn|vit')!;
    expect(cross.unbiased).toHaveLength(7);
    expect(cross.unbiased[0]).toHaveLength(7);
    for (const r of cross.biased) for (const v of r) { expect(v).toBeGreaterThanOrEqual(0); expect(v).toBeLessThanOrEqual(1 + 1e-6); }
    const out = exp.summarize(records, cfg, 'quick');
    expect(verdictSchema.parse(out.verdict).claims).toEqual(['C7']);
    // Every chart of the experiment renders from the summary in both languages, with a description.
    await expectChartsRender([ckaResnetVit, ckaVitVit], out.data);
  });
});
