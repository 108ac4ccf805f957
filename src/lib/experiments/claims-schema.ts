/** The seed claims C1–C8 (src/content/claims/claims.yaml): statement, paper evidence with citations, our experiments. */
import { z } from 'astro/zod';

const bilingual = z.strictObject({ en: z.string().min(1), ja: z.string().min(1) });

export const claimSchema = z.strictObject({
  id: z.string().regex(/^C[1-8]$/),
  statement: bilingual,
  paper: z.array(z.strictObject({ source: z.string().min(5), evidence: bilingual })).min(1),
  /** Experiment ids whose generated/<id>/verdict.json tests this claim. */
  experiments: z.array(z.string()).min(1),
  /** Article slug that discusses the claim. */
  article: z.string(),
});
export type Claim = z.infer<typeof claimSchema>;
