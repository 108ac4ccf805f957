/**
 * Criterion for claim C2 ("CNNs lean on high frequencies and ViTs on low ones: high-frequency noise
 * hurts CNNs, low-frequency noise hurts ViTs"; Park & Kim 2022 read MSAs as low-pass filters), fixed
 * before the pool runs. Four parts, each a paired 95% interval over seeds of a CNN-minus-ViT contrast.
 *
 * Wiring: units resnet_mini_28 and vit_mini_patch4_28 × regime 'full' × seeds 0–2, each giving
 * FrequencySeedResult (the frequency-noise experiment's unit result has this shape: band drops at
 * matched noise energy, the Fourier heat map, feature-map Δ log amplitude per tap with its side),
 * plus the 'init' control of the same models and seeds (cleanAccuracy and features are read).
 * Call judgeFrequency({ trained, untrained }); seeds are paired by `seed`.
 */
import { combineParts } from './combine-parts';
import type { RuleVerdict } from '../../../contracts/verdict';
import { pairedDiffCi95, sign95 } from '../../lib/metrics/seed-stats';

export const CNN = 'resnet_mini_28';
export const VIT = 'vit_mini_patch4_28';

/** Fewest paired seeds: 3 gives df = 2, the smallest that makes a t interval informative. */
export const MIN_SEEDS = 3;
/** Clean accuracy each judged model must reach: below a linear read-out (≈ 0.84 on Fashion-MNIST) a
 *  noise drop measures an undertrained model. */
export const MIN_CLEAN_ACCURACY = 0.85;
/** Of 10 radial bands from 0 to π: the lowest three (0–0.3π) are "low", the highest three (0.7π–π) "high",
 *  leaving a middle gap so that neither side leans on the bands where the two may cross. */
export const LOW_BANDS = [0, 1, 2] as const;
export const HIGH_BANDS = [7, 8, 9] as const;
/** Heat-map cells at radius ≥ 0.35 cycles/pixel (0.7π, the edge of the high bands, corners included) are "high". */
export const HEAT_HIGH_RADIUS = 0.35;
/**
 * Feature maps are compared only at equal resolution (not normalised for size): at side n the diagonal
 * bins are k/n cycles/pixel, so the "highest" bin of a 28×28 map (13/28) and of a 7×7 map (3/7) are other
 * frequencies, averaged over other numbers of values; equal sides compare the same frequencies without
 * interpolation. The side used is the largest one both models have (7 for the ResNet's last stage and
 * the ViT's tokens on 28×28 inputs).
 */
export const EXCLUDED_TAPS = ['stem'] as const; // the input embedding: a convolution in every family, not the blocks the claim is about

export interface FrequencySeedResult {
  seed: number;
  cleanAccuracy: number;
  /** Accuracy drop per radial band (index 0 = lowest), every band at the same noise L2 norm. */
  bands: ReadonlyArray<{ band: number; drop: number }>;
  heatmap: { cleanError: number; cells: ReadonlyArray<{ radius: number; error: number }> } | null;
  /** Δ log amplitude at the highest diagonal bin of each tap's spectrum, with the tap's side. */
  features: ReadonlyArray<{ tap: string; side: number; high: number }>;
}
export interface ControlSeedResult { seed: number; cleanAccuracy: number; features: FrequencySeedResult['features'] }

export type PartName = 'noiseHigh' | 'noiseLow' | 'heatmap' | 'lowPass';
/** found: the interval is on the claim's side of 0; opposite: on the other side; none: it covers 0. */
export type PartOutcome = 'found' | 'opposite' | 'none';
export interface Part { name: PartName; diff: number; ci95: [number, number]; seeds: number; outcome: PartOutcome }

export interface FrequencyVerdict {
  verdict: RuleVerdict;
  parts: Part[];
  /** The resolution the feature maps were compared at (null: no shared side). */
  side: number | null;
  control: { model: string; untrainedClean: number; untrainedHigh: number | null }[];
  preconditions: { seeds: boolean; cleanAccuracy: boolean; control: boolean; equalResolution: boolean };
}

const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : NaN);
const bandMean = (r: FrequencySeedResult, bands: readonly number[]) => mean(r.bands.filter((b) => bands.includes(b.band)).map((b) => b.drop));
export const lowDrop = (r: FrequencySeedResult) => bandMean(r, LOW_BANDS);
export const highDrop = (r: FrequencySeedResult) => bandMean(r, HIGH_BANDS);
/** Error added by high-frequency basis images: mean error over the high cells minus the clean error. */
export const heatHighError = (r: FrequencySeedResult) => (r.heatmap ? mean(r.heatmap.cells.filter((c) => c.radius >= HEAT_HIGH_RADIUS).map((c) => c.error)) - r.heatmap.cleanError : NaN);
/** Mean Δ log amplitude at the highest bin over the maps of one side (excluded taps left out). */
export const highAtSide = (features: FrequencySeedResult['features'], side: number) =>
  mean(features.filter((f) => f.side === side && !(EXCLUDED_TAPS as readonly string[]).includes(f.tap)).map((f) => f.high));

