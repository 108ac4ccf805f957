/**
 * cka (C7): linear CKA (Kornblith et al. 2019) between every pair of block outputs — mini-ResNet
 * against mini-ViT, against the conv-stem hybrid and against the small-data ViT, and ViT and
 * ResNet against themselves — on one shared batch of test images (Raghu et al. 2021, Figs. 1–2).
 * One unit per seed: the networks of that seed (trained once, shared with attention-distance and
 * receptive-field) are compared with each other.
 *
 *   npm run experiments -- --only cka [--profile quick]
 *
 * Claim C7 (second half): ViT's shallow layers represent like a CNN's early layers.
 */
import * as tf from '@tensorflow/tfjs';
import type { Json, ProfileName, RunContext, Unit, UnitRecord } from '../lib/experiments/types';
import { ckaMatrix } from '../lib/metrics/cka';
import type { ZooModel } from '../lib/nn/model';
import { analysisImages, TRAIN_BUDGET, TRAIN_BUDGET_QUICK, trainCfg, trainedMini, type Regime } from './common/trained-minis';
import { budgetText, valuesFile, meanCi95, round } from './common/representation-summary';
import { nested, num, phrase, text, type TextRef } from '../../contracts/text';
import { layersOf } from './common/layer-taps';
import { wallSeconds } from '../lib/experiments/wall-time';

export const id = 'cka';
export const claims = ['C7'];
export const codeVersion = '1';

export const defaults = {
  /** name → model:regime; 'cnn' and 'vit' make the verdict. */
  nets: ['cnn=resnet_mini_28:full', 'vit=vit_mini_patch4_28:full', 'hybrid=hybrid_mini_28:full', 'vitSmall=vit_mini_patch4_28:small', 'cnnInit=resnet_mini_28:init', 'vitInit=vit_mini_patch4_28:init'],
  /** Pairs to compare, rows × columns; the untrained pair is a control for what the architecture alone gives. */
  pairs: ['cnn|vit', 'vit|vit', 'cnn|cnn', 'cnn|hybrid', 'cnn|vitSmall', 'cnnInit|vitInit'],
  seeds: 3,
  images: 512, // examples per Gram matrix (Raghu et al. use minibatches of 1024)
  ...TRAIN_BUDGET,
};
type Config = typeof defaults;

export const profiles = {
  quick: { seeds: 1, images: 32, nets: ['cnn=resnet_mini_28:full', 'vit=vit_mini_patch4_28:full'], pairs: ['cnn|vit', 'vit|vit'], ...TRAIN_BUDGET_QUICK },
  full: {},
};

// The criterion, fixed before the run.
/** ViT's shallow layers: its first third (stem, blocks 1–2 of 7 layers); the CNN's early layers: its first half. */
export const shallowCount = (n: number): number => Math.ceil(n / 3);
export const earlyCount = (n: number): number => Math.ceil(n / 2);
/** Worded in src/content/i18n (atlas.exp.cka.criterion). */
export const CRITERION = text('atlas.exp.cka.criterion');

function parseNets(cfg: Config): Array<{ name: string; model: string; regime: Regime }> {
  return cfg.nets.map((s) => {
    const [name, rest] = s.split('=') as [string, string];
    const [model, regime] = rest.split(':') as [string, Regime];
    return { name, model, regime };
  });
}

export function units(_profile: ProfileName, cfg: Config): Unit[] {
  return Array.from({ length: cfg.seeds }, (_, seed) => ({ key: `s${seed}`, seed }));
}

/** Gram matrix of a tap's flattened activations, [n, n] in float64 (the matmul runs on the backend). */
function gramOf(t: tf.Tensor): Float64Array {
  const n = t.shape[0]!;
  const g = tf.tidy(() => {
    const X = t.reshape([n, -1]);
    return tf.matMul(X, X, false, true);
  });
  const out = Float64Array.from(g.dataSync());
  g.dispose();
  return out;
}

