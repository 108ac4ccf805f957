import { defineCollection } from 'astro:content';
import { z } from 'astro/zod';
import { file, glob } from 'astro/loaders';
import { docsLoader, i18nLoader } from '@astrojs/starlight/loaders';
import { docsSchema, i18nSchema } from '@astrojs/starlight/schema';
import { modelSchema } from './lib/models/schema';
import { claimSchema } from './lib/experiments/claims-schema';
import { uiStringsSchema } from './lib/i18n/ui-strings';
import { glossaryTermSchema } from './lib/glossary/schema';

export const collections = {
  docs: defineCollection({
    loader: docsLoader(),
    schema: docsSchema({
      extend: z.object({
        /** Experiment ids whose generated/ data this page shows. */
        experiments: z.array(z.string()).optional(),
        /** Seed claims (C1–C8) this page discusses. */
        claims: z.array(z.string().regex(/^C[1-8]$/)).optional(),
        /** For a model page: the slug of its entry in src/content/models/. */
        model: z.string().optional(),
      }),
    }),
  }),
  i18n: defineCollection({ loader: i18nLoader(), schema: i18nSchema({ extend: uiStringsSchema }) }),
  claims: defineCollection({ loader: file('src/content/claims/claims.yaml'), schema: claimSchema }),
  glossary: defineCollection({ loader: file('src/content/glossary/terms.yaml'), schema: glossaryTermSchema }),
  models: defineCollection({
    loader: glob({ pattern: '*.yaml', base: './src/content/models' }),
    schema: modelSchema,
  }),
};
