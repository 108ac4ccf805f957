/**
 * UI strings for components, endpoints and chart specs alike (Astro.locals.t exists only inside
 * Starlight pages; chart-spec endpoints need the same strings).
 */
import en from '../../content/i18n/en.json';
import ja from '../../content/i18n/ja.json';

export const LANGS = ['en', 'ja'] as const;
export type Lang = (typeof LANGS)[number];

const STRINGS: Record<Lang, Record<string, string>> = { en, ja };

export type Translate = (key: string, vars?: Record<string, string | number>) => string;

export function makeT(lang: Lang): Translate {
  return (key, vars) => {
    const s = STRINGS[lang][key];
    if (s === undefined) {
      throw new Error(`UI string "${key}" is missing from src/content/i18n/${lang}.json. Fix: add it there (and to the other locale).`);
    }
    return vars ? s.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(vars[k] ?? `{{${k}}}`)) : s;
  };
}

/** Starlight's `lang` ('en', 'ja') to ours; anything else is a configuration error. */
export function toLang(lang: string | undefined): Lang {
  const short = (lang ?? 'en').slice(0, 2);
  if (short === 'en' || short === 'ja') return short;
  throw new Error(`unsupported page language "${lang}"`);
}

/** Locale-aware path prefix: English is the root locale. */
export const localePrefix = (lang: Lang) => (lang === 'en' ? '' : `/${lang}`);

export function formatNumber(value: number, lang: Lang, maximumFractionDigits = 1, minimumFractionDigits = 0): string {
  // signDisplay 'negative': a value that rounds to zero prints as 0, not -0.
  return new Intl.NumberFormat(lang === 'ja' ? 'ja-JP' : 'en-US', { minimumFractionDigits, maximumFractionDigits, signDisplay: 'negative' }).format(value);
}
