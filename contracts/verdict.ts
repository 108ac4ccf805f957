/**
 * The verdict an experiment writes to generated/<experiment>/verdict.json: which claims it tests,
 * the criterion fixed before the run, what it measured (mean and 95% interval over seeds), and the
 * verdict computed from those numbers. The claims ledger and the articles read it.
 */
import { z } from 'astro/zod';

const bilingual = z.strictObject({ en: z.string().min(1), ja: z.string().min(1) });

export const VERDICTS = ['reproduced', 'partly', 'not-reproduced'] as const;

export const measuredSchema = z.strictObject({
  /** Stable key, also usable with <Value experiment=… key=…> through values.json. */
  key: z.string().min(1),
  label: bilingual,
  mean: z.number(),
  /** 95% interval over seeds, [low, high]. */
  ci95: z.tuple([z.number(), z.number()]),
  seeds: z.number().int().min(1),
  unit: z.string().optional(),
  /** The paper's value for the same quantity, where one exists, with its citation. */
  paper: z.strictObject({ value: z.number(), source: z.string().min(3) }).optional(),
});

export const verdictSchema = z.strictObject({
  experiment: z.string().min(1),
  claims: z.array(z.string().regex(/^C[1-8]$/)).min(1),
  profile: z.enum(['quick', 'full']),
  /** Written before the run, in code: what result counts as reproduced / partly / not. */
  criterion: bilingual,
  verdict: z.enum(VERDICTS),
  /** One or two sentences, generated from the numbers. */
  summary: bilingual,
  measured: z.array(measuredSchema).min(1),
  /**
   * English path of the page that shows the chart, with the Chart figure's id as the anchor (the same id in
   * both languages; the ledger adds /ja for Japanese): /articles/shape-vs-texture/#chart-shape-bias-<chart-name>
   */
  chart: z.string().regex(/^\/[a-z0-9/-]*\/#chart-[a-z0-9-]+$/, 'an English page path plus #chart-<experiment>-<chart>'),
  /** Training budget, stated on the page: steps, batch, augmentation, models, seeds. */
  budget: bilingual,
  wallSeconds: z.number().nonnegative(),
});
export type Verdict = z.infer<typeof verdictSchema>;