async function grams(model: ZooModel, x: tf.Tensor4D): Promise<{ labels: string[]; taps: string[]; grams: Float64Array[] }> {
  const layers = layersOf(model);
  const n = x.shape[0];
  const sums = layers.map(() => new Float64Array(n * n));
  // Features of all n images are needed together; forward in chunks and keep only the taps.
  const chunk = 128;
  const feats: tf.Tensor[][] = layers.map(() => []);
  for (let i = 0; i < n; i += chunk) {
    const kept = tf.tidy(() => {
      const { taps } = model.forward(tf.slice(x, [i, 0, 0, 0], [Math.min(chunk, n - i), -1, -1, -1]), { training: false, taps: true });
      return layers.map((l) => taps[l.tap]!.clone()); // returned from tidy: kept, the rest freed
    });
    kept.forEach((t, k) => feats[k]!.push(t));
  }
  layers.forEach((_, k) => {
    const all = tf.concat(feats[k]!, 0);
    sums[k]!.set(gramOf(all));
    tf.dispose([all, ...feats[k]!]);
  });
  return { labels: layers.map((l) => l.label), taps: layers.map((l) => l.tap), grams: sums };
}

export function runUnit(unit: Unit, cfg: Config, ctx: RunContext): Promise<Json> {
  return measure(unit, cfg, ctx);
}

async function measure(unit: Unit, cfg: Config, ctx: RunContext): Promise<Json> {
  const b = trainCfg(cfg);
  const nets = parseNets(cfg);
  const x = analysisImages(cfg.images);
  const reps: Record<string, { labels: string[]; taps: string[]; grams: Float64Array[]; training: unknown }> = {};
  for (const [i, net] of nets.entries()) {
    const { model, training } = await trainedMini(net.model, net.regime, unit.seed, b, ctx, (f) => ctx.progress((i + f * 0.9) / nets.length, 1));
    reps[net.name] = { ...(await grams(model, x)), training };
    model.dispose();
  }
  x.dispose();
  const n = cfg.images;
  const pairs = cfg.pairs.map((p) => {
    const [a, c] = p.split('|') as [string, string];
    const A = reps[a], C = reps[c];
    if (!A || !C) throw new Error(`cka: pair ${p} names an unknown net (have ${Object.keys(reps).join(', ')})`);
    return {
      pair: p, rows: a, cols: c, rowLabels: A.labels, colLabels: C.labels,
      unbiased: ckaMatrix(A.grams, C.grams, n, 'unbiased').map((r) => r.map((v) => round(v, 4))),
      biased: ckaMatrix(A.grams, C.grams, n, 'biased').map((r) => r.map((v) => round(v, 4))),
    };
  });
  ctx.progress(1, 1);
  return {
    seed: unit.seed, images: n,
    nets: Object.fromEntries(nets.map((net) => [net.name, { model: net.model, regime: net.regime, taps: reps[net.name]!.taps, labels: reps[net.name]!.labels, training: reps[net.name]!.training as Json }])),
    pairs,
  };
}

// ---- summary ----------------------------------------------------------------------------------

interface PairResult { pair: string; rows: string; cols: string; rowLabels: string[]; colLabels: string[]; unbiased: number[][]; biased: number[][] }
interface UnitResult { seed: number; images: number; nets: Record<string, { model: string; regime: string; labels: string[]; training: { testAccuracy: number } }>; pairs: PairResult[] }

/** For a CNN (rows) × Transformer (columns) matrix: Δ and whether every shallow column peaks on an early row. */
export function shallowStats(m: number[][]): { delta: number; allEarly: boolean; argmax: number[] } {
  const rows = m.length, cols = m[0]!.length;
  const early = earlyCount(rows), shallow = shallowCount(cols);
  let e = 0, l = 0;
  const argmax: number[] = [];
  for (let j = 0; j < shallow; j++) {
    let best = 0;
    for (let i = 0; i < rows; i++) {
      if (i < early) e += m[i]![j]!; else l += m[i]![j]!;
      if (m[i]![j]! > m[best]![j]!) best = i;
    }
    argmax.push(best);
  }
  const delta = e / (early * shallow) - l / ((rows - early) * shallow);
  return { delta, allEarly: argmax.every((i) => i < early), argmax };
}

