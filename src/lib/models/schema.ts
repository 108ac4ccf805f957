/**
 * The model-facts schema: one YAML file per model in `src/content/models/`.
 * Every number carries its own `source` (paper + table, or the official repo README),
 * so no figure on the site is typed without a citation.
 */
import { z } from 'astro/zod';

/** Group tags: how a model mixes CNN and ViT ideas (closed set; an unknown tag fails the build). */
export const GROUPS = [
  'cnn',
  'vit',
  'conv-stem',
  'kv-downsampling',
  'conv-in-block',
  'local-attention',
  'hierarchical',
  'no-attention',
] as const;
export type Group = (typeof GROUPS)[number];

/** Diagram box kinds, used to colour the block/stage diagram of a model page. */
export const DIAGRAM_KINDS = [
  'input', 'stem', 'conv', 'attn', 'local-attn', 'kv-attn', 'conv-attn', 'mlp', 'pool', 'merge', 'head',
] as const;

const citation = z.string().trim().min(3, 'every number needs a source: the paper and table, or the official repo README');
/**
 * A plain string is a bare citation that reads the same in both languages ("Liu et al. 2021, Table 1(a)");
 * a source with explanatory words is written in both: { en: "..., Table 5 (ImageNet row)", ja: "..." }.
 */
const source = z.union([citation, z.strictObject({ en: citation, ja: citation })]);

/** A note on a fact is prose: written in both languages. */
const note = z.strictObject({ en: z.string().min(1), ja: z.string().min(1) });

const sourced = <T extends z.ZodTypeAny>(value: T) =>
  z.strictObject({ value, source, note: note.optional() });

export const modelSchema = z.strictObject({
  /** Short display name as in the paper's tables, e.g. "Swin-T". */
  name: z.string().min(1),
  /** Family name, e.g. "Swin Transformer". */
  family: z.string().min(1),
  /** timm-style architecture name where one exists, e.g. swin_tiny_patch4_window7_224. */
  timm: z.string().optional(),
  groups: z.array(z.enum(GROUPS)).min(1),
  paper: z.strictObject({
    title: z.string().min(1),
    /** First author et al., e.g. "Ze Liu et al." */
    authors: z.string().min(1),
    year: z.number().int().min(1990).max(2030),
    venue: z.string().min(1),
    arxiv: z.string().regex(/^\d{4}\.\d{4,5}$/, 'arXiv id like 2103.14030').optional(),
    url: z.url(),
    bibtex: z.string().trim().startsWith('@'),
  }),
  facts: z.strictObject({
    /** Parameters in millions. */
    params_m: sourced(z.number().positive()).optional(),
    /** Compute in G. `counts` says what the paper means by "FLOPs": multiply-adds or real FLOPs. */
    flops_g: z
      .strictObject({ value: z.number().positive(), counts: z.enum(['macs', 'flops']), source, note: note.optional() })
      .optional(),
    /** Input resolution (square side, px) at which the facts were measured. */
    resolution: sourced(z.number().int().positive()).optional(),
    /** ImageNet-1k top-1 accuracy, percent. */
    top1: sourced(z.number().min(0).max(100)).optional(),
    /** Pre-training data, stated only when it is not ImageNet-1k alone. */
    pretrain: sourced(z.string().min(1)).optional(),
  }),
  /** Slugs of related model pages (each must exist). */
  related: z.array(z.string()).default([]),
  /**
   * Top-to-bottom stage/block layout for the page's SVG diagram. Labels are written in both languages;
   * a note is a plain string only when it has no words to translate ("224×224", "H/16, C=384").
   */
  diagram: z
    .array(
      z.strictObject({
        label: note,
        kind: z.enum(DIAGRAM_KINDS),
        note: z
          .union([
            z.string().refine((s) => !/[A-Za-z]{3,}/.test(s), {
              message: 'a diagram note with words needs both languages: { en: "...", ja: "..." }',
            }),
            note,
          ])
          .optional(),
      }),
    )
    .min(2),
});
export type ModelFacts = z.infer<typeof modelSchema>;
