/**
 * C7 (second half), fixed before the run: ViT's shallow layers represent like a CNN's early layers,
 * judged on what training adds to what the two architectures already share untrained.
 *
 * Wiring: per seed s (≥ MIN_SEEDS), minibatch CKA (scripts/lib/metrics/cka.ts, ≥ MIN_IMAGES test
 * images in batches) of resnet_mini_28 (rows, stem then blocks in depth order) against
 * vit_mini_patch4_28 (columns), both poolMini(…, 'full', s), and the same matrix for both at
 * poolMini(…, 'init', s); likewise resnet against hybrid_mini_28 for the hybrid part.
 *
 *   ckaVerdict({ vit: [{ seed, trained, untrained }, …], hybrid: […], images: 2048 })
 */
import type { RuleVerdict } from '../../../contracts/verdict';
import { meanCi95, type MeanCi } from '../../lib/metrics/seed-stats';
import { pairedEffect, type Effect } from './paired-effect';

/** Three seeds: with fewer, a 95% interval over seeds has no degrees of freedom to speak of. */
export const MIN_SEEDS = 3;
/** Raghu et al. (2021) and Nguyen et al. (2021) read CKA on thousands of examples; fewer leave the HSIC noisy. */
export const MIN_IMAGES = 2048;
/** A gain in Δ below 0.05 is smaller than the Δ two untrained minis already show (0.056, 95% interval 0.033–0.079: committed run, 3 seeds, 512 images). */
export const MIN_DELTA_GAIN = 0.05;
/** The ViT's shallow layers: its first third; the CNN's early layers: its first half (as in the experiment's Δ). */
export const shallowCount = (cols: number): number => Math.ceil(cols / 3);
export const earlyCount = (rows: number): number => Math.ceil(rows / 2);

/** One seed: CKA of the CNN's layers (rows) against the Transformer's (columns), trained and untrained. */
export interface CkaSeed { seed: number; trained: number[][]; untrained: number[][] }
export interface CkaInputs { vit: CkaSeed[]; hybrid?: CkaSeed[]; images: number }

export interface Alignment {
  /** Mean CKA of shallow columns with early rows minus with late rows. */
  delta: number;
  /** Whether every shallow column peaks on an early row. */
  allEarly: boolean;
}

/** Δ and the all-early test for one CNN × Transformer matrix. */
export function alignment(m: readonly (readonly number[])[]): Alignment {
  const rows = m.length, cols = m[0]?.length ?? 0;
  if (rows < 2 || cols < 1 || m.some((r) => r.length !== cols)) throw new Error(`alignment: a ${rows}×${cols} matrix needs ≥ 2 rows and equal rows`);
  const early = earlyCount(rows), shallow = shallowCount(cols);
  let e = 0, l = 0, allEarly = true;
  for (let j = 0; j < shallow; j++) {
    let best = 0;
    for (let i = 0; i < rows; i++) {
      if (i < early) e += m[i]![j]!; else l += m[i]![j]!;
      if (m[i]![j]! > m[best]![j]!) best = i;
    }
    if (best >= early) allEarly = false;
  }
  return { delta: e / (early * shallow) - l / ((rows - early) * shallow), allEarly };
}

export interface CkaPart {
  verdict: RuleVerdict;
  /** Δ(trained) − Δ(untrained) per seed: what training adds. */
  gain: Effect;
  trained: MeanCi;
  trainedAllEarlySeeds: number;
  control: { untrained: MeanCi; untrainedAllEarlySeeds: number };
  seeds: number;
}

/**
 * Reproduced: the gain's interval is above 0 with mean ≥ MIN_DELTA_GAIN, the trained Δ's interval
 * is above 0 and every trained seed is all-early; partly: the gain alone; contradicted: the gain is
 * as large the other way; not detected otherwise (two untrained networks alone give not detected).
 */
export function ckaPart(seeds: readonly CkaSeed[], images: number): CkaPart {
  const tr = seeds.map((s) => alignment(s.trained)), un = seeds.map((s) => alignment(s.untrained));
  const gain = pairedEffect(tr.map((a, i) => a.delta - un[i]!.delta), MIN_DELTA_GAIN);
  const trained = meanCi95(tr.map((a) => a.delta));
  const trainedAllEarlySeeds = tr.filter((a) => a.allEarly).length;
  const control = { untrained: meanCi95(un.map((a) => a.delta)), untrainedAllEarlySeeds: un.filter((a) => a.allEarly).length };
  const finite = tr.every((a, i) => Number.isFinite(a.delta) && Number.isFinite(un[i]!.delta));
  const verdict: RuleVerdict = seeds.length < MIN_SEEDS || images < MIN_IMAGES || !finite ? 'inconclusive'
    : gain.direction === 'found' ? (trained.ci95[0] > 0 && trainedAllEarlySeeds === seeds.length ? 'reproduced' : 'partly')
    : gain.direction === 'opposite' ? 'contradicted'
    : 'not-detected';
  return { verdict, gain, trained, trainedAllEarlySeeds, control, seeds: seeds.length };
}

/** The verdict is the ViT's; the hybrid (conv stem → transformer) is reported beside it under the same rule. */
export function ckaVerdict(inputs: CkaInputs): { verdict: RuleVerdict; parts: { vit: CkaPart; hybrid: CkaPart | null }; control: CkaPart['control'] } {
  const vit = ckaPart(inputs.vit, inputs.images);
  const hybrid = inputs.hybrid ? ckaPart(inputs.hybrid, inputs.images) : null;
  return { verdict: vit.verdict, parts: { vit, hybrid }, control: vit.control };
}
