/**
 * Shape bias on cue-conflict images (Geirhos et al. 2019, ICLR, arXiv:1811.12231; the recipe in
 * the rgeirhos/texture-vs-shape README, "How do I compute the shape bias of a model?"):
 *
 *   1. drop trials without a conflict (shape category = texture category);
 *   2. keep the trials whose decision is the shape or the texture category;
 *   3. shape bias = shape decisions / (shape decisions + texture decisions).
 *
 *   tallyFromArrays(predictions, shapeLabels, textureLabels).shapeBias   // 0 = texture, 1 = shape
 *
 * Decisions that match neither cue do not enter the ratio, so the number is a preference, not
 * an accuracy; `shapeFraction`/`textureFraction` (of all conflict trials) keep that information.
 */

export interface CueTrial { prediction: number; shape: number; texture: number }

export interface CueTally {
  trials: number;        // all trials given
  excluded: number;      // trials without a conflict (shape = texture)
  shapeHits: number;     // decision = shape category
  textureHits: number;   // decision = texture category
  other: number;         // decision = neither
  /** shapeHits / (shapeHits + textureHits); null when no decision matched either cue. */
  shapeBias: number | null;
  shapeFraction: number;   // shapeHits / conflict trials
  textureFraction: number; // textureHits / conflict trials
}

export function tallyCueConflict(trials: Iterable<CueTrial>): CueTally {
  let n = 0, excluded = 0, shapeHits = 0, textureHits = 0, other = 0;
  for (const t of trials) {
    n++;
    if (t.shape === t.texture) { excluded++; continue; }
    if (t.prediction === t.shape) shapeHits++;
    else if (t.prediction === t.texture) textureHits++;
    else other++;
  }
  const conflicts = n - excluded, cue = shapeHits + textureHits;
  return {
    trials: n, excluded, shapeHits, textureHits, other,
    shapeBias: cue > 0 ? shapeHits / cue : null,
    shapeFraction: conflicts > 0 ? shapeHits / conflicts : 0,
    textureFraction: conflicts > 0 ? textureHits / conflicts : 0,
  };
}

function sameLength(...xs: ArrayLike<number>[]): number {
  const n = xs[0]!.length;
  if (xs.some((x) => x.length !== n)) throw new Error(`shape-bias: arrays differ in length (${xs.map((x) => x.length).join(', ')})`);
  return n;
}

function* zipTrials(pred: ArrayLike<number>, shape: ArrayLike<number>, texture: ArrayLike<number>): Generator<CueTrial> {
  const n = sameLength(pred, shape, texture);
  for (let i = 0; i < n; i++) yield { prediction: pred[i]!, shape: shape[i]!, texture: texture[i]! };
}

/** The tally from parallel arrays: model decisions, shape labels, texture labels. */
export function tallyFromArrays(pred: ArrayLike<number>, shape: ArrayLike<number>, texture: ArrayLike<number>): CueTally {
  return tallyCueConflict(zipTrials(pred, shape, texture));
}

/** Shape bias per shape category (the category-level view of Geirhos et al. 2019, Fig. 4). */
export function perShapeBias(pred: ArrayLike<number>, shape: ArrayLike<number>, texture: ArrayLike<number>, numClasses: number): Array<number | null> {
  const byClass: CueTrial[][] = Array.from({ length: numClasses }, () => []);
  for (const t of zipTrials(pred, shape, texture)) byClass[t.shape]?.push(t);
  return byClass.map((ts) => tallyCueConflict(ts).shapeBias);
}

/** Accuracy on a single-cue probe (silhouettes or texture patches). */
export function probeAccuracy(pred: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = sameLength(pred, labels);
  let hit = 0;
  for (let i = 0; i < n; i++) if (pred[i] === labels[i]) hit++;
  return n > 0 ? hit / n : 0;
}