export function verdictOf(mats: number[][][]) {
  const st = mats.map(shallowStats);
  const delta = meanCi95(st.map((s) => s.delta));
  const allEarly = st.every((s) => s.allEarly);
  const verdict: 'reproduced' | 'partly' | 'not-reproduced' = delta.n > 1 && delta.ci95[0] > 0 && allEarly ? 'reproduced' : delta.mean > 0 ? 'partly' : 'not-reproduced';
  return { verdict, delta, allEarly, argmax: st.map((s) => s.argmax) };
}

/** Mean of the off-diagonal entries of a square matrix: how uniform a network is across its depth. */
const offDiagonal = (m: number[][]) => { let s = 0, k = 0; m.forEach((r, i) => r.forEach((v, j) => { if (i !== j) { s += v; k++; } })); return s / k; };

export function summarize(records: UnitRecord[], cfg: Config, profile: ProfileName): Record<string, Json> {
  const rs = records.map((r) => r.result as unknown as UnitResult);
  const seeds = rs.length;
  const pairNames = rs[0]!.pairs.map((p) => p.pair);
  // Heat maps: mean over seeds per cell, plus the spread.
  const cells = pairNames.flatMap((name) => {
    const ps = rs.map((r) => r.pairs.find((p) => p.pair === name)!);
    const p0 = ps[0]!;
    return p0.rowLabels.flatMap((rl, i) => p0.colLabels.map((cl, j) => {
      const s = meanCi95(ps.map((p) => p.unbiased[i]![j]!));
      return { pair: name, rows: p0.rows, cols: p0.cols, row: rl, col: cl, i, j, cka: round(s.mean, 4), lo: round(s.ci95[0], 4), hi: round(s.ci95[1], 4), biased: round(meanCi95(ps.map((p) => p.biased[i]![j]!)).mean, 4) };
    }));
  });
  const mats = (name: string) => rs.map((r) => r.pairs.find((p) => p.pair === name)?.unbiased).filter((m): m is number[][] => !!m);
  const main = verdictOf(mats('cnn|vit'));
  const hybrid = mats('cnn|hybrid').length ? verdictOf(mats('cnn|hybrid')) : null;
  const small = mats('cnn|vitSmall').length ? verdictOf(mats('cnn|vitSmall')) : null;
  const init = mats('cnnInit|vitInit').length ? verdictOf(mats('cnnInit|vitInit')) : null;
  const uniform = (name: string) => { const ms = mats(name); return ms.length ? meanCi95(ms.map(offDiagonal)) : null; };
  const vitSelf = uniform('vit|vit'), cnnSelf = uniform('cnn|cnn');
  const labels = (name: string) => rs[0]!.nets[name]?.labels ?? [];
  const cnnLabels = labels('cnn'), vitLabels = labels('vit');

  const values: Record<string, { value: number; unit?: string }> = {
    delta: { value: round(main.delta.mean, 3) },
    delta_lo: { value: round(main.delta.ci95[0], 3) },
    delta_hi: { value: round(main.delta.ci95[1], 3) },
    shallow_all_early_seeds: { value: rs.filter((_, k) => shallowStats(mats('cnn|vit')[k]!).allEarly).length },
    seeds: { value: seeds },
    images: { value: cfg.images },
    vit_layers: { value: vitLabels.length },
    cnn_layers: { value: cnnLabels.length },
    vit_shallow_layers: { value: shallowCount(vitLabels.length) },
    cnn_early_layers: { value: earlyCount(cnnLabels.length) },
  };
  if (hybrid) { values.hybrid_delta = { value: round(hybrid.delta.mean, 3) }; values.hybrid_delta_lo = { value: round(hybrid.delta.ci95[0], 3) }; values.hybrid_delta_hi = { value: round(hybrid.delta.ci95[1], 3) }; }
  if (small) { values.small_delta = { value: round(small.delta.mean, 3) }; values.small_delta_lo = { value: round(small.delta.ci95[0], 3) }; values.small_delta_hi = { value: round(small.delta.ci95[1], 3) }; }
  if (init) { values.init_delta = { value: round(init.delta.mean, 3) }; values.init_delta_lo = { value: round(init.delta.ci95[0], 3) }; values.init_delta_hi = { value: round(init.delta.ci95[1], 3) }; }
  if (vitSelf) values.vit_self_offdiag = { value: round(vitSelf.mean, 3) };
  if (cnnSelf) values.cnn_self_offdiag = { value: round(cnnSelf.mean, 3) };
  // The single most similar pair of layers for the ViT's first block.
  const cell = (pair: string, row: string, col: string) => cells.find((c) => c.pair === pair && c.row === row && c.col === col)?.cka ?? NaN;
  values.vit_b1_cnn_stem = { value: round(cell('cnn|vit', 'stem', 'b1'), 3) };
  values.vit_b1_cnn_last = { value: round(cell('cnn|vit', cnnLabels.at(-1) ?? '', 'b1'), 3) };
  values.vit_last_cnn_last = { value: round(cell('cnn|vit', cnnLabels.at(-1) ?? '', vitLabels.at(-1) ?? ''), 3) };
  // The hybrid's first token layer (its conv stem's output) against the ResNet's stem and first block.
  values.hybrid_stem_cnn_stem = { value: round(cell('cnn|hybrid', 'stem', 'stem'), 3) };
  values.hybrid_stem_cnn_b1 = { value: round(cell('cnn|hybrid', 'b1', 'stem'), 3) };
  // Mean CKA over all layer pairs: how CNN-like a network is overall.
  const pairMean = (pair: string) => { const cs = cells.filter((c) => c.pair === pair); return cs.length ? cs.reduce((a, c) => a + c.cka, 0) / cs.length : NaN; };
  values.vit_mean_cka = { value: round(pairMean('cnn|vit'), 3) };
  values.hybrid_mean_cka = { value: round(pairMean('cnn|hybrid'), 3) };
  values.init_mean_cka = { value: round(pairMean('cnnInit|vitInit'), 3) };
  values.init_min_cka = { value: round(Math.min(...cells.filter((c) => c.pair === 'cnnInit|vitInit').map((c) => c.cka)), 3) };
  for (const [net, v] of Object.entries(rs[0]!.nets)) {
    if (v.regime !== 'init') values[`${net}_acc`] = { value: round(100 * meanCi95(rs.map((r) => r.nets[net]!.training.testAccuracy)).mean, 1), unit: '%' };
  }

  const measured = (key: string, s: ReturnType<typeof meanCi95>) => ({
    key, label: text(`atlas.exp.cka.measured.${key}`), mean: round(s.mean), ci95: [round(s.ci95[0]), round(s.ci95[1])] as [number, number], seeds: s.n,
  });
  const f2 = (x: number) => num(x, 2);
  const summary = text('atlas.exp.cka.summary', {
    delta: f2(main.delta.mean), lo: f2(main.delta.ci95[0]), hi: f2(main.delta.ci95[1]), seeds: num(seeds),
    allEarly: num(values.shallow_all_early_seeds!.value), verdict: phrase(`atlas.exp.verdictWord.${main.verdict}`),
  });
  const ms = [measured('delta', main.delta)];
  if (hybrid) ms.push(measured('hybrid_delta', hybrid.delta));
  if (small) ms.push(measured('small_delta', small.delta));
  if (init) ms.push(measured('init_delta', init.delta));
  if (vitSelf) ms.push(measured('vit_self_offdiag', vitSelf));
  if (cnnSelf) ms.push(measured('cnn_self_offdiag', cnnSelf));
  const verdictJson = {
    experiment: id, claims, profile, criterion: CRITERION, verdict: main.verdict, summary, measured: ms,
    chart: 'resnet-vit',
    budget: budgetText(trainCfg(cfg), text('atlas.exp.cka.models', { images: num(cfg.images, 0) }), seeds),
    wallSeconds: wallSeconds(records),
  };
  const nets = Object.fromEntries(Object.entries(rs[0]!.nets).map(([k, v]) => [k, { model: v.model, regime: v.regime, labels: v.labels }]));
  return {
    data: { id, images: cfg.images, seeds, nets, shallowViT: shallowCount(vitLabels.length), earlyCNN: earlyCount(cnnLabels.length), cells } as unknown as Json,
    values: valuesFile(id, values) as unknown as Json,
    // The verdict needs every unit: a partial run (the build summarizes what is fresh) has none yet.
    ...(records.length === units(profile, cfg).length ? { verdict: verdictJson as unknown as Json } : {}),
  };
}
