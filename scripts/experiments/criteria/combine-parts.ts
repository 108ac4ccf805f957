/**
 * One verdict from the verdicts of a claim's parts (the claim's sub-statements, or the same test on two
 * datasets), the same way for every criterion:
 *
 *   combineParts(['reproduced', 'not-detected'])   // 'partly'
 *
 * - every part inconclusive → inconclusive (nothing could be measured);
 * - every part reproduced → reproduced;
 * - some part reproduced, another not (or not measurable) → partly;
 * - no part reproduced, some part contradicted → contradicted (the opposite is what was found);
 * - otherwise (not detected, possibly with inconclusive parts) → not-detected.
 */
import type { RuleVerdict } from '../../../contracts/verdict';

export function combineParts(parts: readonly RuleVerdict[]): RuleVerdict {
  if (parts.length === 0) throw new Error('combineParts: no parts');
  if (parts.every((p) => p === 'inconclusive')) return 'inconclusive';
  if (parts.every((p) => p === 'reproduced')) return 'reproduced';
  if (parts.some((p) => p === 'reproduced' || p === 'partly')) return 'partly';
  if (parts.some((p) => p === 'contradicted')) return 'contradicted';
  return 'not-detected';
}
