// Site config: English at `/`, Japanese at `/ja/` (Starlight's root-locale layout).
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import mdx from '@astrojs/mdx';
import { satteri } from '@astrojs/markdown-satteri';
import { cjkLinebreak } from './src/lib/cjk-linebreak.mjs';
import { cspInlineHashes } from './src/lib/csp-inline.mjs';
import { focusableTables } from './src/lib/focusable-tables.mjs';
import { notFoundByPath } from './src/lib/not-found-by-path.mjs';
import { SEARCH_RANKING } from './src/lib/search-ranking.mjs';

/**
 * Canonical links and the sitemap use this origin. The deploy workflow sets SITE_URL to the Pages URL;
 * a local build uses the preview server's address. Pages link to each other by absolute path, so the
 * site must be served at the root of its origin.
 */
function siteUrl(value = 'http://localhost:4321') {
  let url;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`SITE_URL="${value}" is not a URL: set it to the site's origin, e.g. https://atlas.example.com`);
  }
  if (url.pathname !== '/') {
    throw new Error(
      `SITE_URL="${value}" has a path (${url.pathname}), but the site must be served at the root of its origin: ` +
        'use a custom domain or an <owner>.github.io repository (README: "Publishing a fork").',
    );
  }
  return url.origin;
}

export const locales = {
  root: { label: 'English', lang: 'en' },
  ja: { label: '日本語', lang: 'ja' },
};

export default defineConfig({
  site: siteUrl(process.env.SITE_URL),
  security: {
    // Every page gets a CSP meta tag with hashes of the scripts and styles Astro renders. WebAssembly
    // (Pagefind's search, TensorFlow.js) needs 'wasm-unsafe-eval'; nothing needs 'unsafe-eval'.
    csp: {
      directives: [
        "default-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
      ],
      scriptDirective: { resources: ["'self'", "'wasm-unsafe-eval'"] },
      styleDirective: { resources: ["'self'"] },
    },
  },
  markdown: { processor: satteri({ mdastPlugins: [cjkLinebreak], hastPlugins: [focusableTables] }) },
  vite: {
    build: {
      // vega-embed is a lazily loaded chunk (the interactive chart view), large by nature.
      chunkSizeWarningLimit: 2000,
      rolldownOptions: {
        onLog(level, log, handler) {
          // MDX pages carry Astro's "use astro:head-inject" directive; rolldown warns once per page.
          if (log.code === 'MODULE_LEVEL_DIRECTIVE') return;
          handler(level, log);
        },
      },
    },
  },
  integrations: [
    starlight({
      title: { en: 'CNN×ViT Atlas', ja: 'CNN×ViT アトラス' },
      description: 'CNNs, Vision Transformers and the hybrids between them, with figures rebuilt from code.',
      defaultLocale: 'root',
      locales,
      customCss: ['./src/styles/atlas.css'],
      routeMiddleware: './src/lib/starlight/route-data.ts',
      pagefind: { ranking: SEARCH_RANKING },
      components: {
        // Starlight's search button, with an accessible name that contains its visible text.
        Search: './src/components/starlight/Search.astro',
      },
      sidebar: [
        {
          label: 'Articles',
          translations: { ja: '解説記事' },
          items: [{ autogenerate: { directory: 'articles' } }],
        },
        {
          label: 'Models',
          translations: { ja: 'モデル' },
          items: [
            { label: 'Model list', translations: { ja: 'モデル一覧' }, link: '/models/' },
            {
              label: 'Model pages',
              translations: { ja: '各モデル' },
              collapsed: true,
              items: [{ autogenerate: { directory: 'models' } }],
            },
          ],
        },
        {
          label: 'Experiments',
          translations: { ja: '実験' },
          items: [{ autogenerate: { directory: 'experiments' } }],
        },
        { label: 'Lab', translations: { ja: 'ラボ' }, link: '/lab/' },
      ],
    }),
    mdx(),
    notFoundByPath(),
    // Last: hashes every inline script and style the steps before it left in the pages.
    cspInlineHashes(),
  ],
});
