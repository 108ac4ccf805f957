/**
 * Criterion for claim C3 ("under natural corruptions and adversarial attacks there is no clear winner
 * between CNNs and ViTs"), fixed before the pool runs. Corruptions and adversarial attacks get separate
 * verdicts; "no clear winner" is a draw shown by an equivalence test, not the absence of a difference.
 *
 * Wiring: units resnet_mini_28 and vit_mini_patch4_28 (hybrid_mini_28 reported beside them) × regime
 * 'full' × seeds 0–2, each giving RobustnessSeedResult (the robustness experiment's unit result has this
 * shape); plus the 'init' control of the same models and seeds, of which only cleanAccuracy is read.
 * Call judgeRobustness({ trained, untrained }) with per-model arrays; seeds are paired by `seed`.
 *
 *   judgeRobustness({ trained: { resnet_mini_28: [...], vit_mini_patch4_28: [...] }, untrained: {...} })
 */
import type { RuleVerdict } from '../../../contracts/verdict';
import { pairedDiffCi95, sign95, tostPaired } from '../../lib/metrics/seed-stats';

/** Half-width of a draw, in retained accuracy (0–1). A gap under 5 points would not be called a winner;
 *  with 3 seeds TOST's 90% half-width is 1.69·sd, so a draw stays provable for a seed spread of the gap ≤ ~2 points. */
export const RETENTION_MARGIN = 0.05;
/** Fewest paired seeds: 3 gives df = 2, the smallest that makes a t interval informative. */
export const MIN_SEEDS = 3;
/** Clean accuracy every judged model must reach (mean over seeds): a linear read-out gets ≈ 0.84 on
 *  Fashion-MNIST, and retention of a model below it describes undertraining, not architecture. */
export const MIN_CLEAN_ACCURACY = 0.85;

export const CNN = 'resnet_mini_28';
export const VIT = 'vit_mini_patch4_28';
export const HYBRID = 'hybrid_mini_28';

/** One (model, seed) measurement: accuracies on the same probe images as the matching clean baseline. */
export interface RobustnessSeedResult {
  seed: number;
  cleanAccuracy: number;
  cleanOn: { corruption: number; fgsm: number; pgd: number };
  /** Every corruption × severity. */
  corruption: ReadonlyArray<{ accuracy: number }>;
  fgsm: ReadonlyArray<{ eps: number; accuracy: number }>;
  pgd: ReadonlyArray<{ eps: number; accuracy: number }>;
}
export interface ControlSeedResult { seed: number; cleanAccuracy: number }

/** Mean accuracy over the probes divided by the clean accuracy on the same images (0 when that is 0). */
export const retention = (accs: readonly number[], clean: number): number => (clean > 0 && accs.length > 0 ? accs.reduce((s, a) => s + a, 0) / accs.length / clean : 0);

type Probe = 'corruption' | 'pgd' | 'fgsm';
function probeRetention(r: RobustnessSeedResult, probe: Probe, eps?: number): number {
  if (probe === 'corruption') return retention(r.corruption.map((c) => c.accuracy), r.cleanOn.corruption);
  const rows = eps === undefined ? r[probe] : r[probe].filter((x) => x.eps === eps);
  return retention(rows.map((x) => x.accuracy), r.cleanOn[probe]);
}

/** 'draw': equivalent within the margin; 'a' / 'b': that model retains more (95% paired interval off 0); 'undecided': neither. */
export type PairOutcome = 'draw' | 'a' | 'b' | 'undecided';

export interface PairComparison {
  a: string; b: string; probe: Probe; eps: number | null; seeds: number;
  /** mean over seeds of retention(a) − retention(b) */
  diff: number; ci95: [number, number]; ci90: [number, number]; margin: number;
  outcome: PairOutcome;
}

/** Paired comparison of two models' retention under one probe (all ε, or one ε), on their common seeds. */
export function comparePair(a: string, ra: readonly RobustnessSeedResult[], b: string, rb: readonly RobustnessSeedResult[], probe: Probe, eps?: number): PairComparison {
  const seeds = ra.map((r) => r.seed).filter((s) => rb.some((r) => r.seed === s)).sort((x, y) => x - y);
  const pick = (rs: readonly RobustnessSeedResult[]) => seeds.map((s) => probeRetention(rs.find((r) => r.seed === s)!, probe, eps));
  const xa = pick(ra), xb = pick(rb);
  const base = { a, b, probe, eps: eps ?? null, seeds: seeds.length, margin: RETENTION_MARGIN };
  if (seeds.length < 2) return { ...base, diff: NaN, ci95: [NaN, NaN], ci90: [NaN, NaN], outcome: 'undecided' };
  const d = pairedDiffCi95(xa, xb), t = tostPaired(xa, xb, RETENTION_MARGIN);
  const s = sign95(d);
  // A difference inside the margin is a draw even when its interval excludes 0: practically no winner.
  const outcome: PairOutcome = t.equivalent ? 'draw' : s === 'above' ? 'a' : s === 'below' ? 'b' : 'undecided';
  return { ...base, diff: d.diff, ci95: d.ci95, ci90: t.ci90, outcome };
}

