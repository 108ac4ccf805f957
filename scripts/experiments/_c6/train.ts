/**
 * The trained minis of the C6 experiments (loss-landscape, hessian) and the data they read.
 *
 * Training is not done here: every (model, regime, seed) comes from `trainedMini` in
 * ../_representations.ts, the one trainer and weights cache (scripts/lib/train/weights.ts) of these
 * experiments, so attention-distance, receptive-field, cka, loss-landscape and hessian analyse the
 * same networks under one budget (AdamW, warmup + cosine, ±2 px shifts and horizontal flips,
 * TRAIN_BUDGET). Whichever experiment asks first trains and caches; the others load. Each unit
 * JSON repeats the training facts, so it stands alone.
 *
 *   const { model, training } = await trainedC6('vit_mini_patch4_28', 'small', 0, cfg, ctx);
 */
import type { Json, RunContext } from '../../lib/experiments/types';
import type { Split } from '../../lib/train';
import { regimeData, trainCfg, trainedMini, type TrainBudget, type TrainingFacts } from '../_representations';
import { ensureSegmentSumKernel } from './model-ops';

export type C6Regime = 'small' | 'full';

export function asRegime(r: Json | undefined): C6Regime {
  if (r === 'small' || r === 'full') return r;
  throw new Error(`C6: unknown regime '${String(r)}' (small | full)`);
}

/** The shared trained mini (weights from the issue-wide cache, or trained now and cached). */
export async function trainedC6(name: string, regime: C6Regime, seed: number, cfg: Record<string, Json>, ctx: RunContext, progress: (f: number) => void = () => {}) {
  ensureSegmentSumKernel(); // Swin's gather needs it to train on wasm
  return trainedMini(name, regime, seed, trainCfg(cfg), ctx, progress);
}

export function budgetOf(cfg: Record<string, Json>): TrainBudget {
  return trainCfg(cfg);
}

/** The training split of a regime: the fixed 2000-image subset, or all 60k. */
export function trainSplit(regime: C6Regime, cfg: Record<string, Json>): Split {
  return regimeData(regime, trainCfg(cfg)).train;
}

export type { TrainingFacts };
