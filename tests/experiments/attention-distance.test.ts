// attention-distance: the C5 criterion on hand-made unit results, and a quick-profile smoke run
// (train tiny, measure, summarize, validate the verdict).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as exp from '../../scripts/experiments/attention-distance';
import { selectBackend } from '../../scripts/lib/engine/backend';
import { fashionMnistAvailable } from '../../scripts/lib/data/fashion-mnist';
import { mergeConfig } from '../../scripts/lib/experiments/cache';
import type { Experiment, UnitRecord } from '../../scripts/lib/experiments/types';
import { verdictSchema } from '../../src/lib/experiments/verdict';
import { hasSystemDep } from '../helpers/system-deps';
import { renderSvg } from '../../src/components/charts/render-svg';
import { makeT } from '../../src/lib/i18n/t';
import { attentionDistanceByDepth, attentionDistanceClassToken } from '../../src/components/charts/attention-distance';


/** A unit result with given head distances per layer (uniform distance 14.44 px, as the 7×7 grid of 4 px). */
const unit = (regime: 'small' | 'full', seed: number, layers: number[][]) => ({
  model: 'vit_mini_patch4_28', regime, seed, uniformDistance: 14.44, images: 1, training: { testAccuracy: 0.8, trainImages: 1 },
  layers: layers.map((hs, i) => ({ layer: i + 1, heads: hs.map((distance) => ({ distance, clsQuery: 10, clsKeyMass: 0.1 })) })),
});
const global = [13, 14, 14, 15], mixed = [3, 9, 14, 15], deep = [14, 14, 14, 14];

describe('attention-distance criterion', () => {
  it('counts local heads in the first third of the layers only', () => {
    expect(exp.shallowLayers(6)).toBe(2);
    expect(exp.shallowStats(unit('full', 0, [mixed, global, [1, 1, 1, 1], deep, deep, deep]))).toEqual({ minDistance: 3, localHeads: 1 });
  });
  it('reproduced: local heads in every full-data seed, none in any small-data seed', () => {
    const small = [0, 1, 2].map((s) => unit('small', s, [global, global, deep, deep, deep, deep]));
    const full = [0, 1, 2].map((s) => unit('full', s, [mixed, global, deep, deep, deep, deep]));
    expect(exp.verdictOf(small, full).verdict).toBe('reproduced');
  });
  it('partly: full-data heads are closer by a clear margin, but small-data has local heads too', () => {
    const small = [0, 1, 2].map((s) => unit('small', s, [[6 + s * 0.1, 12, 14, 15], global, deep, deep, deep, deep]));
    const full = [0, 1, 2].map((s) => unit('full', s, [[2 + s * 0.2, 12, 14, 15], global, deep, deep, deep, deep]));
    const v = exp.verdictOf(small, full);
    expect(v.verdict).toBe('partly');
    expect(v.diff.mean).toBeCloseTo(4 - 0.1, 10);
  });
  it('not reproduced: no difference', () => {
    const small = [0, 1, 2].map((s) => unit('small', s, [[10 + s, 12, 14, 15], global, deep, deep, deep, deep]));
    const full = [0, 1, 2].map((s) => unit('full', s, [[10 + 2 - s, 12, 14, 15], global, deep, deep, deep, deep]));
    expect(exp.verdictOf(small, full).verdict).toBe('not-reproduced');
  });
});

const hasFm = hasSystemDep('Fashion-MNIST (attention-distance quick run)', fashionMnistAvailable(), 'apt-get install -y dataset-fashion-mnist');

describe.skipIf(!hasFm)('attention-distance quick profile', () => {
  let root: string;
  beforeAll(async () => { root = mkdtempSync(join(tmpdir(), 'atlas-ad-')); process.env.ATLAS_RESULTS_DIR = root; await selectBackend(); });
  afterAll(() => { delete process.env.ATLAS_RESULTS_DIR; rmSync(root, { recursive: true, force: true }); });

  it('measures every head of every layer and summarizes into a valid verdict', async () => {
    const cfg = mergeConfig(exp as unknown as Experiment, 'quick') as typeof exp.defaults;
    const ctx = { profile: 'quick' as const, progress: () => {}, log: () => {} };
    const records: UnitRecord[] = [];
    for (const u of exp.units('quick', cfg)) {
      const result = await exp.runUnit(u, cfg, ctx);
      records.push({ experiment: exp.id, unit: u, cacheKey: 'x', codeVersion: exp.codeVersion, config: cfg, claims: exp.claims, result, provenance: { wallMs: 1000 } as UnitRecord['provenance'] });
    }
    const vit = records.find((r) => r.unit.model === 'vit_mini_patch4_28')!.result as unknown as { layers: Array<{ heads: Array<{ distance: number }> }>; uniformDistance: number };
    expect(vit.layers).toHaveLength(6);
    expect(vit.layers.every((l) => l.heads.length === 4 && l.heads.every((h) => h.distance > 0 && h.distance < 40))).toBe(true);
    expect(vit.uniformDistance).toBeCloseTo(14.44, 1);
    const out = exp.summarize(records, cfg, 'quick');
    const v = verdictSchema.parse(out.verdict);
    expect(v.claims).toEqual(['C5']);
    expect((out.values as { values: Record<string, unknown> }).values.uniform_distance).toBeDefined();
    // Every chart of the experiment renders from the summary in both languages, with a description.
    for (const def of [attentionDistanceByDepth, attentionDistanceClassToken]) {
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