const OUTCOME_VERDICT: Record<PairOutcome, RuleVerdict> = { draw: 'reproduced', a: 'contradicted', b: 'contradicted', undecided: 'not-detected' };

export interface CategoryVerdict {
  verdict: RuleVerdict;
  /** CNN vs ViT: decides the verdict. */
  primary: PairComparison;
  /** Hybrid pairs and per-ε / FGSM comparisons: shown beside it, never change it. */
  parts: PairComparison[];
}

export interface RobustnessVerdict {
  verdict: RuleVerdict;
  corruption: CategoryVerdict;
  /** PGD retention averaged over ε decides; FGSM and each ε are parts. */
  adversarial: CategoryVerdict;
  control: { model: string; trainedClean: number; untrainedClean: number; seeds: number }[];
  /** seeds: ≥ MIN_SEEDS paired seeds; cleanAccuracy: both judged models trained above the floor;
   *  control: the untrained networks of the same seeds are given and below it (else training taught nothing they lacked). */
  preconditions: { seeds: boolean; cleanAccuracy: boolean; control: boolean };
}

/** Both categories must agree for the whole claim: a draw in one and a winner in the other is 'partly'. */
export function combineCategories(a: RuleVerdict, b: RuleVerdict): RuleVerdict {
  const vs = [a, b];
  if (vs.includes('inconclusive')) return 'inconclusive';
  if (vs.every((v) => v === 'reproduced')) return 'reproduced';
  if (vs.includes('reproduced')) return 'partly';
  if (vs.includes('contradicted')) return 'contradicted';
  return 'not-detected';
}

const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : NaN);

export function judgeRobustness(input: {
  trained: Readonly<Record<string, readonly RobustnessSeedResult[]>>;
  untrained: Readonly<Record<string, readonly ControlSeedResult[]>>;
}): RobustnessVerdict {
  const { trained, untrained } = input;
  const cnn = trained[CNN] ?? [], vit = trained[VIT] ?? [], hybrid = trained[HYBRID];
  const models = [CNN, VIT, ...(hybrid ? [HYBRID] : [])];
  const control = models.map((m) => ({
    model: m, trainedClean: mean((trained[m] ?? []).map((r) => r.cleanAccuracy)),
    untrainedClean: mean((untrained[m] ?? []).map((r) => r.cleanAccuracy)), seeds: (trained[m] ?? []).length,
  }));
  const primaryC = comparePair(CNN, cnn, VIT, vit, 'corruption'), primaryA = comparePair(CNN, cnn, VIT, vit, 'pgd');
  const preconditions = {
    seeds: primaryC.seeds >= MIN_SEEDS,
    cleanAccuracy: control.slice(0, 2).every((c) => c.trainedClean >= MIN_CLEAN_ACCURACY),
    control: control.slice(0, 2).every((c) => c.untrainedClean < MIN_CLEAN_ACCURACY),
  };
  const ok = preconditions.seeds && preconditions.cleanAccuracy && preconditions.control;
  const hybridPairs = (probe: Probe) => (hybrid ? [comparePair(CNN, cnn, HYBRID, hybrid, probe), comparePair(VIT, vit, HYBRID, hybrid, probe)] : []);
  const epsOf = (probe: 'pgd' | 'fgsm') => [...new Set(cnn.flatMap((r) => r[probe].map((x) => x.eps)))].sort((x, y) => x - y);
  const corruption: CategoryVerdict = { verdict: ok ? OUTCOME_VERDICT[primaryC.outcome] : 'inconclusive', primary: primaryC, parts: hybridPairs('corruption') };
  const adversarial: CategoryVerdict = {
    verdict: ok ? OUTCOME_VERDICT[primaryA.outcome] : 'inconclusive',
    primary: primaryA,
    parts: [
      ...epsOf('pgd').map((e) => comparePair(CNN, cnn, VIT, vit, 'pgd', e)),
      comparePair(CNN, cnn, VIT, vit, 'fgsm'),
      ...epsOf('fgsm').map((e) => comparePair(CNN, cnn, VIT, vit, 'fgsm', e)),
      ...hybridPairs('pgd'),
    ],
  };
  return { verdict: combineCategories(corruption.verdict, adversarial.verdict), corruption, adversarial, control, preconditions };
}
