/**
 * Criterion for C1, fixed before the runs. What it tests is a direction, not an absolute preference:
 * "the ViT's shape bias exceeds the CNN's by more than the same difference between their untrained
 * networks" — not "ViTs answer by shape" (a ViT with bias 0.3 against a CNN's 0.2 passes).
 *
 * Wiring: per part (Fashion-MNIST cue conflict from pool models; synthetic shapes×textures with the same
 * step budget and `periodRange: WIDE_PERIOD_RANGE`), per seed s and for the CNN (resnet_mini_28) and the
 * ViT (vit_mini_patch4_28): the trained network's CueTally (tallyFromArrays on the conflict images) and
 * its shape-only and texture-only probe accuracies, and the untrained network's CueTally (poolMini(…,
 * 'init', s)). Pool regime 'full'; seeds 0–2. Feed `{ cnn: ModelSeeds, vit: ModelSeeds, chance }` per part to
 * shapeBiasPart, then both parts to shapeBiasVerdict.
 */
import type { RuleVerdict } from '../../../contracts/verdict';
import { diffCi95, meanCi95, sign95, type DiffCi, type MeanCi } from '../../lib/metrics/seed-stats';
import { combineParts } from './combine-parts';

/** Three seeds per model and condition: the pool's count, and the least a t-interval means anything with. */
export const MIN_SEEDS = 3;
/** Smallest shape-bias difference (ViT − CNN, trained minus untrained) worth the word: 0.05 is 5 points of preference. */
export const MIN_EFFECT = 0.05;
/** A trained model must read each cue alone: probe accuracy at least chance + 0.15, else its bias compares nothing. */
export const PROBE_MARGIN = 0.15;
/** At least 30% of conflict trials must follow one of the two cues, else the ratio rests on few decisions. */
export const MIN_CUE_FRACTION = 0.3;

/** One seed of one model: trained shape bias and fractions, probes, and the untrained control's shape bias. */
export interface SeedShape {
  shapeBias: number | null;
  /** (shape hits + texture hits) / conflict trials. */
  cueFraction: number;
  shapeProbe: number;
  textureProbe: number;
  /** The untrained network of the same architecture and seed. */
  initShapeBias: number | null;
}
export interface PartInput { cnn: readonly SeedShape[]; vit: readonly SeedShape[]; /** 1 / number of classes. */ chance: number }

export type PartReason = 'ok' | 'too-few-seeds' | 'probe-failed' | 'few-cue-decisions' | 'control-shows-effect';
export interface PartResult {
  verdict: RuleVerdict;
  reason: PartReason;
  parts: { cnn: MeanCi; vit: MeanCi; trainedDiff: DiffCi; effect: DiffCi } | null;
  control: { cnn: MeanCi; vit: MeanCi; diff: DiffCi } | null;
}

const finite = (xs: readonly (number | null)[]): number[] => xs.filter((x): x is number => x !== null && Number.isFinite(x));

/**
 * One part. Effect = per seed s, (ViT − CNN) trained minus (ViT − CNN) untrained, both at seed s (the trained
 * network starts from that untrained one), with a paired t 95% interval over seeds:
 * reproduced when the interval is above 0 and the mean ≥ MIN_EFFECT (and the trained difference itself is
 * above 0); contradicted when below 0 and mean ≤ −MIN_EFFECT; otherwise not detected, or inconclusive when
 * the untrained networks already differ in the claimed direction so the trained difference cannot be told
 * apart from it.
 */
export function shapeBiasPart(input: PartInput): PartResult {
  const seeds = Math.min(input.cnn.length, input.vit.length);
  const tr = (m: readonly SeedShape[]) => finite(m.map((s) => s.shapeBias));
  const init = (m: readonly SeedShape[]) => finite(m.map((s) => s.initShapeBias));
  if (seeds < MIN_SEEDS || [tr(input.cnn), tr(input.vit), init(input.cnn), init(input.vit)].some((xs) => xs.length < MIN_SEEDS)) {
    return { verdict: 'inconclusive', reason: 'too-few-seeds', parts: null, control: null };
  }
  const all = [...input.cnn, ...input.vit];
  if (all.some((s) => s.shapeProbe < input.chance + PROBE_MARGIN || s.textureProbe < input.chance + PROBE_MARGIN)) {
    return { verdict: 'inconclusive', reason: 'probe-failed', parts: null, control: null };
  }
  if (all.some((s) => s.cueFraction < MIN_CUE_FRACTION)) return { verdict: 'inconclusive', reason: 'few-cue-decisions', parts: null, control: null };

  // Per-seed differences, seeds paired by index (seed s of each architecture); a null bias drops its seed.
  const pairs = Array.from({ length: seeds }, (_, s) => [input.cnn[s]!, input.vit[s]!] as const)
    .filter(([c, v]) => [c.shapeBias, v.shapeBias, c.initShapeBias, v.initShapeBias].every((x) => x !== null && Number.isFinite(x)));
  if (pairs.length < MIN_SEEDS) return { verdict: 'inconclusive', reason: 'too-few-seeds', parts: null, control: null };
  const dTrained = pairs.map(([c, v]) => v.shapeBias! - c.shapeBias!);
  const dInit = pairs.map(([c, v]) => v.initShapeBias! - c.initShapeBias!);
  const trainedDiff = diffCi95(tr(input.vit), tr(input.cnn));
  const perSeed = meanCi95(dTrained.map((d, i) => d - dInit[i]!));
  const effect: DiffCi = { diff: perSeed.mean, ci95: perSeed.ci95, df: perSeed.n - 1 };
  const controlDiff = diffCi95(init(input.vit), init(input.cnn));
  const parts = { cnn: meanCi95(tr(input.cnn)), vit: meanCi95(tr(input.vit)), trainedDiff, effect };
  const control = { cnn: meanCi95(init(input.cnn)), vit: meanCi95(init(input.vit)), diff: controlDiff };

  if (sign95(effect) === 'above' && effect.diff >= MIN_EFFECT && sign95(trainedDiff) === 'above') return { verdict: 'reproduced', reason: 'ok', parts, control };
  if (sign95(effect) === 'below' && effect.diff <= -MIN_EFFECT) return { verdict: 'contradicted', reason: 'ok', parts, control };
  if (sign95(controlDiff) === 'above' && controlDiff.diff >= MIN_EFFECT && sign95(trainedDiff) === 'above') {
    return { verdict: 'inconclusive', reason: 'control-shows-effect', parts, control };
  }
  return { verdict: 'not-detected', reason: 'ok', parts, control };
}

/** C1: both parts (Fashion-MNIST cue conflict on the pool; synthetic shapes×textures), combined by combineParts. */
export function shapeBiasVerdict(input: { fmnist: PartInput; synthetic: PartInput }): {
  verdict: RuleVerdict; parts: { fmnist: PartResult; synthetic: PartResult }; control: { fmnist: PartResult['control']; synthetic: PartResult['control'] };
} {
  const fmnist = shapeBiasPart(input.fmnist), synthetic = shapeBiasPart(input.synthetic);
  return { verdict: combineParts([fmnist.verdict, synthetic.verdict]), parts: { fmnist, synthetic }, control: { fmnist: fmnist.control, synthetic: synthetic.control } };
}
