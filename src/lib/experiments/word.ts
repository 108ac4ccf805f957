/**
 * Words an experiment's text reference (contracts/text.ts) in one language: the template from
 * src/content/i18n/<lang>.json with its {{params}} filled in: numbers in the locale's format, minis by
 * their atlas.miniModel.<name> label, phrases by their own key, lists joined as the language joins them.
 */
import { mini } from '../../../contracts/minis';
import type { TextParam, TextRef } from '../../../contracts/text';
import { makeT, type Lang } from '~/lib/i18n/t';

function param(p: TextParam, lang: Lang): string {
  const t = makeT(lang);
  if ('num' in p) {
    // With digits: fixed, so that an interval's ends line up (0.10, not 0.1); without: as written (0.004, 60,000).
    const [min, max] = p.digits === undefined ? [0, 6] : [p.digits, p.digits];
    return new Intl.NumberFormat(lang === 'ja' ? 'ja-JP' : 'en-US', { minimumFractionDigits: min, maximumFractionDigits: max, signDisplay: 'negative' }).format(p.num);
  }
  if ('model' in p) return t(`atlas.miniModel.${p.model}`);
  if ('mini' in p) return `${mini(p.mini).family}-mini`;
  if ('phrase' in p) return t(p.phrase);
  if ('text' in p) return word(p.text, lang);
  return p.list.map((x) => param(x, lang)).join(lang === 'ja' ? '、' : ', ');
}

export function word(ref: TextRef, lang: Lang): string {
  const vars = Object.fromEntries(Object.entries(ref.params ?? {}).map(([k, p]) => [k, param(p, lang)]));
  const s = makeT(lang)(ref.key, vars);
  const left = /\{\{(\w+)\}\}/.exec(s);
  if (left) throw new Error(`${ref.key} (${lang}) needs the parameter '${left[1]}', which the experiment did not give. Fix: add it to the experiment's summarize() or remove it from src/content/i18n/${lang}.json.`);
  return s;
}