/** The largest side at which both models have a map that counts. */
export function sharedSide(a: FrequencySeedResult['features'], b: FrequencySeedResult['features']): number | null {
  const sides = (fs: FrequencySeedResult['features']) => new Set(fs.filter((f) => !(EXCLUDED_TAPS as readonly string[]).includes(f.tap)).map((f) => f.side));
  const sa = sides(a), sb = sides(b);
  const common = [...sa].filter((s) => sb.has(s));
  return common.length ? Math.max(...common) : null;
}

function part(name: PartName, xa: number[], xb: number[]): Part {
  const d = pairedDiffCi95(xa, xb), s = sign95(d);
  return { name, diff: d.diff, ci95: d.ci95, seeds: d.n, outcome: s === 'above' ? 'found' : s === 'below' ? 'opposite' : 'none' };
}

/** A part's outcome as a verdict, so that the parts combine as every criterion's do (combine-parts.ts). */
export const outcomeVerdict = (o: PartOutcome): RuleVerdict => (o === 'found' ? 'reproduced' : o === 'opposite' ? 'contradicted' : 'not-detected');

export function judgeFrequency(input: {
  trained: Readonly<Record<string, readonly FrequencySeedResult[]>>;
  untrained: Readonly<Record<string, readonly ControlSeedResult[]>>;
}): FrequencyVerdict {
  const cnn = input.trained[CNN] ?? [], vit = input.trained[VIT] ?? [];
  const cnn0 = input.untrained[CNN] ?? [], vit0 = input.untrained[VIT] ?? [];
  // Seeds with every measurement: both trained models and both controls.
  const seeds = cnn.map((r) => r.seed).filter((s) => [vit, cnn0, vit0].every((rs) => rs.some((r) => r.seed === s))).sort((a, b) => a - b);
  const at = <T extends { seed: number }>(rs: readonly T[]) => seeds.map((s) => rs.find((r) => r.seed === s)!);
  const [C, V, C0, V0] = [at(cnn), at(vit), at(cnn0), at(vit0)];
  const side = C.length && V.length ? sharedSide(C[0]!.features, V[0]!.features) : null;

  const parts: Part[] = [
    // High-frequency noise hurts the CNN more than the ViT.
    part('noiseHigh', C.map(highDrop), V.map(highDrop)),
    // Low-frequency noise hurts the ViT more than the CNN.
    part('noiseLow', V.map(lowDrop), C.map(lowDrop)),
  ];
  if (C.every((r) => r.heatmap) && V.every((r) => r.heatmap) && seeds.length > 0) parts.push(part('heatmap', C.map(heatHighError), V.map(heatHighError)));
  if (side !== null) {
    // Trained minus untrained, per seed: how much training raised high-frequency amplitude; the claim
    // has the CNN's rise above the ViT's (the ViT's blocks act as the lower-pass filter).
    const rise = (t: FrequencySeedResult[], u: ControlSeedResult[]) => t.map((r, i) => highAtSide(r.features, side) - highAtSide(u[i]!.features, side));
    parts.push(part('lowPass', rise(C, C0), rise(V, V0)));
  }
  const preconditions = {
    seeds: seeds.length >= MIN_SEEDS,
    cleanAccuracy: [C, V].every((rs) => rs.length > 0 && mean(rs.map((r) => r.cleanAccuracy)) >= MIN_CLEAN_ACCURACY),
    control: [C0, V0].every((rs) => rs.length > 0 && mean(rs.map((r) => r.cleanAccuracy)) < MIN_CLEAN_ACCURACY),
    equalResolution: side !== null,
  };
  const ok = Object.values(preconditions).every(Boolean);
  return {
    verdict: ok ? combineParts(parts.map((p) => outcomeVerdict(p.outcome))) : 'inconclusive',
    parts, side,
    control: [[CNN, C0], [VIT, V0]].map(([m, rs]) => ({
      model: m as string,
      untrainedClean: mean((rs as ControlSeedResult[]).map((r) => r.cleanAccuracy)),
      untrainedHigh: side === null ? null : mean((rs as ControlSeedResult[]).map((r) => highAtSide(r.features, side))),
    })),
    preconditions,
  };
}
