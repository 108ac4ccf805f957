// cka: the C7 criterion on hand-made matrices, and a quick-profile smoke run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as exp from '../../scripts/experiments/cka';
import { selectBackend } from '../../scripts/lib/engine/backend';
import { fashionMnistAvailable } from '../../scripts/lib/data/fashion-mnist';
import { mergeConfig } from '../../scripts/lib/experiments/cache';
import type { Experiment, UnitRecord } from '../../scripts/lib/experiments/types';
import { verdictSchema } from '../../src/lib/experiments/verdict';
import { hasSystemDep } from '../helpers/system-deps';
import { renderSvg } from '../../src/components/charts/render-svg';
import { makeT } from '../../src/lib/i18n/t';
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

const hasFm = hasSystemDep('Fashion-MNIST (cka quick run)', fashionMnistAvailable(), 'apt-get install -y dataset-fashion-mnist');

describe.skipIf(!hasFm)('cka quick profile', () => {
  let root: string;
  beforeAll(async () => { root = mkdtempSync(join(tmpdir(), 'atlas-cka-')); process.env.ATLAS_RESULTS_DIR = root; await selectBackend(); });
  afterAll(() => { delete process.env.ATLAS_RESULTS_DIR; rmSync(root, { recursive: true, force: true }); });

  it('compares every pair of layers, 1 on the diagonal of a network against itself', async () => {
    const cfg = mergeConfig(exp as unknown as Experiment, 'quick') as typeof exp.defaults;
    const ctx = { profile: 'quick' as const, progress: () => {}, log: () => {} };
    const [u] = exp.units('quick', cfg);
    const result = await exp.runUnit(u!, cfg, ctx);
    const pairs = (result as unknown as { pairs: Array<{ pair: string; unbiased: number[][]; biased: number[][] }> }).pairs;
    const self = pairs.find((p) => p.pair === 'vit|vit')!;
    self.unbiased.forEach((r, i) => expect(r[i]).toBeCloseTo(1, 3));
    const cross = pairs.find((p) => p.pair === 'cnn|vit')!;
    expect(cross.unbiased).toHaveLength(7);
    expect(cross.unbiased[0]).toHaveLength(7);
    for (const r of cross.biased) for (const v of r) { expect(v).toBeGreaterThanOrEqual(0); expect(v).toBeLessThanOrEqual(1 + 1e-6); }
    const records = [{ experiment: exp.id, unit: u!, cacheKey: 'x', codeVersion: exp.codeVersion, config: cfg, claims: exp.claims, result, provenance: { wallMs: 1000 } } as unknown as UnitRecord];
    const out = exp.summarize(records, cfg, 'quick');
    expect(verdictSchema.parse(out.verdict).claims).toEqual(['C7']);
    // Every chart of the experiment renders from the summary in both languages, with a description.
    for (const def of [ckaResnetVit, ckaVitVit]) {
      for (const lang of ['en', 'ja'] as const) {
        const t = makeT(lang);
        const svg = await renderSvg(def.spec(def.rows(out.data as never), t, lang));
        expect(svg.startsWith('<svg')).toBe(true);
        expect(svg).toContain(t(def.titleKey).slice(0, 8));
        expect(def.describe(out.data as never, t, lang).length).toBeGreaterThan(20);
      }
    }
  });
});
