/**
 * Starlight route middleware: the table of contents of a model page also lists the sections
 * that ModelFacts and ModelAnalysis render at the end of the page (Starlight builds the TOC
 * from the MDX headings only, so headings inside components would be missing).
 */
import { defineRouteMiddleware } from '@astrojs/starlight/route-data';
import { analysisForSlug } from '~/lib/models/analysis';
import { makeT, toLang } from '~/lib/i18n/t';

/** Heading ids, as ModelFacts.astro and ModelAnalysis.astro render them. */
export const MODEL_SECTIONS = {
  facts: 'paper-facts',
  analysis: 'our-analyses',
  compute: 'compute-breakdown',
  scaling: 'cost-and-memory',
  rf: 'receptive-field',
} as const;

export const onRequest = defineRouteMiddleware((context) => {
  const route = context.locals.starlightRoute;
  const model = (route.entry.data as { model?: string }).model;
  if (!model || !route.toc) return;
  const t = makeT(toLang(route.lang));
  const item = (slug: string, text: string, depth = 2) => ({ depth, slug, text, children: [] });
  const analysis = analysisForSlug(model)
    ? [
        item(MODEL_SECTIONS.compute, t('atlas.analysis.computeHeading'), 3),
        item(MODEL_SECTIONS.scaling, t('atlas.analysis.scalingHeading'), 3),
        item(MODEL_SECTIONS.rf, t('atlas.analysis.rfHeading'), 3),
      ]
    : [];
  route.toc.items.push(item(MODEL_SECTIONS.facts, t('atlas.facts.heading')), { ...item(MODEL_SECTIONS.analysis, t('atlas.analysis.heading')), children: analysis });
});
