import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { completePolicy } from '../../src/lib/csp-inline.mjs';
import { mergeNotFound, TEMPLATE_ID } from '../../src/lib/not-found-by-path.mjs';

const hash = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;
const policyOf = (html: string) => /content-security-policy" content="([^"]*)"/.exec(html)![1]!;

const page = (body: string) =>
  `<!DOCTYPE html><html><head><meta charset="utf-8"/><title>t</title>` +
  `<script>first()</script><meta http-equiv="content-security-policy" content="default-src 'self'; script-src 'self' 'sha256-abc='; style-src 'self'">` +
  `</head><body>${body}</body></html>`;

describe('completePolicy (CSP hashes for inline scripts and styles)', () => {
  it('adds the hash of every inline script, style element and style attribute, and no unsafe-inline', () => {
    const out = completePolicy(page(`<p style="color: red;">x</p><style>p{margin:0}</style><script type="module">go()</script><script src="/a.js"></script><script type="application/json">{"a":1}</script>`));
    const policy = policyOf(out);
    const directive = (name: string) => policy.split('; ').find((d) => d.startsWith(`${name} `))!.split(' ').slice(1);
    expect(directive('script-src')).toEqual(["'self'", "'sha256-abc='", hash('first()'), hash('go()')]);
    expect(directive('style-src')).toEqual(["'self'", hash('p{margin:0}')]);
    expect(directive('style-src-attr')).toEqual(["'unsafe-hashes'", hash('color: red;')]);
    expect(policy).not.toContain('unsafe-inline');
  });

  it('moves the policy right after <meta charset>, so it covers the scripts before it', () => {
    const out = completePolicy(page(''));
    expect(out).toMatch(/^<!DOCTYPE html><html><head><meta charset="utf-8"\/><meta http-equiv="content-security-policy"/);
    expect(out.match(/content-security-policy/g)).toHaveLength(1);
  });

  it('hashes the decoded value of a style attribute', () => {
    const policy = policyOf(completePolicy(page('<b style="font-family: &quot;A&quot;">x</b>')));
    expect(policy).toContain(hash('font-family: "A"'));
  });

  it('fails naming the file when the page has no policy', () => {
    expect(() => completePolicy('<html><head></head></html>', 'dist/x.html')).toThrow(/dist\/x\.html: no CSP meta tag/);
  });
});

describe('mergeNotFound (one 404.html for both languages)', () => {
  const en = '<html lang="en"><head><title>Page not found | A</title></head><body><h1>Page not found</h1><script>define()</script></body></html>';
  const ja = '<html lang="ja"><head><title>ページが見つかりません | A</title></head><body><h1>ページが見つかりません</h1><script>define()</script><script>jaOnly()</script></body></html>';

  it('carries the Japanese body as a template with its title, and a script that shows it on /ja/ paths', () => {
    const out = mergeNotFound(en, ja);
    const template = new RegExp(`<template id="${TEMPLATE_ID}" data-title="ページが見つかりません \\| A">([\\s\\S]*?)</template>`).exec(out);
    expect(template?.[1]).toContain('<h1>ページが見つかりません</h1>');
    expect(out.indexOf('<h1>Page not found</h1>')).toBeLessThan(out.indexOf('<template'));
    expect(out).toMatch(/\/\^\\\/ja\(\\\/\|\$\)\/\.test\(location\.pathname\)/);
  });

  it('does not run the scripts the English page already ran, but keeps the others', () => {
    const template = /<template[^>]*>([\s\S]*?)<\/template>/.exec(mergeNotFound(en, ja))![1]!;
    expect(template).not.toContain('define()');
    expect(template).toContain('jaOnly()');
  });

  it('fails with the fix when the Japanese page is missing its body', () => {
    expect(() => mergeNotFound(en, '<html></html>')).toThrow(/src\/content\/docs\/ja\/404\.mdx/);
  });
});
