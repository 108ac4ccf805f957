/**
 * The lab's models from the pool's manifest. Per architecture, the full-regime model of the lowest
 * seed when the pool has one, else the small-regime one: every architecture answers as soon as any
 * of its units is committed, and moves to full-data weights when those land, with no code change.
 */
import { loadPool, poolFileUrl, type PoolManifest, type PoolModel } from '~/lib/experiments/load-pool';
import { LAB_ARCHS, LAB_OPTIONAL, type LabModel, type LabModels } from './types';

const REGIME_ORDER = ['full', 'small'] as const;

/** The pool's model of one architecture and regime with the lowest seed. */
const pick = (pool: PoolManifest | undefined, arch: string, regime: 'full' | 'small'): PoolModel | undefined =>
  pool?.models.filter((x) => x.arch === arch && x.regime === regime).sort((a, b) => a.seed - b.seed)[0];

const column = (key: string, arch: string, m: PoolModel | undefined, optional: boolean): LabModel => m
  ? { key, arch, id: m.id, weights: poolFileUrl(m.weights), sha256: m.sha256, regime: m.regime, trainImages: m.trainImages, testAccuracy: m.testAccuracy, optional }
  : { key, arch, id: null, weights: null, sha256: null, regime: null, trainImages: null, testAccuracy: null, optional };

export function labModels(pool: PoolManifest | undefined = loadPool()): LabModels {
  const main = LAB_ARCHS.map((arch) => {
    const m = REGIME_ORDER.map((r) => pick(pool, arch, r)).find((x) => x !== undefined);
    return column(arch, arch, m, false);
  });
  const models = [...main];
  const host = main.find((m) => m.key === LAB_OPTIONAL.arch);
  const extra = pick(pool, LAB_OPTIONAL.arch, LAB_OPTIONAL.regime);
  if (extra && host?.regime !== LAB_OPTIONAL.regime) models.push(column(LAB_OPTIONAL.key, LAB_OPTIONAL.arch, extra, true));
  return { models };
}
