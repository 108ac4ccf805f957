// The data flows one way (scripts/ → generated/ → src/): src/ never imports scripts/, scripts/
// never imports src/, and contracts/ (the shapes both sides share) imports neither.
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
});
