// The data flows one way (scripts/ → generated/ → src/): src/ never imports scripts/, scripts/
// never imports src/, and contracts/ (the shapes both sides share) imports neither. models/ (the
// model definitions, run by the experiments in Node and by the lab in the browser) imports neither
// either, and nothing Node-only, so that the site can bundle it.
import { builtinModules } from 'node:module';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.(ts|mts|mjs|astro|mdx)$/.test(f) ? [p] : [];
  });
}

/** Every module specifier a file imports (static, dynamic, re-export), resolved to a repository path when relative or ~/. */
function imports(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  const re = /(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  return [...src.matchAll(re)].map((m) => (m[1] ?? m[2])!).map((s) =>
    s.startsWith('.') ? relative('.', resolve(dirname(file), s)) : s.startsWith('~/') ? join('src', s.slice(2)) : s,
  );
}

const crossing = (from: string, forbidden: string[]) =>
  files(from).flatMap((f) => imports(f).filter((i) => forbidden.some((d) => i === d || i.startsWith(`${d}/`))).map((i) => `${f} imports ${i}`));

describe('import boundaries', () => {
  it('finds imports (the scan works on a file known to import contracts/)', () => {
    expect(imports('src/lib/generated.ts')).toContain('contracts/values');
  });
  it('src/ never imports scripts/', () => {
    expect(crossing('src', ['scripts'])).toEqual([]);
  });
  it('scripts/ never imports src/', () => {
    expect(crossing('scripts', ['src'])).toEqual([]);
  });
  it('contracts/ imports neither scripts/ nor src/', () => {
    expect(crossing('contracts', ['scripts', 'src'])).toEqual([]);
  });
  it('models/ imports neither scripts/ nor src/', () => {
    expect(crossing('models', ['scripts', 'src'])).toEqual([]);
  });
  it('nothing under models/ imports a Node module', () => {
    const node = (i: string) => i.startsWith('node:') || builtinModules.includes(i.split('/')[0]!);
    expect(node('node:fs') && node('path') && !node('@tensorflow/tfjs'), 'the check itself').toBe(true);
    expect(files('models').flatMap((f) => imports(f).filter(node).map((i) => `${f} imports ${i}`))).toEqual([]);
  });
});
