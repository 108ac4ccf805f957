// Site config: English at `/`, Japanese at `/ja/` (Starlight's root-locale layout).
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import mdx from '@astrojs/mdx';
import { satteri } from '@astrojs/markdown-satteri';
import { cjkLinebreak } from './src/lib/cjk-linebreak.mjs';

export const locales = {
  root: { label: 'English', lang: 'en' },
  ja: { label: '日本語', lang: 'ja' },
};

export default defineConfig({
  site: 'https://cnn-vit-atlas.example.org',
  markdown: { processor: satteri({ mdastPlugins: [cjkLinebreak] }) },
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
      ],
    }),
    mdx(),
  ],
});
