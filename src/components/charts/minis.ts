/**
 * The mini models in charts: their order and colour (the order of contracts/minis.ts) and their label
 * (i18n atlas.miniModel.<name>), shared by every chart that shows minis side by side.
 */
import { MINI_ORDER } from '../../../contracts/minis';
import type { Translate } from '~/lib/i18n/t';
import { PALETTE } from './theme';

/** Mean and 95% interval over n seeds. */
export interface Ci { mean: number; lo: number; hi: number; n: number }

/** Fixed colour per mini model (its place in contracts/minis.ts), shared with the other mini charts. */
export const MODEL_ORDER: readonly string[] = MINI_ORDER;
export const modelLabel = (t: Translate, m: string) => t(`atlas.miniModel.${m}`);
export function modelColour(t: Translate, models: string[]) {
  const ms = MODEL_ORDER.filter((m) => models.includes(m));
  return { domain: ms.map((m) => modelLabel(t, m)), range: ms.map((m) => PALETTE[MODEL_ORDER.indexOf(m) % PALETTE.length]!) };
}
