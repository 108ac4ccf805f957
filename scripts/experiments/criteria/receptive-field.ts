/**
 * Effective receptive field (C5), fixed before the run: "ViT's ERF is wide already in its lowest
 * layers while a CNN's grows block by block" (Raghu et al. 2021, Fig. 6), judged on what training
 * changes: each radius is taken trained minus untrained for the same architecture and seed, since the
 * untrained networks already differ by construction (attention reads every patch, a 3×3 conv does not).
 *
 * Wiring: per seed s (≥ MIN_SEEDS), erfRadii(…)[r90] of every block output (stem excluded, depth order)
 * for each family (resnet_mini_28, vit_mini_patch4_28; hybrid_mini_28 and others are reported) at
 * poolMini(…, 'full', s) and poolMini(…, 'init', s) on the same test images, plus maxRadius(H, W, centre).
 *
 *   rfVerdict({ cnn: [{ seed, trained: [r90…], untrained: [r90…] }, …], vit: […], maxRadiusPx: 19.09 })
 */
import type { RuleVerdict } from '../../../contracts/verdict';
import { meanCi95, type MeanCi } from '../../lib/metrics/seed-stats';
import { pairedEffect, type Effect } from './paired-effect';

export const MIN_SEEDS = 3;
/** Radii are distances between pixel centres, so a change below one pixel can be one ring of pixels entering. */
export const MIN_RF_GAIN_PX = 1;
/** At 0.9 of the farthest pixel's distance the disc covers all but the corners: a wider ERF could not show. */
export const CEILING_FRACTION = 0.9;

/** One seed of one family: r90 (px) after every block, trained and untrained. */
export interface RfSeed { seed: number; trained: number[]; untrained: number[] }
export interface RfInputs { cnn: RfSeed[]; vit: RfSeed[]; others?: Record<string, RfSeed[]>; maxRadiusPx: number }

/** Distance (px) from `centre` to the farthest pixel centre of an H×W image: the largest radius erfRadii can return. */
export function maxRadius(H: number, W: number, centre: readonly [number, number]): number {
  const dy = Math.max(Math.abs(0.5 - centre[0]), Math.abs(H - 0.5 - centre[0])), dx = Math.max(Math.abs(0.5 - centre[1]), Math.abs(W - 0.5 - centre[1]));
  return Math.hypot(dy, dx);
}

export interface FamilyGain {
  /** Trained − untrained r90 after the first and after the last block, per seed. */
  first: MeanCi;
  last: MeanCi;
}

export function familyGain(seeds: readonly RfSeed[]): FamilyGain {
  return {
    first: meanCi95(seeds.map((s) => s.trained[0]! - s.untrained[0]!)),
    last: meanCi95(seeds.map((s) => s.trained.at(-1)! - s.untrained.at(-1)!)),
  };
}

export interface RfParts {
  /** [(ViT − CNN) r90 after the first block] trained minus untrained: training widens ViT's shallow ERF beyond the CNN's. */
  wider: Effect;
  /** [CNN r90 last − first block] trained minus untrained: training makes the CNN's ERF grow more with depth (Luo et al. 2016, Sec. 4). */
  growth: Effect;
  families: Record<string, FamilyGain>;
}

/**
 * Reproduced: both parts found; partly: one; contradicted: a part goes the other way and none is
 * found; not detected: neither moves beyond MIN_RF_GAIN_PX. Inconclusive with fewer than MIN_SEEDS
 * paired seeds or when the untrained ViT's first-block r90 already sits at the ceiling.
 */
export function rfVerdict(inputs: RfInputs): { verdict: RuleVerdict; parts: RfParts; control: { vitFirst: MeanCi; cnnFirst: MeanCi; ceilingPx: number } } {
  const pairs = inputs.vit.flatMap((v) => { const c = inputs.cnn.find((q) => q.seed === v.seed); return c ? [[c, v] as const] : []; });
  const first = (s: RfSeed, k: 'trained' | 'untrained') => s[k][0]!;
  const span = (s: RfSeed, k: 'trained' | 'untrained') => s[k].at(-1)! - s[k][0]!;
  const families: Record<string, FamilyGain> = { cnn: familyGain(inputs.cnn), vit: familyGain(inputs.vit) };
  for (const [name, s] of Object.entries(inputs.others ?? {})) families[name] = familyGain(s);
  const parts: RfParts = {
    wider: pairedEffect(pairs.map(([c, v]) => (first(v, 'trained') - first(c, 'trained')) - (first(v, 'untrained') - first(c, 'untrained'))), MIN_RF_GAIN_PX),
    growth: pairedEffect(inputs.cnn.map((c) => span(c, 'trained') - span(c, 'untrained')), MIN_RF_GAIN_PX),
    families,
  };
  const control = { vitFirst: meanCi95(inputs.vit.map((v) => first(v, 'untrained'))), cnnFirst: meanCi95(inputs.cnn.map((c) => first(c, 'untrained'))), ceilingPx: CEILING_FRACTION * inputs.maxRadiusPx };
  const ds = [parts.wider.direction, parts.growth.direction];
  const found = ds.filter((d) => d === 'found').length;
  const verdict: RuleVerdict = pairs.length < MIN_SEEDS || inputs.cnn.length < MIN_SEEDS || control.vitFirst.mean >= control.ceilingPx ? 'inconclusive'
    : found === 2 ? 'reproduced'
    : found === 1 ? 'partly'
    : ds.includes('opposite') ? 'contradicted'
    : 'not-detected';
  return { verdict, parts, control };
}
