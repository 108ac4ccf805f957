// npm run bench [-- --steps 10 --warmup 2 --batch 128 --rounds 2 --models vit_mini_patch4_28,resnet_mini_28,hybrid_mini_28,swin_mini_28 --no-torch --torch-threads 1,2 --out FILE]
//
// Trains the zoo's minis (ViT, ResNet, hybrid with a conv stem, Swin) for a fixed number of steps
// in tfjs (the backend selectBackend() picks, or ATLAS_BACKEND) and, in the same run, the same
// architectures in PyTorch (bench/torch_baseline.py under Debian's /usr/bin/python3 with
// python3-torch), 1 and 2 threads. Prints img/s and the tfjs/PyTorch ratios; writes
// bench/results/train-speed.json (atomic) with the machine (CPU model, cores, load average at
// start and end) and a per-kernel profile of one tfjs step per model. Run it on an idle machine:
// the ratios are what it is for. `npm exec -- tsx bench/table.ts` prints the README's table.
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { selectBackend } from '../scripts/lib/engine/backend';
import { profileKernels, type Profile } from '../scripts/lib/engine/profile';
import { adamW, TRAIN_DEFAULTS } from '../scripts/lib/train';
import { createModel } from '../models/index';
import { writeJsonAtomic } from '../scripts/lib/experiments/atomic';
import { measureGemmPeak } from './gemm';
import { writeReadmeTable } from './table';



function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : dflt;
}
const STEPS = +arg('steps', '10'), WARMUP = +arg('warmup', '2'), BATCH = +arg('batch', '128');
const MODELS = arg('models', 'vit_mini_patch4_28,resnet_mini_28,hybrid_mini_28,swin_mini_28').split(',');
const TORCH_THREADS = arg('torch-threads', '1,2').split(',').map(Number);
const NO_TORCH = process.argv.includes('--no-torch');
const DEFAULT_RESULTS = 'bench/results/train-speed.json';
const RESULTS = arg('out', DEFAULT_RESULTS);
// Rounds alternate tfjs and PyTorch so both see the same background load (the dev machines are
// shared); each reports its best round's median step — the closest to an unloaded machine.
const ROUNDS = +arg('rounds', '2');

interface TfjsResult { model: string; imgPerSec: number; msPerStep: number; steps: number; batch: number; params: number; profile: Profile }

async function benchTfjs(name: string): Promise<TfjsResult> {
  const model = createModel(name, {}, { seed: 0 });
  const vars = model.variables();
  const opt = adamW(vars, TRAIN_DEFAULTS);
  const [H, W, C] = model.inputShape;
  const x = tf.randomUniform([BATCH, H, W, C], 0, 1, 'float32', 1) as tf.Tensor4D;
  const y = tf.oneHot(tf.randomUniform([BATCH], 0, model.numClasses, 'int32', 2), model.numClasses).toFloat() as tf.Tensor2D;
  const step = async (i: number) => {
    const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, model.forward(x, { training: true }).logits) as tf.Scalar, vars);
    opt.step(grads, 1e-3, i);
    await value.data(); // forces completion on async backends (webgpu)
    tf.dispose([value, ...Object.values(grads)]);
  };
  for (let i = 0; i < WARMUP; i++) await step(i);
  const times: number[] = [];
  for (let i = 0; i < STEPS; i++) {
    const t = performance.now();
    await step(WARMUP + i);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const med = times[Math.floor(times.length / 2)]!;
  const profile = await profileKernels(() => step(WARMUP + STEPS));
  const params = vars.reduce((s, v) => s + v.size, 0);
  tf.dispose([x, y]);
  opt.dispose();
  model.dispose();
  return { model: name, imgPerSec: (BATCH * 1000) / med, msPerStep: med, steps: STEPS, batch: BATCH, params, profile };
}

interface TorchResult { model: string; imgPerSec: number; msPerStep: number; threads: number; torch: string }

/**
 * PyTorch as a default install runs it: OpenBLAS picks its own core type and cache sizes. A workplace
 * may preset OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE (here Haswell and 512 bytes), which shrinks
 * OpenBLAS's blocking and made the matmul-bound baselines 5–10× slow; they are removed for the baseline.
 */
function torchEnv(threads: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, OMP_NUM_THREADS: String(threads) };
  for (const k of Object.keys(env)) if (k.startsWith('OPENBLAS_')) delete env[k];
  return env;
}
const TORCH_ENV_REMOVED = Object.keys(process.env).filter((k) => k.startsWith('OPENBLAS_'));

function benchTorch(threads: number): TorchResult[] | string {
  const py = '/usr/bin/python3';
  if (!existsSync(py)) return 'no /usr/bin/python3';
  const probe = spawnSync(py, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0) return 'python3-torch not installed (apt-get install -y python3-torch libopenblas0-openmp)';
  const r = spawnSync(py, ['bench/torch_baseline.py', '--threads', String(threads), '--steps', String(STEPS), '--warmup', String(WARMUP), '--batch', String(BATCH), '--models', MODELS.join(',')], {
    encoding: 'utf8', env: torchEnv(threads), timeout: 15 * 60_000,
  });
  if (r.status !== 0) return `torch baseline failed: ${r.stderr.slice(-500)}`;
  return r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as TorchResult);
}

