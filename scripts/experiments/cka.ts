/**
 * cka (C7): minibatch linear CKA (Kornblith et al. 2019; Nguyen et al. 2021) between every pair of
 * block outputs of the model pool's ResNet-mini, ViT-mini and conv-stem hybrid trained on the full
 * data, and of the same networks untrained (the control: shallow layers of any two networks resemble
 * each other near the pixels), on the same test images (Raghu et al. 2021, Figs. 1–2). One unit per
 * seed and regime ('full' or 'init'); the networks come from the pool (common/pool-models.ts).
 *
 *   npm run experiments -- --only cka [--profile quick]
 *
 * Judged by criteria/cka.ts on what training adds to the untrained networks' alignment.
 */
import * as tf from '@tensorflow/tfjs';
import type { Json, ProfileName, RunContext, Unit, UnitRecord } from '../lib/experiments/types';
import { addBatch, hsicAccumulator, minibatchCkaMatrix, type HsicAccumulator } from '../lib/metrics/cka';
import type { MeanCi } from '../lib/metrics/seed-stats';
import type { ZooModel } from '../../models/nn/model';
import { alignment, ckaVerdict, earlyCount, MIN_DELTA_GAIN, MIN_IMAGES, MIN_SEEDS, shallowCount, type CkaPart, type CkaSeed } from './criteria/cka';
import { factsJson, poolMini, poolRefs, type PoolFacts, firstTestImages } from './common/pool-models';
import { valuesFile, meanCi95, round } from './common/representation-summary';
import { nested, num, phrase, text } from '../../contracts/text';
import { layersOf } from './common/layer-taps';
import { wallSeconds } from '../lib/experiments/wall-time';

export const id = 'cka';
export const claims = ['C7'];
export const codeVersion = '2';
export const reads = ['pool']; // its units load pool weights: a run trains the pool first

type Regime = 'full' | 'init';

export const defaults = {
  /** name=model; 'cnn' (rows) and 'vit' make the verdict, 'hybrid' is judged beside it. */
  nets: ['cnn=resnet_mini_28', 'vit=vit_mini_patch4_28', 'hybrid=hybrid_mini_28'],
  /** Pairs compared within a unit (rows|columns); pairs naming an absent net are skipped. */
  pairs: ['cnn|vit', 'cnn|hybrid', 'vit|vit', 'cnn|cnn'],
  regimes: ['full', 'init'],
  seeds: 3,
  images: 2048, // first test images (the criterion asks for at least MIN_IMAGES)
  batch: 256,   // examples per minibatch of the HSIC estimate
};
type Config = typeof defaults;

export const profiles = {
  // The quick pool has no hybrid.
  quick: { seeds: 1, images: 64, batch: 32, nets: ['cnn=resnet_mini_28', 'vit=vit_mini_patch4_28'] },
  full: {},
};

/** Worded in src/content/i18n from the criterion's constants. */
export const CRITERION = text('atlas.exp.cka.criterion', { minGain: num(MIN_DELTA_GAIN, 2), minImages: num(MIN_IMAGES, 0), minSeeds: num(MIN_SEEDS, 0) });

function parseNets(cfg: Config): Array<{ name: string; model: string }> {
  return cfg.nets.map((s) => {
    const [name, model] = s.split('=') as [string, string];
    if (!name || !model) throw new Error(`cka: net '${s}' is not name=model`);
    return { name, model };
  });
}

function asRegime(r: string): Regime {
  if (r !== 'full' && r !== 'init') throw new Error(`cka: unknown regime '${r}' (full | init)`);
  return r;
}

export function units(profile: ProfileName, cfg: Config): Unit[] {
  const nets = parseNets(cfg);
  return cfg.regimes.map(asRegime).flatMap((regime) => Array.from({ length: cfg.seeds }, (_, seed) => ({
    key: `${regime}-s${seed}`, seed, regime, pool: poolRefs(nets.map((n) => ({ model: n.model, regime, seed })), profile),
  })));
}


/** Gram matrices XXᵀ of every tapped layer for one batch, [n, n] each in float64 (the matmul runs on the backend). */
function batchGrams(model: ZooModel, taps: readonly string[], x: tf.Tensor4D): Float64Array[] {
  const n = x.shape[0];
  const gs = tf.tidy(() => {
    const out = model.forward(x, { training: false, taps: true }).taps;
    return taps.map((t) => {
      const X = out[t]!.reshape([n, -1]); // [n, features]
      return tf.matMul(X, X, false, true); // [n, n]
    });
  });
  const grams = gs.map((g) => Float64Array.from(g.dataSync()));
  tf.dispose(gs);
  return grams;
}

