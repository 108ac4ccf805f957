// No import circle under scripts/lib or models/: each module can be read (and loaded) after the
// ones it imports. Relative imports that exist at run time: static and dynamic (`import('./x')`);
// `import type` / `export type` vanish when compiled and are not edges.
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = 'scripts/lib';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Resolves a relative specifier the way the bundler does: file.ts, or dir/index.ts. */
function resolveImport(from: string, spec: string): string | null {
  const base = resolve(dirname(from), spec.replace(/\.(js|ts)$/, ''));
  for (const c of [`${base}.ts`, join(base, 'index.ts')]) if (existsSync(c)) return relative('.', c);
  return null;
}

function importGraph(paths: string[], root = ROOT): Map<string, string[]> {
  const re = /(?:^|[^\w.])(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s+)?['"](\.[^'"]+)['"]|import\(\s*(?:\/\*.*?\*\/\s*)?['"](\.[^'"]+)['"]\s*\)/gm;
  return new Map(paths.map((p) => {
    const src = readFileSync(p, 'utf8').replace(/^\s*\/\/.*$/gm, ''); // comments hold usage examples
    const deps = [...src.matchAll(re)].map((m) => resolveImport(p, (m[1] ?? m[2])!)).filter((d): d is string => !!d && d.startsWith(root));
    return [p, [...new Set(deps)]];
  }));
}

/** Every cycle found by a depth-first search, each as the path that closes it. */
function cycles(graph: Map<string, string[]>): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (n: string) => {
    state.set(n, 'open'); stack.push(n);
    for (const d of graph.get(n) ?? []) {
      if (state.get(d) === 'open') found.push([...stack.slice(stack.indexOf(d)), d]);
      else if (!state.has(d)) visit(d);
    }
    stack.pop(); state.set(n, 'done');
  };
  for (const n of [...graph.keys()].sort()) if (!state.has(n)) visit(n);
  return found;
}

describe('scripts/lib and models/ import graphs', () => {
  it('finds a planted cycle (the check can fail)', () => {
    expect(cycles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]))).toEqual([['a', 'b', 'c', 'a']]);
    expect(cycles(new Map([['a', ['b', 'c']], ['b', ['c']], ['c', []]]))).toEqual([]);
  });

  it('reads static, dynamic and re-export edges, not type-only ones or comments', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'graph-'));
    const w = (f: string, src: string) => writeFileSync(join(tmp, f), src);
    w('a.ts', "import { b } from './b';\nimport type { C } from './c';\n// import { d } from './d';\nexport { e } from './e';\nconst f = await import(/* x */ './f');\n");
    for (const f of ['b', 'c', 'd', 'e', 'f']) w(`${f}.ts`, '');
    const rel = (f: string) => relative('.', join(tmp, f));
    expect(importGraph([join(tmp, 'a.ts')], rel('')).get(join(tmp, 'a.ts'))).toEqual([rel('b.ts'), rel('e.ts'), rel('f.ts')]);
  });

  it('sees the engine importing its kernel files, directory index included', () => {
    const g = importGraph(files(ROOT));
    expect(g.get('scripts/lib/engine/wasm/index.ts')).toContain('scripts/lib/engine/wasm/conv.ts');
    expect(g.get('scripts/lib/engine/backend.ts')).toContain('scripts/lib/engine/wasm/index.ts'); // dynamic import('./wasm')
  });

  it('has no import circle', () => {
    const found = cycles(importGraph(files(ROOT))).map((c) => c.join(' → '));
    expect(found, 'break the circle: move what both sides need into a module that imports neither').toEqual([]);
  });

  it('models/ has no import circle either', () => {
    const g = importGraph(files('models'), 'models');
    expect(g.get('models/index.ts'), 'the scan sees the registry importing its families').toContain('models/vit.ts');
    const found = cycles(g).map((c) => c.join(' → '));
    expect(found, 'break the circle: move what both sides need into a module that imports neither').toEqual([]);
  });
});
