/** The lab's models from the pool's manifest: per architecture, the full-regime model of the lowest seed. */
import { loadPool, poolFileUrl, type PoolManifest } from '~/lib/experiments/load-pool';
import { LAB_ARCHS, type LabModels } from './types';

export function labModels(pool: PoolManifest | undefined = loadPool()): LabModels {
  return {
    models: LAB_ARCHS.map((arch) => {
      const m = pool?.models.filter((x) => x.arch === arch && x.regime === 'full').sort((a, b) => a.seed - b.seed)[0];
      return m ? { arch, id: m.id, weights: poolFileUrl(m.weights), sha256: m.sha256 } : { arch, id: null, weights: null, sha256: null };
    }),
  };
}
