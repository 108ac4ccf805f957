/** Every chart on the site, by id `<experiment>/<chart>`. Add a chart: write its def beside this file and list it here. */
import type { ChartDef } from './types';
import { attentionCost } from './attention-cost';
import { top1VsFlops } from './top1-vs-flops';
import { frequencyBandDrop, frequencyFeatureAmplitude, frequencyHeatmap } from './frequency-noise';
import { robustnessAdversarial, robustnessCorruptions } from './robustness';
import { shapeBiasByModel, shapeBiasProbes, shapeBiasProbesSynthetic, shapeBiasSynthetic } from './shape-bias';
import { dataEfficiencyAccuracy, dataEfficiencyGap } from './data-efficiency';
import { attentionDistanceByDepth, attentionDistanceClassToken } from './attention-distance';
import { receptiveFieldMaps, receptiveFieldRadius } from './receptive-field';
import { ckaResnetHybrid, ckaResnetVit, ckaResnetVitInit, ckaVitVit } from './cka';
import { modelScalingCharts } from './model-scaling';
import { lossLandscapeSlices, lossLandscapeSurface } from './loss-landscape';
import { hessianDensity, hessianNegativeMass, hessianTop } from './hessian';
import { poolCurvesFull, poolCurvesSmall } from './pool';

const DEFS: ChartDef<any>[] = [attentionCost, top1VsFlops, ...modelScalingCharts()];
// frequency-noise (C2), robustness (C3) (issue 6)
DEFS.push(frequencyBandDrop, frequencyHeatmap, frequencyFeatureAmplitude, robustnessCorruptions, robustnessAdversarial);
// shape-bias (C1), data-efficiency (C4, C7) (issue 6)
DEFS.push(shapeBiasByModel, shapeBiasSynthetic, shapeBiasProbes, shapeBiasProbesSynthetic, dataEfficiencyAccuracy, dataEfficiencyGap);
// loss-landscape, hessian (issue 7, C6)
DEFS.push(lossLandscapeSurface, lossLandscapeSlices, hessianTop, hessianDensity, hessianNegativeMass);
// attention-distance, receptive-field, cka (issue 7)
DEFS.push(attentionDistanceByDepth, attentionDistanceClassToken, receptiveFieldRadius, receptiveFieldMaps, ckaResnetVit, ckaVitVit, ckaResnetHybrid, ckaResnetVitInit);

// the model pool's training curves
DEFS.push(poolCurvesFull, poolCurvesSmall);

export const CHARTS: ReadonlyMap<string, ChartDef<any>> = new Map(DEFS.map((d) => [d.id, d]));

export function getChart(id: string): ChartDef<any> {
  const def = CHARTS.get(id);
  if (!def) {
    throw new Error(`Unknown chart "${id}". Known charts: ${[...CHARTS.keys()].join(', ')}. Fix: register it in src/components/charts/registry.ts.`);
  }
  return def;
}

export { toCsv } from './csv';
