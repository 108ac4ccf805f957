// The README's training-speed table, from bench/results/train-speed.json:
//   npm exec -- tsx bench/table.ts            prints it
//   npm exec -- tsx bench/table.ts --write    replaces the table between the README's bench markers
// `npm run bench` writes it after every run to the default results file, so the README always
// shows the committed run (its date, CPU and load average included).
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

interface Row { model: string; imgPerSec: number; params?: number }
interface Results {
  date: string; machine: { cpu?: string; cores?: number }; config: { rounds: number; batch: number; loadAverageStart?: number[]; loadAverage: number[] };
  backend: { device: string }; tfjs: Row[]; torch: Record<string, Row[] | string>; targets?: Record<string, unknown>;
  gemm?: { simd128PeakGflops: number; bestGflops: number; fractionOfSimd128Peak: number; vectorIsa: string; nativeOverSimd128: [number, number] };
}

export const START = '<!-- bench:start (bench/table.ts writes this table) -->', END = '<!-- bench:end -->';

export function benchTable(r: Results): string {
  const torch = (k: string, m: string) => { const v = r.torch[k]; return Array.isArray(v) ? v.find((x) => x.model === m)?.imgPerSec : undefined; };
  const f = (v: number | undefined, d = 0) => (v === undefined ? '–' : v.toFixed(d));
  const lines = [
    `${r.date.slice(0, 10)}, ${r.machine.cpu ?? 'unknown CPU'} ×${r.machine.cores ?? '?'}, ${r.backend.device}; batch ${r.config.batch}, AdamW, best of ${r.config.rounds} rounds; load average ${(r.config.loadAverageStart ?? r.config.loadAverage).join(' / ')} at start, ${r.config.loadAverage.join(' / ')} at end.`,
    '',
    '| model | tfjs-wasm, 1 thread (img/s) | PyTorch, 1 thread | PyTorch, 2 threads | tfjs ÷ PyTorch 1 thread | target |',
    '|---|---|---|---|---|---|',
    ...r.tfjs.map((t) => {
      const t1 = torch('threads1', t.model), t2 = torch('threads2', t.model), target = r.targets?.[t.model];
      return `| ${t.model} | ${f(t.imgPerSec)} | ${f(t1)} | ${f(t2)} | ${t1 ? `${(t.imgPerSec / t1).toFixed(2)}×` : '–'} | ${typeof target === 'number' ? `≥ ${target}×` : '–'} |`;
    }),
  ];
  if (r.gemm) lines.push('', `Physical limit: the engine's GEMM runs at ${f(r.gemm.bestGflops, 1)} GFLOP/s, ${Math.round(100 * r.gemm.fractionOfSimd128Peak)}% of the ${f(r.gemm.simd128PeakGflops, 1)} GFLOP/s that wasm SIMD128 multiply-adds reach on one core here; native ${r.gemm.vectorIsa} code has ${r.gemm.nativeOverSimd128.join('–')}× that ceiling (\`bench/gemm-peak.ts\`).`);
  return lines.join('\n');
}

/** Replaces the text between the markers in `readme` (atomic write); throws naming the fix if they are missing. */
export function writeReadmeTable(results: string, readme = 'README.md'): void {
  const text = readFileSync(readme, 'utf8');
  const a = text.indexOf(START), b = text.indexOf(END);
  if (a < 0 || b < a) throw new Error(`${readme}: bench markers missing; add the lines\n${START}\n${END}\nwhere the table belongs`);
  const table = benchTable(JSON.parse(readFileSync(results, 'utf8')) as Results);
  const tmp = `${readme}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  writeFileSync(tmp, `${text.slice(0, a + START.length)}\n${table}\n${text.slice(b)}`);
  renameSync(tmp, readme);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const results = 'bench/results/train-speed.json';
  if (process.argv.includes('--write')) writeReadmeTable(results);
  else console.log(benchTable(JSON.parse(readFileSync(results, 'utf8')) as Results));
}
