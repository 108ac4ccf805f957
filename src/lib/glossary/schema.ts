/** One glossary term (src/content/glossary/terms.yaml): rendered on the glossary pages, and its variants feed prh. */
import { z } from 'astro/zod';

const bilingual = z.strictObject({ en: z.string().min(1), ja: z.string().min(1) });

export const glossaryTermSchema = z.strictObject({
  /** Anchor on the glossary page: /articles/glossary/#<id>. */
  id: z.string().regex(/^[a-z0-9-]+$/),
  /** The Japanese form the pages use. */
  ja: z.string().min(1),
  /** The English form. */
  en: z.string().min(1),
  /** Other spellings readers search for; the explaining article gives them at the first mention. */
  alt: z.array(z.string().min(1)).optional(),
  definition: bilingual,
  /** The page that explains the term, relative to the locale root, e.g. "articles/cnn-vs-vit". */
  article: z.string().regex(/^(articles|experiments)\/[a-z0-9-]+$/),
  /** Spellings that must not appear in Japanese text (prh patterns: a string or /regex/). */
  variants: z.array(z.string().min(1)).optional(),
  /** What prh suggests for a variant, where it is not `ja` itself. */
  fix: z.string().min(1).optional(),
});
export type GlossaryTerm = z.infer<typeof glossaryTermSchema>;
