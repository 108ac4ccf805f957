/**
 * Training scaled to the training-set size, for accuracy against n (claims C4, C7): the step budget is
 * a power law in n through the pool's two regimes, so that n = 2,000 and n = 55,000 are the pool's own
 * 'small' and 'full' units (reused, not retrained), and every other n gets the budget between or beside them.
 *
 *   scheduleForSize(5000)   // { n, epochs, steps, stepsPerEpoch, evalEvery, warmupSteps, poolRegime: null }
 *   plateaued(evals, step, totalSteps)   // early stop: the last fifth of the run so far gained < half a point
 *
 * Subsets: nested, class-balanced, drawn from the 55,000 training images left after the pool's fixed
 * 5,000-image validation split (the same split validates and stops every n; test images are never read).
 * The largest point is the pool's full regime (55,000 images: "60k" minus validation).
 */

/** The sizes of the curve: 1k … 20k, and the pool's full regime. */
export const SIZES = [1000, 2000, 5000, 10000, 20000, 55000] as const;
/** The pool's recipe at its two regimes (scripts/experiments/pool.ts defaults): batch 128, 200 epochs of 2,000 images, 30 of 55,000. */
export const POOL_ANCHORS = { batchSize: 128, small: { n: 2000, epochs: 200 }, full: { n: 55000, epochs: 30 } } as const;
/** About twenty validation evaluations per run (the pool's small regime: every 10 of 200 epochs). */
export const EVALS_PER_RUN = 20;
/** Early stopping and the pool's plateau test share one rule: the last 20% of steps gained less than half a point. */
export const PLATEAU_GAIN = 0.005;
export const PLATEAU_WINDOW = 0.2;
/** Never stop before half the budget: the cosine schedule has not yet annealed. */
export const EARLY_STOP_MIN_FRACTION = 0.5;

export interface SizeSchedule {
  n: number; epochs: number; steps: number; stepsPerEpoch: number;
  /** Steps between validation evaluations (whole epochs). */
  evalEvery: number;
  warmupSteps: number;
  /** The pool unit that already trained this n, if any. */
  poolRegime: 'small' | 'full' | null;
}

const stepsOf = (a: { n: number; epochs: number }, batch: number) => a.epochs * Math.floor(a.n / batch);

/** Whole epochs for n: steps ∝ n^p through both anchors (p ≈ 0.44 with 200 small and 30 full epochs), capped at a full-regime unit's steps. */
export function scheduleForSize(n: number, anchors: typeof POOL_ANCHORS = POOL_ANCHORS): SizeSchedule {
  const batch = anchors.batchSize, stepsPerEpoch = Math.floor(n / batch);
  if (!(stepsPerEpoch >= 1)) throw new Error(`data-schedule: n = ${n} is smaller than a batch of ${batch}`);
  const s0 = stepsOf(anchors.small, batch), s1 = stepsOf(anchors.full, batch);
  const p = Math.log(s1 / s0) / Math.log(anchors.full.n / anchors.small.n);
  const target = Math.min(s1, s0 * (n / anchors.small.n) ** p);
  const epochs = Math.max(1, Math.round(target / stepsPerEpoch));
  const steps = epochs * stepsPerEpoch;
  const evalEpochs = Math.max(1, Math.floor(epochs / EVALS_PER_RUN));
  const poolRegime = n === anchors.small.n ? 'small' : n === anchors.full.n ? 'full' : null;
  // Warm-up as the pool: one evaluation interval, at most a tenth of the run.
  return { n, epochs, steps, stepsPerEpoch, evalEvery: evalEpochs * stepsPerEpoch, warmupSteps: Math.min(stepsPerEpoch * evalEpochs, Math.round(steps * 0.1)), poolRegime };
}

/**
 * Early stop at `step` (of `totalSteps`): past EARLY_STOP_MIN_FRACTION of the run, the best validation accuracy
 * in the last PLATEAU_WINDOW of the steps so far exceeds the best before it by less than PLATEAU_GAIN.
 * The checkpoint kept is the best by validation accuracy.
 */
export function plateaued(evals: readonly { step: number; accuracy: number }[], step: number, totalSteps: number): boolean {
  if (step < EARLY_STOP_MIN_FRACTION * totalSteps) return false;
  const cut = step * (1 - PLATEAU_WINDOW);
  const before = evals.filter((e) => e.step <= cut), after = evals.filter((e) => e.step > cut && e.step <= step);
  if (!before.length || !after.length) return false;
  return Math.max(...after.map((e) => e.accuracy)) - Math.max(...before.map((e) => e.accuracy)) < PLATEAU_GAIN;
}
