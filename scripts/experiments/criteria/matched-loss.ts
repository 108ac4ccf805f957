/**
 * Comparing curvature at matched training loss: sharpness grows as the loss falls along training, so two
 * networks are compared where their training losses agree, not at their last step. Each model offers
 * candidate points (checkpoints, or points on another path) with their training loss; the target is the
 * lowest loss every model reaches, and each model takes its point nearest the target in log-loss.
 *
 *   matchTrainingLoss({ resnet: [{ id: 'ep10', trainLoss: 0.41 }, …], vit: […] })
 *   // { target, picks: { resnet: { id, trainLoss, logGap }, vit: … }, matched }
 */

/** Losses within 10% (|log ratio| ≤ log 1.1) count as matched: closer than our seeds' spread of final training loss. */
export const LOSS_MATCH_TOL = 0.1;

export interface LossPoint { id: string; trainLoss: number }
export interface LossPick extends LossPoint { /** |log(trainLoss / target)| */ logGap: number }

export function lossesMatch(a: number, b: number, tol = LOSS_MATCH_TOL): boolean {
  return a > 0 && b > 0 && Math.abs(Math.log(a / b)) <= Math.log(1 + tol);
}

export function matchTrainingLoss(curves: Readonly<Record<string, readonly LossPoint[]>>, o: { target?: number; tol?: number } = {}): {
  target: number; picks: Record<string, LossPick>; matched: boolean;
} {
  const models = Object.keys(curves);
  if (models.length === 0 || models.some((m) => curves[m]!.length === 0)) throw new Error('matchTrainingLoss: every model needs at least one point');
  if (models.some((m) => curves[m]!.some((p) => !(p.trainLoss > 0)))) throw new Error('matchTrainingLoss: training losses must be positive');
  // The lowest loss that every model reaches: the largest of the per-model minima.
  const target = o.target ?? Math.max(...models.map((m) => Math.min(...curves[m]!.map((p) => p.trainLoss))));
  const picks: Record<string, LossPick> = {};
  for (const m of models) {
    let best: LossPick | null = null;
    for (const p of curves[m]!) {
      const logGap = Math.abs(Math.log(p.trainLoss / target));
      if (!best || logGap < best.logGap) best = { ...p, logGap };
    }
    picks[m] = best!;
  }
  const tol = Math.log(1 + (o.tol ?? LOSS_MATCH_TOL));
  return { target, picks, matched: Object.values(picks).every((p) => p.logGap <= tol) };
}
