/**
 * Completes Astro's CSP meta tag after the build. Astro hashes the scripts and styles it bundles;
 * the inline scripts and `style` attributes that Starlight renders are not hashed. This adds their
 * hashes to every page's policy (scripts stay without 'unsafe-inline'; style attributes are allowed
 * one value at a time through 'unsafe-hashes') and moves the meta tag to the top of <head>, so the
 * policy covers everything after it.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const META = /<meta http-equiv="content-security-policy" content="([^"]*)"\s*\/?>/;

const sha256 = (text) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

const decodeAttr = (value) =>
  value.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The page's HTML with the inline hashes added to its policy; throws when the page has no policy. */
export function completePolicy(html, file = 'page') {
  const meta = META.exec(html);
  if (!meta) throw new Error(`${file}: no CSP meta tag; is security.csp enabled in astro.config.mjs?`);
  const directives = new Map(
    meta[1]
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => {
        const [name, ...sources] = d.split(/\s+/);
        return [name, sources];
      }),
  );
  const add = (name, sources) => {
    const list = directives.get(name) ?? [];
    for (const s of sources) if (!list.includes(s)) list.push(s);
    directives.set(name, list);
  };
  const withoutMeta = html.replace(meta[0], '');
  const scripts = [];
  const styles = [];
  for (const m of withoutMeta.matchAll(/<(script|style)\b([^>]*)>([\s\S]*?)<\/\1>/g)) {
    const [, tag, attrs, body] = m;
    if (/\ssrc=/.test(attrs)) continue;
    if (tag === 'script' && /\stype="(?!module"|text\/javascript")[^"]*"/.test(attrs)) continue; // JSON data blocks
    (tag === 'script' ? scripts : styles).push(sha256(body));
  }
  const attrStyles = [...withoutMeta.matchAll(/<[a-zA-Z][^>]*?\sstyle="([^"]*)"/g)].map((m) => sha256(decodeAttr(m[1])));
  if (scripts.length) add('script-src', scripts);
  if (styles.length) add('style-src', styles);
  if (attrStyles.length) add('style-src-attr', ["'unsafe-hashes'", ...attrStyles]);
  const policy = [...directives].map(([name, sources]) => [name, ...sources].join(' ')).join('; ');
  const tag = `<meta http-equiv="content-security-policy" content="${policy}">`;
  const charset = /<meta charset="[^"]*"\s*\/?>/i.exec(withoutMeta);
  if (!charset) return withoutMeta.replace(/<head>/i, `<head>${tag}`);
  return withoutMeta.replace(charset[0], charset[0] + tag);
}

async function htmlFiles(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await htmlFiles(p)));
    else if (entry.name.endsWith('.html')) out.push(p);
  }
  return out;
}

/** Astro integration: runs completePolicy over every built page (atomic writes). */
export function cspInlineHashes() {
  return {
    name: 'atlas:csp-inline-hashes',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const root = fileURLToPath(dir);
        const files = await htmlFiles(root);
        for (const file of files) {
          const html = await readFile(file, 'utf8');
          const tmp = `${file}.${process.pid}.tmp`;
          await writeFile(tmp, completePolicy(html, file));
          await rename(tmp, file);
        }
        logger.info(`inline script and style hashes added to the CSP of ${files.length} pages`);
      },
    },
  };
}
