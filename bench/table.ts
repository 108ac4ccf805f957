// The README's training-speed table, from bench/results/train-speed.json:
//   npm exec -- tsx bench/table.ts            prints it
//   npm exec -- tsx bench/table.ts --write    replaces the table between the README's bench markers
// `npm run bench` writes it after every run to the default results file, so the README always
// shows the committed run (its date, CPU and load average included).
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { summarize } from '../scripts/lib/analysis/count';
import { countModel } from '../models/index';

interface Row { model: string; imgPerSec: number; params?: number }
interface Profile { stepMs: number; kernels: { name: string; ms: number; calls: number }[] }
interface Results {
  date: string; machine: { cpu?: string; cores?: number }; config: { rounds: number; batch: number; loadAverageStart?: number[]; loadAverage: number[] };
  backend: { device: string }; tfjs: Row[]; torch: Record<string, Row[] | string>; targets?: Record<string, unknown>;
  profile?: Record<string, Profile>;
  gemm?: { simd128PeakGflops: number; bestGflops: number; fractionOfSimd128Peak: number; vectorIsa: string; nativeOverSimd128: [number, number] };
}

export const START = '<!-- bench:start (bench/table.ts writes this table) -->', END = '<!-- bench:end -->';

/** PyTorch's img/s for a model in one thread setting of the results, if that setting ran. */
const torchImgPerSec = (r: Results, k: string, m: string): number | undefined => { const v = r.torch[k]; return Array.isArray(v) ? v.find((x) => x.model === m)?.imgPerSec : undefined; };

export function benchTable(r: Results): string {
  const torch = (k: string, m: string) => torchImgPerSec(r, k, m);
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
  if (r.gemm && r.profile) lines.push('', ...gapLines(r));
  return lines.join('\n');
}

// Kernels that do the multiply-adds; everything else in a step is memory-bound work.
const MAC_KERNELS = /^(BatchMatMul|Conv2D|Conv2DBackprop(Filter|Input)|DepthwiseConv2dNative.*|_FusedMatMul|FusedConv2D)$/;

/**
 * Where the gap to PyTorch comes from, per model: a training step costs about 6 × MACs × batch FLOPs
 * (forward 2, the two backward products 4). From that the achieved rate of both engines, the rate inside the
 * multiply-add kernels, and the best ratio any SIMD128 engine could reach if every FLOP ran at the measured peak.
 */
export function gapLines(r: Results): string[] {
  const peak = r.gemm!.simd128PeakGflops;
  const rows = r.tfjs.flatMap((t) => {
    const p = r.profile?.[t.model], t1 = torchImgPerSec(r, 'threads1', t.model);
    if (!p || !t1) return [];
    const flopPerImg = 6 * summarize(countModel(t.model)).macs;
    const macMs = p.kernels.filter((k) => MAC_KERNELS.test(k.name)).reduce((a, k) => a + k.ms, 0);
    const rest = p.kernels.filter((k) => !MAC_KERNELS.test(k.name)).sort((a, b) => b.ms - a.ms).slice(0, 3);
    const gf = (imgPerSec: number) => (flopPerImg * imgPerSec) / 1e9;
    const inKernels = (flopPerImg * r.config.batch) / (macMs / 1e3) / 1e9;
    return [`| ${t.model} | ${(flopPerImg / 1e6).toFixed(0)} | ${gf(t.imgPerSec).toFixed(1)} | ${gf(t1).toFixed(1)} | ${Math.round(macMs)} of ${Math.round(p.stepMs)} ms, ${inKernels.toFixed(1)} GFLOP/s (${Math.round((100 * inKernels) / peak)}% of peak) | ${rest.map((k) => `${k.name} ${Math.round(k.ms)}`).join(', ')} | ${(peak / gf(t1)).toFixed(2)}× |`];
  });
  if (!rows.length) return [];
  return [
    'Where the gap comes from (a training step ≈ 6 × MACs × batch FLOPs; profile of one step at batch ' + `${r.config.batch}; the last column is the ratio an engine would reach if every FLOP ran at the SIMD128 peak, i.e. the physical bound of wasm here):`,
    '',
    '| model | MFLOP per image | tfjs GFLOP/s | PyTorch 1 thread GFLOP/s | tfjs time in multiply-add kernels | largest other kernels (ms) | SIMD128 bound |',
    '|---|---|---|---|---|---|---|',
    ...rows,
  ];
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
