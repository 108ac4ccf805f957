/** Reads generated/pool/manifest.json: undefined until a pool model is committed; a malformed file fails the build naming it. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATED_DIR, loadGenerated } from '~/lib/generated';
import { poolManifestSchema, type PoolManifest, type PoolModel } from '../../../contracts/pool';
import { validated } from '../../../contracts/json-file';

export type { PoolManifest, PoolModel };

let cache: PoolManifest | null | undefined;

export function loadPool(): PoolManifest | undefined {
  if (cache !== undefined) return cache ?? undefined;
  const path = join(GENERATED_DIR, 'pool', 'manifest.json');
  if (!existsSync(path)) { cache = null; return undefined; }
  cache = validated(poolManifestSchema, loadGenerated('pool', 'manifest.json'), path, 'contracts/pool.ts', 'rerun `npm run generate` (it rewrites the manifest from the committed units)');
  return cache;
}

/** Where the site serves a pool file (src/pages/pool/weights/[file].ts): `weights/<id>.weights.bin` → `/pool/weights/<id>.weights.bin`. */
export const poolFileUrl = (relPath: string): string => `/pool/${relPath}`;

export interface PoolGroup {
  arch: string;
  regime: 'full' | 'small';
  models: PoolModel[];
  mean: number;
  min: number;
  max: number;
  /** The full regime's floor for this architecture, if it has one. */
  floor?: number;
}

/** Models grouped by (architecture, regime) in manifest order, with the test-accuracy mean and range over seeds. */
export function poolGroups(m: PoolManifest): PoolGroup[] {
  const groups = new Map<string, PoolModel[]>();
  for (const x of m.models) {
    const k = `${x.arch}|${x.regime}`;
    groups.set(k, [...(groups.get(k) ?? []), x]);
  }
  return [...groups.values()].map((models) => {
    const acc = models.map((x) => x.testAccuracy);
    const { arch, regime } = models[0]!;
    const floor = regime === 'full' ? m.floors[arch] : undefined;
    return { arch, regime, models, mean: acc.reduce((a, b) => a + b, 0) / acc.length, min: Math.min(...acc), max: Math.max(...acc), ...(floor !== undefined ? { floor } : {}) };
  });
}

export interface PlateauCount {
  total: number;
  /** Models whose last-20% gain is at or above the manifest's limit (or could not be measured). */
  missed: PoolModel[];
  /** Standard error, in accuracy, of one validation accuracy at the missed models' mean validation accuracy. */
  missedSe?: number;
}

/** How many models plateaued by the pool's rule, which did not, and the sampling error of one validation score beside them. */
export function plateauCount(m: PoolManifest): PlateauCount {
  const missed = m.models.filter((x) => x.plateauGain === null || x.plateauGain >= m.plateauLimit);
  const n = Number(m.recipe.valImages);
  if (!missed.length || !(n > 0)) return { total: m.models.length, missed };
  const p = missed.reduce((a, x) => a + x.valAccuracy, 0) / missed.length;
  return { total: m.models.length, missed, missedSe: Math.sqrt((p * (1 - p)) / n) };
}
