/**
 * Criterion for C6 (Park & Kim 2022, ICLR, "How Do Vision Transformers Work?", Fig. 1 and Fig. 4), fixed
 * before the runs, in two parts:
 *   flat:   the ViT's top Hessian eigenvalues are smaller than the CNN's (full regime, matched training loss);
 *   scarce: the ViT's share of negative eigenvalues is larger when trained on little data (small vs full regime).
 *
 * Wiring: for resnet_mini_28 and vit_mini_patch4_28, regimes 'full' and 'small', seeds 0–2, and the untrained
 * control ('init'): at the point picked by matchTrainingLoss (matched-loss.ts), `top` = lanczosTop(…, 5) and
 * `negMass` = negativeMass(slq(…), −NEG_REL_TOL·top[0]) (scripts/lib/metrics/hessian-spectrum.ts), both on
 * averagedHvp over HVP_BATCHES training batches, with the unit's training loss at that point; BatchNorm as
 * BATCHNORM says. Pass { cnn, vit } with { full, small, init } per-seed arrays to curvatureVerdict.
 */
import type { RuleVerdict } from '../../../contracts/verdict';
import { diffCi95, meanCi95, sign95, type DiffCi, type MeanCi } from '../../lib/metrics/seed-stats';
import { combineParts } from './combine-parts';
import { lossesMatch } from './matched-loss';

/** Three seeds per model and regime: the pool's count. */
export const MIN_SEEDS = 3;
/** Eigenvalues are estimated on the Hessian of the mean loss over at least 20 training batches (PyHessian averages batches likewise). */
export const HVP_BATCHES = 20;
/** The top five eigenvalues: their mean is steadier across seeds than λ1 alone. */
export const TOP_K = 5;
/** |λ| below 1% of λ1 is the near-zero bulk, whose sign SLQ with tens of steps cannot resolve: only λ < −1%·λ1 counts as negative. */
export const NEG_REL_TOL = 0.01;
/** "Flatter" needs at least a 1.5× smaller top-5 mean: smaller gaps are within what a 10% loss mismatch shifts. */
export const MIN_FLAT_RATIO = 1.5;
/** "More negative eigenvalues" needs at least 0.5 percentage points more spectral mass below zero. */
export const MIN_NEG_MASS_DIFF = 0.005;
/**
 * BatchNorm on running statistics (the model's test-time function, as PyHessian's model.eval() and the
 * existing loss-landscape/hessian experiments): fixed across HVPs, no coupling between a batch's examples,
 * and no running-statistics update while probing. The ViT has LayerNorm only, unaffected by the choice.
 */
export const BATCHNORM = 'running-statistics' as const;

export interface CurvatureSeed {
  /** Top eigenvalues, descending (at least TOP_K). */
  top: readonly number[];
  /** Estimated fraction of eigenvalues below −NEG_REL_TOL·λ1. */
  negMass: number;
  /** Training loss at the probed point. */
  trainLoss: number;
}
export interface ModelCurvature { full: readonly CurvatureSeed[]; small: readonly CurvatureSeed[]; init: readonly CurvatureSeed[] }

export type CurvatureReason = 'ok' | 'too-few-seeds' | 'loss-not-matched' | 'non-positive-top';
export interface CurvaturePart { verdict: RuleVerdict; reason: CurvatureReason; effect: (DiffCi & { mean: { a: MeanCi; b: MeanCi } }) | null }

const topMean = (s: CurvatureSeed) => s.top.slice(0, TOP_K).reduce((a, b) => a + b, 0) / Math.min(TOP_K, s.top.length);
const meanLoss = (xs: readonly CurvatureSeed[]) => xs.reduce((a, s) => a + s.trainLoss, 0) / xs.length;
const enough = (...xs: (readonly CurvatureSeed[])[]) => xs.every((x) => x.length >= MIN_SEEDS && x.every((s) => s.top.length >= TOP_K));

/** Flat: log(top-5 mean) of the ViT minus the CNN's, full regime; reproduced below −log MIN_FLAT_RATIO beyond its interval. */
export function flatPart(cnn: readonly CurvatureSeed[], vit: readonly CurvatureSeed[]): CurvaturePart {
  if (!enough(cnn, vit)) return { verdict: 'inconclusive', reason: 'too-few-seeds', effect: null };
  if (!lossesMatch(meanLoss(cnn), meanLoss(vit))) return { verdict: 'inconclusive', reason: 'loss-not-matched', effect: null };
  if ([...cnn, ...vit].some((s) => !(topMean(s) > 0))) return { verdict: 'inconclusive', reason: 'non-positive-top', effect: null };
  const a = vit.map((s) => Math.log(topMean(s))), b = cnn.map((s) => Math.log(topMean(s)));
  const d = diffCi95(a, b), min = Math.log(MIN_FLAT_RATIO);
  const effect = { ...d, mean: { a: meanCi95(a), b: meanCi95(b) } };
  if (sign95(d) === 'below' && d.diff <= -min) return { verdict: 'reproduced', reason: 'ok', effect };
  if (sign95(d) === 'above' && d.diff >= min) return { verdict: 'contradicted', reason: 'ok', effect };
  return { verdict: 'not-detected', reason: 'ok', effect };
}

/** Scarce: the ViT's negative mass, small regime minus full regime; reproduced above MIN_NEG_MASS_DIFF beyond its interval. */
export function scarcePart(full: readonly CurvatureSeed[], small: readonly CurvatureSeed[]): CurvaturePart {
  if (!enough(full, small)) return { verdict: 'inconclusive', reason: 'too-few-seeds', effect: null };
  if (!lossesMatch(meanLoss(full), meanLoss(small))) return { verdict: 'inconclusive', reason: 'loss-not-matched', effect: null };
  const a = small.map((s) => s.negMass), b = full.map((s) => s.negMass);
  const d = diffCi95(a, b);
  const effect = { ...d, mean: { a: meanCi95(a), b: meanCi95(b) } };
  if (sign95(d) === 'above' && d.diff >= MIN_NEG_MASS_DIFF) return { verdict: 'reproduced', reason: 'ok', effect };
  if (sign95(d) === 'below' && d.diff <= -MIN_NEG_MASS_DIFF) return { verdict: 'contradicted', reason: 'ok', effect };
  return { verdict: 'not-detected', reason: 'ok', effect };
}

/**
 * C6: both parts combined (combineParts). The untrained networks are the reported control (their top-5 and
 * negative mass), not subtracted: the claim is about converged landscapes, compared at matched training loss.
 * The CNN's own small-minus-full negative mass is reported beside the ViT's.
 */
export function curvatureVerdict(input: { cnn: ModelCurvature; vit: ModelCurvature }): {
  verdict: RuleVerdict;
  parts: { flat: CurvaturePart; scarce: CurvaturePart; cnnScarce: CurvaturePart };
  control: { cnnTop: MeanCi; vitTop: MeanCi; cnnNegMass: MeanCi; vitNegMass: MeanCi };
} {
  const flat = flatPart(input.cnn.full, input.vit.full);
  const scarce = scarcePart(input.vit.full, input.vit.small);
  const cnnScarce = scarcePart(input.cnn.full, input.cnn.small);
  const control = {
    cnnTop: meanCi95(input.cnn.init.map(topMean)), vitTop: meanCi95(input.vit.init.map(topMean)),
    cnnNegMass: meanCi95(input.cnn.init.map((s) => s.negMass)), vitNegMass: meanCi95(input.vit.init.map((s) => s.negMass)),
  };
  return { verdict: combineParts([flat.verdict, scarce.verdict]), parts: { flat, scarce, cnnScarce }, control };
}