export async function runUnit(unit: Unit, cfg: Config, ctx: RunContext): Promise<Json> {
  const regime = asRegime(String(unit.regime));
  if (cfg.images % cfg.batch !== 0 || cfg.batch < 4) throw new Error(`cka: images (${cfg.images}) must be a multiple of batch (${cfg.batch} ≥ 4)`);
  const nets = await Promise.all(parseNets(cfg).map(async (n) => {
    const { model, facts } = await poolMini(n.model, regime, unit.seed, ctx);
    const layers = layersOf(model);
    return { ...n, net: model, facts, taps: layers.map((l) => l.tap), labels: layers.map((l) => l.label) };
  }));
  const byName = new Map(nets.map((n) => [n.name, n]));
  const pairs = cfg.pairs.map((p) => p.split('|') as [string, string]).filter(([a, b]) => byName.has(a) && byName.has(b));
  const accs: HsicAccumulator[] = pairs.map(([a, b]) => hsicAccumulator(byName.get(a)!.taps.length, byName.get(b)!.taps.length));
  const x = firstTestImages(cfg.images);
  for (let i = 0; i < cfg.images; i += cfg.batch) {
    const xb = tf.slice(x, [i, 0, 0, 0], [cfg.batch, -1, -1, -1]);
    const grams = new Map(nets.map((n) => [n.name, batchGrams(n.net, n.taps, xb)]));
    xb.dispose();
    pairs.forEach(([a, b], k) => addBatch(accs[k]!, grams.get(a)!, grams.get(b)!, cfg.batch));
    ctx.progress(i + cfg.batch, cfg.images);
  }
  x.dispose();
  for (const n of nets) n.net.dispose();
  return {
    seed: unit.seed, regime, images: cfg.images, batch: cfg.batch,
    nets: Object.fromEntries(nets.map((n) => [n.name, { model: n.model, taps: n.taps, labels: n.labels, pool: factsJson(n.facts) }])),
    pairs: pairs.map(([a, b], k) => ({ pair: `${a}|${b}`, rows: a, cols: b, cka: minibatchCkaMatrix(accs[k]!).map((r) => r.map((v) => round(v, 4))) })),
  };
}

// ---- summary ----------------------------------------------------------------------------------

interface PairResult { pair: string; rows: string; cols: string; cka: number[][] }
export interface UnitResult { seed: number; regime: Regime; images: number; batch: number; nets: Record<string, { model: string; labels: string[]; pool: PoolFacts }>; pairs: PairResult[] }

/** The pair as the charts name it: the untrained networks carry 'Init' (cnnInit|vitInit). */
const chartPair = (p: PairResult, regime: Regime) => (regime === 'init' ? `${p.rows}Init|${p.cols}Init` : p.pair);

/** The criterion's inputs for the CNN × `col` matrices: the seeds that have both the trained and the untrained unit. */
export function pairSeeds(rs: readonly UnitResult[], pair: string): CkaSeed[] {
  const of = (r: UnitResult | undefined) => r?.pairs.find((p) => p.pair === pair)?.cka;
  return rs.filter((r) => r.regime === 'full').flatMap((t) => {
    const trained = of(t), untrained = of(rs.find((r) => r.regime === 'init' && r.seed === t.seed));
    return trained && untrained ? [{ seed: t.seed, trained, untrained }] : [];
  });
}

/** Mean of the off-diagonal entries of a square matrix: how uniform a network is across its depth. */
const offDiagonal = (m: number[][]) => { let s = 0, k = 0; m.forEach((r, i) => r.forEach((v, j) => { if (i !== j) { s += v; k++; } })); return s / k; };

