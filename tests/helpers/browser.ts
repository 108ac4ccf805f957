/**
 * Shared set-up for the browser tests: Debian's chromium through playwright-core, the built
 * site served from dist/, and the list of built pages.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { CHROMIUM } from './system-deps';
import { serveDir } from './static-server';
import { DIST, ensureBuiltSite } from './built-site';

export type Theme = 'light' | 'dark';

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
  });
}

/** Builds dist/ if needed, serves it and starts chromium; `close` stops both. */
export async function openBuiltSite(): Promise<{ url: string; browser: Browser; close: () => Promise<void> }> {
  ensureBuiltSite();
  const server = await serveDir(DIST);
  const browser = await launchChromium();
  return {
    url: server.url,
    browser,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

/**
 * A browser context at the given width in one theme. Starlight reads the theme from
 * localStorage before the first paint, so it is set there (with the colour-scheme preference to match).
 */
export async function themedContext(browser: Browser, opts: { width: number; height?: number; theme: Theme; javaScript?: boolean }): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: { width: opts.width, height: opts.height ?? 800 },
    colorScheme: opts.theme,
    javaScriptEnabled: opts.javaScript ?? true,
  });
  await context.addInitScript((theme) => localStorage.setItem('starlight-theme', theme), opts.theme);
  return context;
}

/** Every built HTML page as a URL path (`/models/swin-t/`, `/404.html`), sorted. */
export function builtPages(dir = DIST): string[] {
  const walk = (d: string): string[] =>
    readdirSync(d).flatMap((name) => {
      const p = join(d, name);
      if (statSync(p).isDirectory()) return name === 'pagefind' || name === '_astro' ? [] : walk(p);
      return name.endsWith('.html') ? [p] : [];
    });
  return walk(dir)
    .map((file) => '/' + relative(dir, file).split(sep).join('/'))
    .map((path) => (path.endsWith('/index.html') ? path.slice(0, -'index.html'.length) : path))
    .sort();
}
