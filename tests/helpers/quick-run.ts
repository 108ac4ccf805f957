/**
 * The quick-profile harness of tests/experiments: a temp results dir, every quick unit run with a
 * silent context, hand-built unit records, and every chart of an experiment rendered in en and ja.
 *
 *   const hasFm = hasFashionMnist('cka quick run');
 *   describe.skipIf(!hasFm)('cka quick profile', () => {
 *     useTempResultsDir('atlas-cka-');
 *     it('…', async () => {
 *       const { cfg, records } = await runQuickUnits(exp);
 *       await expectChartsRender([ckaResnetVit, ckaVitVit], exp.summarize(records, cfg, 'quick').data);
 *     });
 *   });
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { fashionMnistAvailable } from '../../scripts/lib/data/fashion-mnist';
import { selectBackend } from '../../scripts/lib/engine/backend';
import { mergeConfig } from '../../scripts/lib/experiments/cache';
import type { Experiment, Json, RunContext, Unit, UnitRecord } from '../../scripts/lib/experiments/types';
import { renderSvg } from '../../src/components/charts/render-svg';
import type { ChartDef } from '../../src/components/charts/types';
import { makeT } from '../../src/lib/i18n/t';
import { hasSystemDep } from './system-deps';

/**
 * An experiment module as imported (`import * as exp`): its config type is an object literal, not
 * the Json record `Experiment` asks for, so the harness takes the module and reads it as one.
 */
type ExperimentModule<C> = Pick<Experiment, 'id' | 'claims' | 'codeVersion'> & { defaults: C };

/** Whether Fashion-MNIST is installed; a loud skip message (or a failure in CI) naming `what` if not. */
export function hasFashionMnist(what: string): boolean {
  return hasSystemDep(`Fashion-MNIST (${what})`, fashionMnistAvailable(), 'apt-get install -y dataset-fashion-mnist');
}

/** For the enclosing describe: a fresh temp dir in env var `envVar`, removed (and the variable unset) after. */
export function useTempDir(envVar: string, prefix: string): void {
  let dir = '';
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), prefix)); process.env[envVar] = dir; });
  afterAll(() => { delete process.env[envVar]; rmSync(dir, { recursive: true, force: true }); });
}

/** For the enclosing describe: unit results go to a temp ATLAS_RESULTS_DIR, and a tfjs backend is selected. */
export function useTempResultsDir(prefix: string): void {
  useTempDir('ATLAS_RESULTS_DIR', prefix);
  beforeAll(async () => { await selectBackend(); });
}

/** The record the runner would write for one unit (provenance reduced to its wall time). */
export function toRecord<C>(exp: ExperimentModule<C>, unit: Unit, cfg: C, result: Json): UnitRecord {
  return { experiment: exp.id, unit, cacheKey: 'x', codeVersion: exp.codeVersion, config: cfg as Record<string, Json>, claims: exp.claims, result, provenance: { wallMs: 1000 } as UnitRecord['provenance'] };
}

/** The merged quick config, and a record per quick unit, run in order with a silent context. */
export async function runQuickUnits<C>(exp: ExperimentModule<C>): Promise<{ cfg: C; records: UnitRecord[] }> {
  const e = exp as unknown as Experiment;
  const cfg = mergeConfig(e, 'quick');
  const ctx: RunContext = { profile: 'quick', progress: () => {}, log: () => {} };
  const records: UnitRecord[] = [];
  for (const u of e.units('quick', cfg)) records.push(toRecord(exp, u, cfg as C, await e.runUnit(u, cfg, ctx)));
  return { cfg: cfg as C, records };
}

/** Every chart renders from `data` in both languages to an SVG with its title, and describes it in words. */
export async function expectChartsRender(defs: readonly ChartDef[], data: unknown): Promise<void> {
  for (const def of defs) {
    for (const lang of ['en', 'ja'] as const) {
      const t = makeT(lang);
      const svg = await renderSvg(def.spec(def.rows(data), t, lang));
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg).toContain(t(def.titleKey).slice(0, 8));
      expect(def.describe(data, t, lang).length).toBeGreaterThan(20);
    }
  }
}