export function summarize(records: UnitRecord[], cfg: Config, profile: ProfileName): Record<string, Json> {
  const rs = records.map((r) => r.result as unknown as UnitResult);
  const full = rs.filter((r) => r.regime === 'full');
  const images = Math.min(...rs.map((r) => r.images));

  // Heat maps: mean over seeds per cell, with the 95% interval.
  const pairNames = [...new Set(rs.flatMap((r) => r.pairs.map((p) => `${r.regime}:${p.pair}`)))];
  const cells = pairNames.flatMap((rp) => {
    const [regime, pair] = rp.split(':') as [Regime, string];
    const us = rs.filter((r) => r.regime === regime);
    const ps = us.map((r) => r.pairs.find((p) => p.pair === pair)).filter((p): p is PairResult => !!p);
    const p0 = ps[0]!, u0 = us[0]!;
    const rowLabels = u0.nets[p0.rows]!.labels, colLabels = u0.nets[p0.cols]!.labels;
    const name = chartPair(p0, regime);
    const [rows, cols] = name.split('|') as [string, string];
    return rowLabels.flatMap((rl, i) => colLabels.map((cl, j) => {
      const s = meanCi95(ps.map((p) => p.cka[i]![j]!));
      return { pair: name, rows, cols, row: rl, col: cl, i, j, cka: round(s.mean, 4), lo: round(s.ci95[0], 4), hi: round(s.ci95[1], 4) };
    }));
  });
  const cell = (pair: string, row: string, col: string) => cells.find((c) => c.pair === pair && c.row === row && c.col === col)?.cka ?? NaN;
  const pairMean = (pair: string) => { const cs = cells.filter((c) => c.pair === pair); return cs.length ? cs.reduce((a, c) => a + c.cka, 0) / cs.length : NaN; };
  const matsOf = (us: readonly UnitResult[], pair: string) => us.map((r) => r.pairs.find((p) => p.pair === pair)?.cka).filter((m): m is number[][] => !!m);
  const labels = (name: string) => rs[0]?.nets[name]?.labels ?? [];
  const cnnLabels = labels('cnn'), vitLabels = labels('vit');

  const values: Record<string, { value: number; unit?: string }> = {
    images: { value: images }, batch: { value: cfg.batch }, batches: { value: images / cfg.batch },
    vit_layers: { value: vitLabels.length }, cnn_layers: { value: cnnLabels.length },
    vit_shallow_layers: { value: shallowCount(vitLabels.length) }, cnn_early_layers: { value: earlyCount(cnnLabels.length) },
    min_gain: { value: MIN_DELTA_GAIN },
  };
  const put = (key: string, s: MeanCi | { mean: number; ci95: [number, number] }) => {
    values[key] = { value: round(s.mean, 3) };
    values[`${key}_lo`] = { value: round(s.ci95[0], 3) };
    values[`${key}_hi`] = { value: round(s.ci95[1], 3) };
  };
  // Δ of each regime, over the seeds it has (the criterion's alignment, per matrix).
  for (const [col, prefix] of [['vit', ''], ['hybrid', 'hybrid_']] as const) {
    for (const regime of ['full', 'init'] as const) {
      const ms = matsOf(rs.filter((r) => r.regime === regime), `cnn|${col}`);
      if (!ms.length) continue;
      const a = ms.map(alignment);
      const key = `${prefix}${regime === 'full' ? 'delta' : 'init_delta'}`;
      put(key, meanCi95(a.map((x) => x.delta)));
      values[`${key}_all_early_seeds`] = { value: a.filter((x) => x.allEarly).length };
    }
  }
  const vitSelf = matsOf(full, 'vit|vit'), cnnSelf = matsOf(full, 'cnn|cnn');
  if (vitSelf.length) values.vit_self_offdiag = { value: round(meanCi95(vitSelf.map(offDiagonal)).mean, 3) };
  if (cnnSelf.length) values.cnn_self_offdiag = { value: round(meanCi95(cnnSelf.map(offDiagonal)).mean, 3) };
  values.vit_b1_cnn_stem = { value: round(cell('cnn|vit', 'stem', 'b1'), 3) };
  values.vit_b1_cnn_last = { value: round(cell('cnn|vit', cnnLabels.at(-1) ?? '', 'b1'), 3) };
  values.vit_last_cnn_last = { value: round(cell('cnn|vit', cnnLabels.at(-1) ?? '', vitLabels.at(-1) ?? ''), 3) };
  // The hybrid's first token layer (its conv stem's output) against the ResNet's stem and first block.
  values.hybrid_stem_cnn_stem = { value: round(cell('cnn|hybrid', 'stem', 'stem'), 3) };
  values.hybrid_stem_cnn_b1 = { value: round(cell('cnn|hybrid', 'b1', 'stem'), 3) };
  // Mean CKA over all layer pairs: how CNN-like a network is overall, trained and untrained.
  values.vit_mean_cka = { value: round(pairMean('cnn|vit'), 3) };
  values.hybrid_mean_cka = { value: round(pairMean('cnn|hybrid'), 3) };
  values.init_mean_cka = { value: round(pairMean('cnnInit|vitInit'), 3) };
  values.hybrid_init_mean_cka = { value: round(pairMean('cnnInit|hybridInit'), 3) };
  const initCells = cells.filter((c) => c.pair === 'cnnInit|vitInit');
  if (initCells.length) values.init_min_cka = { value: round(Math.min(...initCells.map((c) => c.cka)), 3) };
  for (const name of Object.keys(full[0]?.nets ?? {})) {
    values[`${name}_acc`] = { value: round(100 * meanCi95(full.map((r) => r.nets[name]!.pool.testAccuracy ?? NaN)).mean, 1), unit: '%' };
  }

  const nets = Object.fromEntries(Object.entries(rs[0]?.nets ?? {}).map(([k, v]) => [k, { model: v.model, labels: v.labels }]));
  const data = { id, images, seeds: full.length, nets, shallowViT: shallowCount(vitLabels.length), earlyCNN: earlyCount(cnnLabels.length), cells } as unknown as Json;
  const vitSeeds = pairSeeds(rs, 'cnn|vit'), hybridSeeds = pairSeeds(rs, 'cnn|hybrid');
  values.seeds = { value: vitSeeds.length };
  // The verdict needs every unit: a partial run (the build summarizes what is fresh) has none yet.
  if (records.length !== units(profile, cfg).length || !vitSeeds.length) return { data, values: valuesFile(id, values) as unknown as Json };

  const { verdict, parts, control } = ckaVerdict({ vit: vitSeeds, ...(hybridSeeds.length ? { hybrid: hybridSeeds } : {}), images });
  put('gain', parts.vit.gain);
  if (parts.hybrid) put('hybrid_gain', parts.hybrid.gain);

  const measured = (key: string, s: MeanCi | { mean: number; ci95: [number, number]; n: number }) => ({
    key, label: text(`atlas.exp.cka.measured.${key}`), mean: round(s.mean), ci95: [round(s.ci95[0]), round(s.ci95[1])] as [number, number], seeds: s.n,
  });
  const f2 = (x: number) => num(x, 2);
  const partMeasured = (p: CkaPart, prefix: string) => [measured(`${prefix}gain`, p.gain), measured(`${prefix}delta`, p.trained), measured(`${prefix}init_delta`, p.control.untrained)];
  const verdictJson = {
    experiment: id, claims, profile, criterion: CRITERION, verdict,
    control: text('atlas.exp.cka.control', {
      delta: f2(control.untrained.mean), lo: f2(control.untrained.ci95[0]), hi: f2(control.untrained.ci95[1]), allEarly: num(control.untrainedAllEarlySeeds, 0), seeds: num(vitSeeds.length, 0),
    }),
    summary: text('atlas.exp.cka.summary', {
      delta: f2(parts.vit.trained.mean), init: f2(control.untrained.mean), gain: f2(parts.vit.gain.mean), lo: f2(parts.vit.gain.ci95[0]), hi: f2(parts.vit.gain.ci95[1]),
      allEarly: num(parts.vit.trainedAllEarlySeeds, 0), seeds: num(vitSeeds.length, 0), verdict: phrase(`atlas.exp.verdictWord.${verdict}`),
      hybrid: parts.hybrid ? nested(text('atlas.exp.cka.summaryHybrid', { gain: f2(parts.hybrid.gain.mean), lo: f2(parts.hybrid.gain.ci95[0]), hi: f2(parts.hybrid.gain.ci95[1]), verdict: phrase(`atlas.exp.verdictWord.${parts.hybrid.verdict}`) })) : phrase('atlas.exp.none'),
    }),
    measured: [...partMeasured(parts.vit, ''), ...(parts.hybrid ? partMeasured(parts.hybrid, 'hybrid_') : [])],
    chart: 'resnet-vit',
    budget: text('atlas.exp.cka.budget', {
      fullN: num(full[0]?.nets.cnn?.pool.trainImages ?? NaN, 0),
      hybrid: phrase(hybridSeeds.length ? 'atlas.exp.cka.hybridToo' : 'atlas.exp.none'),
      seeds: num(vitSeeds.length, 0), images: num(images, 0), batch: num(cfg.batch, 0),
    }),
    wallSeconds: wallSeconds(records),
  };
  return { data, values: valuesFile(id, values) as unknown as Json, verdict: verdictJson as unknown as Json };
}
