/**
 * Text that the site words: an experiment writes a key into src/content/i18n/{en,ja}.json and the data
 * the sentence needs (numbers, model names, sub-phrases), never the sentence. The site renders it per
 * language (src/lib/experiments/word.ts); a key missing from either language fails the build naming it.
 *
 *   { key: 'atlas.exp.shape-bias.summary', params: { vit: { num: 0.19, digits: 2 }, resnet: { model: 'resnet_mini_28' } } }
 */
import { z } from 'astro/zod';

/**
 * One parameter: a number (formatted per language), a model by its label (atlas.miniModel.<name>), a mini by its
 * short name ('ResNet-mini', from contracts/minis.ts), a phrase key, a nested text, or a list.
 */
export type TextParam =
  | { num: number; digits?: number }
  | { model: string }
  | { mini: string }
  | { phrase: string }
  | { text: TextRef }
  | { list: TextParam[] };
export type TextRef = { key: string; params?: Record<string, TextParam> };

const key = z.string().regex(/^atlas\.[A-Za-z0-9._-]+$/, 'an i18n key under atlas.');
export const textParamSchema: z.ZodType<TextParam> = z.lazy(() =>
  z.union([
    z.strictObject({ num: z.number(), digits: z.number().int().min(0).max(6).optional() }),
    z.strictObject({ model: z.string().min(1) }),
    z.strictObject({ mini: z.string().min(1) }),
    z.strictObject({ phrase: key }),
    z.strictObject({ text: textRefSchema }),
    z.strictObject({ list: z.array(textParamSchema) }),
  ]),
);
export const textRefSchema: z.ZodType<TextRef> = z.lazy(() => z.strictObject({ key, params: z.record(z.string(), textParamSchema).optional() }));

/** Helpers for experiments: `num(0.187, 2)`, `model('vit_mini_patch4_28')`, `text('atlas.exp.x.y', { … })`, `list([…])`. */
export const num = (value: number, digits?: number): TextParam => (digits === undefined ? { num: value } : { num: value, digits });
export const model = (name: string): TextParam => ({ model: name });
export const mini = (name: string): TextParam => ({ mini: name });
export const phrase = (k: string): TextParam => ({ phrase: k });
export const list = (items: TextParam[]): TextParam => ({ list: items });
export const nested = (ref: TextRef): TextParam => ({ text: ref });
export const text = (k: string, params?: Record<string, TextParam>): TextRef => (params ? { key: k, params } : { key: k });
