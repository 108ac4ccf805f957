/**
 * One 404.html for both languages. Static hosts such as GitHub Pages serve the root `404.html` for
 * every missing path, so a reader who mistypes a `/ja/…` address would get the English page. After
 * the build, this copies the body of the Japanese 404 page (`ja/404/index.html`) into the root one
 * as an inert <template>, with a small script that shows it when the address starts with `/ja/`.
 * Without JavaScript the English page stays.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TEMPLATE_ID = 'atlas-not-found-ja';

// Runs while the root page's <body> is parsed, before the deferred module scripts that define
// Starlight's custom elements, so the Japanese header, search and pickers upgrade as usual.
const SWAP = `(() => {
  const t = document.getElementById('${TEMPLATE_ID}');
  if (!t || !/^\\/ja(\\/|$)/.test(location.pathname)) return;
  document.documentElement.lang = 'ja';
  document.title = t.dataset.title;
  document.body.replaceChildren(t.content.cloneNode(true));
})();`;

const escapeAttr = (s) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
const decodeText = (s) =>
  s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

/** The root 404 page with the Japanese body and the swap script added; throws naming what is missing. */
export function mergeNotFound(enHtml, jaHtml) {
  const body = /<body[^>]*>([\s\S]*)<\/body>/.exec(jaHtml);
  const title = /<title>([^<]*)<\/title>/.exec(jaHtml);
  if (!body || !title) throw new Error('ja/404/index.html has no <body> or <title>: is src/content/docs/ja/404.mdx there?');
  if (!enHtml.includes('</body>')) throw new Error('404.html has no </body>');
  // Scripts that the English page already ran (Starlight's custom element definitions) must not run twice.
  const ran = new Set([...enHtml.matchAll(/<script\b[^>]*>[\s\S]*?<\/script>/g)].map((m) => m[0]));
  const jaBody = body[1].replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, (script) => (ran.has(script) ? '' : script));
  const template = `<template id="${TEMPLATE_ID}" data-title="${escapeAttr(decodeText(title[1]))}">${jaBody}</template>`;
  return enHtml.replace('</body>', `${template}<script>${SWAP}</script></body>`);
}

/** Astro integration; list it before the CSP integration so the swap script gets hashed. */
export function notFoundByPath() {
  return {
    name: 'atlas:not-found-by-path',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const root = fileURLToPath(dir);
        const enFile = join(root, '404.html');
        const [en, ja] = await Promise.all([readFile(enFile, 'utf8'), readFile(join(root, 'ja/404/index.html'), 'utf8')]);
        const tmp = `${enFile}.${process.pid}.tmp`;
        await writeFile(tmp, mergeNotFound(en, ja));
        await rename(tmp, enFile);
        logger.info('404.html shows the Japanese page for /ja/ paths');
      },
    },
  };
}
