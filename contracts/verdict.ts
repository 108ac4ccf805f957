/**
 * The verdict an experiment writes to generated/<experiment>/verdict.json: which claims it tests,
 * the criterion fixed before the run, what it measured (mean and 95% interval over seeds), and the
 * verdict computed from those numbers, as data and codes (the site words them in each language and
 * finds the page that shows the chart). The claims ledger and the articles read it.
 */
import { z } from 'astro/zod';
import { textRefSchema } from './text';

/** Sentences are codes: an i18n key and its parameters (contracts/text.ts), worded by the site, never prose. */
const worded = textRefSchema;

/**
 * The verdict words, defined once on the claims-ledger page:
 * - reproduced: the effect the claim predicts is found, under the criterion and against its control;
 * - partly: some of its parts are found, others not;
 * - not-detected: no effect found either way (the data cannot tell the claim from its absence);
 * - contradicted: the opposite of the claim is found;
 * - inconclusive: the measurement cannot decide (its control or its inputs fail a precondition);
 * - not-reproduced: legacy, from rules written before the model pool that did not separate
 *   "not detected" from "contradicted"; no new rule may return it.
 */
export const VERDICTS = ['reproduced', 'partly', 'not-detected', 'contradicted', 'inconclusive', 'not-reproduced'] as const;
export type VerdictWord = (typeof VERDICTS)[number];
/** The words a rule may return (everything but the legacy one). */
export const RULE_VERDICTS = ['reproduced', 'partly', 'not-detected', 'contradicted', 'inconclusive'] as const;
export type RuleVerdict = (typeof RULE_VERDICTS)[number];

export const measuredSchema = z.strictObject({
  /** Stable key, also usable with <Value experiment=… key=…> through values.json. */
  key: z.string().min(1),
  label: worded,
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
  criterion: worded,
  verdict: z.enum(VERDICTS),
  /** What the effect is measured against (untrained networks of the same architectures and seeds, a baseline, …). */
  control: worded.optional(),
  /** One or two sentences about the numbers (a text reference filled with them). */
  summary: worded,
  measured: z.array(measuredSchema).min(1),
  /** The chart that shows the result (its name under the experiment); the site finds the page that places it. */
  chart: z.string().regex(/^[a-z0-9-]+$/, 'a chart name of the experiment, e.g. bias-by-model'),
  /** Training budget, stated on the page: steps, batch, augmentation, models, seeds. */
  budget: worded,
  wallSeconds: z.number().nonnegative(),
});
export type Verdict = z.infer<typeof verdictSchema>;
