/**
 * Architecture analyses → generated/models/<registry-name>.json (committed; written atomically).
 *
 *   npm run analyses                         # every paper model: counts, sweeps, receptive fields, latency
 *   npm run analyses -- --only swin_tiny_patch4_window7_224,resnet50 --no-latency
 *   npm run analyses -- --minis              # also train each mini on Fashion-MNIST → generated/models/minis.json
 *   npm run analyses -- --minis-only --steps=300
 *
 * Counts come from the shape-only walk of each model's own forward code (no weights allocated);
 * latency runs the same code on the engine's backend at batch 1 (3 warm-up + 5 timed runs).
 */
import { execSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { breakdown, receptiveFields, summarize } from './lib/analysis/count';
import { selectBackend, type BackendInfo } from './lib/engine/backend';
import { writeJsonAtomic } from './lib/io/json-file';
import { admits, admitsRule, countModel, createModel, familyOf, listMinis, listModels, modelConfig } from '../models/index';
import { slugsFor } from '../models/site-slugs';

/** Input sides of the complexity sweep (the model's native side is added when missing). */
export const SWEEP = [112, 160, 224, 320, 384, 448, 640, 896, 1024];
/** Latency is measured only for models whose float32 weights stay under this (ViT-L's 1.2 GB does not). */
const LATENCY_MAX_PARAMS = 100e6;
const OUT = 'generated/models';
const ZOO_PATHS = ['models', 'scripts/lib/analysis', 'scripts/run-analyses.ts'];

interface Args {
  only: string[] | null;
  latency: boolean;
  minis: boolean;
  paper: boolean;
  steps: number;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { only: null, latency: true, minis: false, paper: true, steps: 300 };
  for (const arg of argv) {
    const [k, v] = arg.split('=');
    switch (k) {
      case '--only':
        a.only = (v ?? '').split(',').filter(Boolean);
        break;
      case '--no-latency':
        a.latency = false;
        break;
      case '--minis':
        a.minis = true;
        break;
      case '--minis-only':
        a.minis = true;
        a.paper = false;
        break;
      case '--steps':
        a.steps = Number(v);
        if (!Number.isInteger(a.steps) || a.steps < 1) throw new Error(`--steps must be a positive integer, got ${v}`);
        break;
      default:
        throw new Error(`unknown argument ${arg}; usage: npm run analyses -- [--only a,b] [--no-latency] [--minis | --minis-only] [--steps=N]`);
    }
  }
  return a;
}

// ------------------------------------------------------------------ provenance

function files(path: string): string[] {
  if (statSync(path).isFile()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((f) => files(join(path, f)));
}

/** Hash of the zoo's source: changes exactly when the counted code changes. */
function codeVersion(): string {
  const h = createHash('sha256');
  for (const f of ZOO_PATHS.flatMap(files)) h.update(f).update(readFileSync(f));
  return h.digest('hex').slice(0, 12);
}

function gitRevision(): string {
  try {
    const rev = execSync('git rev-parse --short=12 HEAD', { encoding: 'utf8' }).trim();
    const dirty = execSync(`git status --porcelain -- ${ZOO_PATHS.join(' ')}`, { encoding: 'utf8' }).trim();
    return dirty ? `${rev}+dirty` : rev;
  } catch {
    return 'unknown';
  }
}

// ------------------------------------------------------------------ analyses

function sweep(name: string, native: number) {
  const sides = [...new Set([...SWEEP, native])].sort((a, b) => a - b);
  const admitted = sides.filter((s) => admits(name, s));
  return {
    rule: admitsRule(name),
    skipped: sides.filter((s) => !admitted.includes(s)),
    points: admitted.map((resolution) => {
      const s = summarize(countModel(name, { resolution }));
      return { resolution, macs: s.macs, params: s.params, peakActivationBytes: s.peakActivationBytes, totalActivationBytes: s.totalActivationBytes };
    }),
  };
}

async function latency(name: string, backend: BackendInfo) {
  const cfg = modelConfig(name);
  const params = countModel(name).paramCount;
  if (params > LATENCY_MAX_PARAMS) return { skipped: `weights (${(params / 1e6).toFixed(0)} M params) exceed the ${LATENCY_MAX_PARAMS / 1e6} M limit for this machine` };
  const m = createModel(name);
  const x = tf.zeros([1, cfg.imgSize, cfg.imgSize, cfg.inChans]) as tf.Tensor4D;
  const once = async () => {
    const t = performance.now();
    const y = tf.tidy(() => m.forward(x, { training: false }).logits);
    await y.data();
    y.dispose();
    return performance.now() - t;
  };
  try {
    for (let i = 0; i < 3; i++) await once();
    const runsMs: number[] = [];
    for (let i = 0; i < 5; i++) runsMs.push(await once());
    const sorted = [...runsMs].sort((a, b) => a - b);
    return {
      backend: backend.name,
      device: backend.device,
      threads: backend.threads,
      batch: 1,
      resolution: cfg.imgSize,
      warmup: 3,
      runsMs: runsMs.map((v) => Math.round(v * 10) / 10),
      medianMs: Math.round(sorted[2]! * 10) / 10,
      minMs: Math.round(sorted[0]! * 10) / 10,
      loadAverage: os.loadavg()[0]!.toFixed(2), // the machine is shared: read latencies with this in mind
    };
  } finally {
    x.dispose();
    m.dispose();
  }
}

/** With --no-latency, keep the last measurement (it records the revision it was measured at). */
function previousLatency(name: string): Record<string, unknown> {
  try {
    const prev = JSON.parse(readFileSync(`${OUT}/${name}.json`, 'utf8')) as { latency?: Record<string, unknown>; provenance?: { gitRevision?: string } };
    if (prev.latency && 'medianMs' in prev.latency) return { gitRevision: prev.provenance?.gitRevision, ...prev.latency };
  } catch {
    // no earlier file
  }
  return { skipped: 'run without --no-latency to measure' };
}

async function analyse(name: string, args: Args, backend: BackendInfo | null, prov: Record<string, string>) {
  const cfg = modelConfig(name);
  const native = countModel(name);
  const s = summarize(native);
  const at224 = cfg.imgSize !== 224 && admits(name, 224) ? countModel(name, { resolution: 224 }) : native;
  const out = {
    model: name,
    family: familyOf(name),
    slugs: slugsFor(name),
    config: cfg,
    resolution: cfg.imgSize,
    params: s.params,
    macs: s.macs,
    macs224: admits(name, 224) ? at224.macs : null,
    peakActivationBytes: s.peakActivationBytes,
    totalActivationBytes: s.totalActivationBytes,
    counting: 'multiply-adds of convs, linears and attention matmuls at batch 1; float32 activations; see scripts/lib/analysis/count.ts',
    layers: breakdown(at224, 1),
    blocks: breakdown(at224, 2).filter((r) => r.name.includes('.')),
    receptiveField: receptiveFields(native, (t) => t === 'stem' || /^stage\d+$/.test(t) || /^block\d+$/.test(t)),
    scaling: sweep(name, cfg.imgSize),
    latency: args.latency && backend ? { ...(await latency(name, backend)), gitRevision: prov.gitRevision } : previousLatency(name),
    provenance: prov,
  };
  const changed = writeJsonAtomic(`${OUT}/${name}.json`, out);
  const lat = 'medianMs' in out.latency ? `${out.latency.medianMs} ms` : '—';
  console.log(`${name.padEnd(32)} ${(s.params / 1e6).toFixed(2).padStart(7)} M  ${(s.macs / 1e9).toFixed(2).padStart(7)} GMACs  ${lat.padStart(10)}${changed ? '' : '  (unchanged)'}`);
  return { model: name, family: out.family, slugs: out.slugs, resolution: out.resolution, params: out.params, macs: out.macs, macs224: out.macs224 };
}

async function trainMinis(args: Args, backend: BackendInfo, prov: Record<string, string>) {
  const { train, TRAIN_DEFAULTS } = await import('./lib/train');
  const { fashionMnist } = await import('./lib/data/fashion-mnist');
  const data = fashionMnist();
  const cfg = { ...TRAIN_DEFAULTS, steps: args.steps, batchSize: 64, warmupSteps: Math.round(args.steps / 10), evalSamples: 0, logEvery: 50, seed: 0 };
  const path = `${OUT}/minis.json`;
  // Rows of earlier runs with the same training config are kept, so `--only` can fill in a subset.
  type Row = { model: string } & Record<string, unknown>;
  let rows: Row[] = [];
  try {
    const prev = JSON.parse(readFileSync(path, 'utf8')) as { train: unknown; models: Row[] };
    if (JSON.stringify(prev.train) === JSON.stringify(cfg)) rows = prev.models;
  } catch {
    // no earlier file
  }
  const names = listMinis().filter((n) => !args.only || args.only.includes(n));
  for (const name of names) {
    const m = createModel(name, {}, { seed: 0 });
    try {
      const counted = summarize(countModel(name));
      const r = await train(m, data, cfg, { log: (line) => console.log(`  ${name}: ${line}`) });
      const row: Row = {
        model: name,
        params: counted.params,
        macs: counted.macs,
        testAccuracy: r.metrics.testAccuracy,
        testLoss: r.metrics.testLoss,
        finalTrainLoss: r.metrics.finalTrainLoss,
        trainImagesPerSec: Math.round(r.timing.imagesPerSec),
        gitRevision: prov.gitRevision,
      };
      rows = [...rows.filter((x) => x.model !== name), row].sort((a, b) => a.model.localeCompare(b.model));
      console.log(`${name.padEnd(22)} acc ${(100 * r.metrics.testAccuracy).toFixed(2)}%  (${Math.round(r.timing.wallMs / 1000)} s)`);
    } finally {
      m.dispose();
    }
    writeJsonAtomic(path, {
      data: 'Fashion-MNIST (60k train / 10k test, 28×28 grey)',
      train: cfg,
      note: `one seed, ${cfg.steps} AdamW steps of ${cfg.batchSize} images (≈${((cfg.steps * cfg.batchSize) / 60000).toFixed(2)} epochs); accuracy on the full test set`,
      backend: { name: backend.name, device: backend.device, threads: backend.threads },
      models: rows,
      provenance: prov,
    });
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const prov = { gitRevision: gitRevision(), codeVersion: codeVersion(), tool: 'scripts/run-analyses.ts' };
  const backend = args.latency || args.minis ? await selectBackend() : null;
  if (backend) console.log(`backend: ${backend.name} (${backend.device})`);
  if (args.paper) {
    const names = args.only ?? listModels().filter((n) => !listMinis().includes(n));
    if (args.only && args.minis) names.splice(0, names.length, ...names.filter((n) => !listMinis().includes(n)));
    const index = [];
    for (const name of names) index.push(await analyse(name, args, backend, prov));
    if (!args.only) writeJsonAtomic(`${OUT}/index.json`, { models: index, provenance: prov });
  }
  if (args.minis && backend) await trainMinis(args, backend, prov);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