const loadStart = os.loadavg().map((l) => +l.toFixed(2));
const info = await selectBackend();
process.stderr.write(`tfjs backend: ${info.name} (${info.device}); kernels: ${info.kernels.join(', ') || 'stock'}\n`);
const tfjs: TfjsResult[] = [];
const torch: Record<string, TorchResult[] | string> = {};
const rounds: Array<{ round: number; engine: string; model: string; imgPerSec: number }> = [];
for (let round = 1; round <= ROUNDS; round++) {
  for (const m of MODELS) {
    process.stderr.write(`[round ${round}/${ROUNDS}] tfjs ${m}: ${WARMUP} warmup + ${STEPS} steps at batch ${BATCH}…\n`);
    const r = await benchTfjs(m);
    rounds.push({ round, engine: `tfjs-${info.name}`, model: m, imgPerSec: +r.imgPerSec.toFixed(1) });
    const i = tfjs.findIndex((x) => x.model === m);
    if (i < 0) tfjs.push(r); else if (r.imgPerSec > tfjs[i]!.imgPerSec) tfjs[i] = r;
  }
  if (!NO_TORCH) for (const t of TORCH_THREADS) {
    process.stderr.write(`[round ${round}/${ROUNDS}] pytorch, ${t} thread(s)…\n`);
    const res = benchTorch(t), k = `threads${t}`;
    if (typeof res === 'string') { torch[k] = res; continue; }
    for (const r of res) rounds.push({ round, engine: `torch-${k}`, model: r.model, imgPerSec: +r.imgPerSec.toFixed(1) });
    const prev = torch[k];
    torch[k] = Array.isArray(prev) ? prev.map((p) => { const n = res.find((r) => r.model === p.model); return n && n.imgPerSec > p.imgPerSec ? n : p; }) : res;
  }
}

// The wasm SIMD128 ceiling and the engine's GEMM against it (wasm only): the physical limit.
const gemm = info.name === 'wasm' ? await measureGemmPeak() : null;
if (gemm) process.stderr.write(`GEMM ${gemm.bestGflops} GFLOP/s = ${(100 * gemm.fractionOfSimd128Peak).toFixed(0)}% of the SIMD128 ceiling ${gemm.simd128PeakGflops} GFLOP/s\n`);

// Ratios: tfjs img/s over PyTorch img/s, per model and PyTorch thread count.
const ratios: Record<string, Record<string, number>> = {};
for (const r of tfjs) {
  ratios[r.model] = {};
  for (const [k, v] of Object.entries(torch)) {
    const t = Array.isArray(v) ? v.find((x) => x.model === r.model) : undefined;
    if (t) ratios[r.model]![`vsTorch${k[0]!.toUpperCase()}${k.slice(1)}`] = +(r.imgPerSec / t.imgPerSec).toFixed(3);
  }
}

const pad = (s: string, n: number) => s.padEnd(n);
console.log(`\n${pad('model', 22)} ${pad('tfjs img/s', 11)} ${Object.keys(torch).map((k) => pad(`torch ${k}`, 16)).join(' ')} ratio(s)`);
for (const r of tfjs) {
  const cols = Object.values(torch).map((v) => pad(Array.isArray(v) ? (v.find((x) => x.model === r.model)?.imgPerSec.toFixed(1) ?? '-') : 'n/a', 16));
  console.log(`${pad(r.model, 22)} ${pad(r.imgPerSec.toFixed(1), 11)} ${cols.join(' ')} ${Object.entries(ratios[r.model]!).map(([k, v]) => `${k}=${v}×`).join(' ')}`);
  console.log(`  profile (1 step, ${r.profile.stepMs} ms; kernels ${r.profile.kernelMs} ms, outside kernels ${r.profile.overheadMs} ms): ` +
    r.profile.kernels.slice(0, 8).map((k) => `${k.name} ${k.ms}ms×${k.calls}`).join(', '));
}
for (const [k, v] of Object.entries(torch)) if (!Array.isArray(v)) console.log(`torch ${k}: ${v}`);

// Keep earlier GPU entries (bench/gpu-check.sh appends them) across CPU reruns.
let previous: { gpu?: unknown } = {};
try { previous = JSON.parse(readFileSync(RESULTS, 'utf8')); } catch { /* first run */ }
const out = {
  date: new Date().toISOString(),
  machine: { cpu: os.cpus()[0]?.model.trim(), cores: os.cpus().length, node: process.version, tfjs: tf.version.tfjs },
  backend: info,
  config: { steps: STEPS, warmup: WARMUP, batch: BATCH, rounds: ROUNDS, optimizer: 'AdamW', torchEnvRemoved: TORCH_ENV_REMOVED, statistic: 'median step time within a round, best round', loadAverageStart: loadStart, loadAverage: os.loadavg().map((l) => +l.toFixed(2)) },
  rounds,
  tfjs: tfjs.map(({ profile, ...r }) => r),
  torch,
  ratios,
  targets: { vit_mini_patch4_28: 0.6, resnet_mini_28: 0.5, against: 'torch, 1 thread' },
  ...(gemm ? { gemm } : {}),
  profile: Object.fromEntries(tfjs.map((r) => [r.model, { ...r.profile, kernels: r.profile.kernels.slice(0, 15) }])),
  ...(previous.gpu && info.name !== 'webgpu' ? { gpu: previous.gpu } : {}),
};
writeJsonAtomic(RESULTS, out);
console.log(`\nwrote ${RESULTS}`);
if (RESULTS === DEFAULT_RESULTS && existsSync('README.md')) { writeReadmeTable(RESULTS); console.log('updated the README table'); }
