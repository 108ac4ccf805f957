// robustness (claim C3): natural corruptions and adversarial attacks — is there a clear winner?
//
//   npm run experiments -- --only robustness --profile quick --jobs 1
//   npm exec -- tsx scripts/experiments/common/summarize.ts robustness    # data, values, verdict
//
// Each unit is one (model, seed), with the weights trained for frequency-noise (the same recipe,
// cached in the weights cache, scripts/lib/train/weights.ts; trained here when missing). It measures
//  1. Fashion-MNIST-C-style corruptions (scripts/lib/metrics/corruptions.ts): Gaussian noise,
//     Gaussian blur, contrast, pixelate and elastic, each at severities 1–5 (Hendrycks &
//     Dietterich 2019, ICLR, for the severity tables);
//  2. FGSM (one signed gradient step) and PGD (10 projected steps from a random start) accuracy
//     against the L∞ radius ε, with input gradients from tf.grad (scripts/lib/metrics/attacks.ts).
// Corruption and PGD randomness depends on the seed and the image, not on the model.
import * as tf from '@tensorflow/tfjs';
import { fashionMnist } from '../lib/data/fashion-mnist';
import type { Json, ProfileName, RunContext, Unit, UnitRecord } from '../lib/experiments/types';
import { fgsmSweep, pgd } from '../lib/metrics/attacks';
import { corrupt, CORRUPTIONS, SEVERITY, type Corruption } from '../lib/metrics/corruptions';
import type { Model } from '../../models/nn/types';
import { diffCi95, meanCi95 } from '../lib/metrics/seed-stats';
import { rng } from '../lib/train';
import { accuracy, evalAccuracy, predict } from './common/probes';
import { budgetText, byModel, ciRow, num, pct, pts, short, wallSeconds, type Values } from './common/fmnist-summary';
import { list as tlist, mini, nested, num as tnum, text } from '../../contracts/text';
import type { Verdict } from '../../contracts/verdict';
import { RECIPES, trainedModel } from './common/fmnist-trained';

export const id = 'robustness';
export const claims = ['C3'];
export const codeVersion = '1';

export const defaults = {
  models: ['resnet_mini_28', 'vit_mini_patch4_28', 'hybrid_mini_28'],
  seeds: 3,
  ...RECIPES.full,             // the shared training budget (same in frequency-noise.ts)
  evalImages: 1000,            // clean accuracy
  corruptionImages: 300,       // per corruption and severity
  corruptions: [...CORRUPTIONS] as string[],
  fgsmImages: 300,
  fgsmEps: [0.005, 0.01, 0.02, 0.05, 0.1],
  pgdImages: 100,
  pgdEps: [0.01, 0.02, 0.05],
  pgdSteps: 10,
  pgdStepFactor: 2.5,          // step α = 2.5·ε / steps (Madry et al. 2018)
};
export type Config = typeof defaults;

export const profiles: { quick: Partial<Config>; full: Partial<Config> } = {
  quick: { models: ['resnet_mini_28', 'vit_mini_patch4_28'], seeds: 1, ...RECIPES.quick, evalImages: 200, corruptionImages: 40, fgsmImages: 40, fgsmEps: [0.01, 0.05], pgdImages: 16, pgdEps: [0.02], pgdSteps: 3 },
  full: {},
};

export function units(_profile: ProfileName, cfg: Config): Unit[] {
  return cfg.models.flatMap((model) => Array.from({ length: cfg.seeds }, (_, seed) => ({ key: `${model}-s${seed}`, seed, model })));
}

export interface RobustnessUnitResult {
  model: string; seed: number;
  training: { params: number; finalTrainLoss: number; trainWallMs: number; imagesPerSec: number; cached: boolean };
  cleanAccuracy: number;
  /** Clean accuracy on the first corruptionImages / fgsmImages / pgdImages images (the baselines of each probe). */
  cleanOn: { corruption: number; fgsm: number; pgd: number };
  corruption: Array<{ kind: string; severity: number; param: number; accuracy: number }>;
  fgsm: Array<{ eps: number; accuracy: number }>;
  pgd: Array<{ eps: number; accuracy: number }>;
}

const SZ = 28 * 28;
const logitsOf = (model: Model) => (x: tf.Tensor4D) => model.forward(x, { training: false }).logits;

/** Accuracy under an attack that maps (x, y) tensors to adversarial images, in batches. */
function attackAccuracy(images: Float32Array, labels: Int32Array, batch: number, attack: (x: tf.Tensor4D, y: tf.Tensor1D) => tf.Tensor4D[], model: Model, k: number): number[] {
  const hits = new Array<number>(k).fill(0), n = labels.length;
  for (let i = 0; i < n; i += batch) {
    const b = Math.min(batch, n - i);
    const x = tf.tensor4d(images.subarray(i * SZ, (i + b) * SZ), [b, 28, 28, 1]), y = tf.tensor1d(labels.subarray(i, i + b), 'int32');
    const advs = attack(x, y);
    advs.forEach((a, j) => { hits[j]! += accuracy(predict(model, a.dataSync() as Float32Array, b), labels.subarray(i, i + b)) * b; });
    tf.dispose([x, y, ...advs]);
  }
  return hits.map((h) => h / n);
}

export async function runUnit(unit: Unit, cfg: Config, ctx: RunContext): Promise<Json> {
  const name = String(unit.model), seed = unit.seed;
  const recipe = { trainLimit: cfg.trainLimit, steps: cfg.steps, batchSize: cfg.batchSize, lr: cfg.lr, warmupSteps: cfg.warmupSteps, weightDecay: cfg.weightDecay };
  const work = recipe.steps + cfg.corruptions.length * 5 + cfg.fgsmEps.length + cfg.pgdEps.length * cfg.pgdSteps;
  const { model, training, cached } = await trainedModel(name, seed, recipe, { log: ctx.log, progress: (d) => ctx.progress(d, work) });
  let done = recipe.steps;
  const test = fashionMnist({ trainLimit: cfg.trainLimit, testLimit: 0 }).test;
  const n = Math.min(cfg.evalImages, test.n);
  const cleanAccuracy = evalAccuracy(model, test.images.subarray(0, n * SZ), test.labels.subarray(0, n));
  const subset = (m: number) => ({ x: test.images.subarray(0, m * SZ), y: test.labels.subarray(0, m) });
  ctx.log(`clean accuracy ${cleanAccuracy.toFixed(4)} on ${n} test images`);

  // 1. corruptions
  const cs = subset(Math.min(cfg.corruptionImages, test.n));
  const corruption: RobustnessUnitResult['corruption'] = [];
  for (const [ki, kind] of (cfg.corruptions as Corruption[]).entries()) {
    if (!(CORRUPTIONS as readonly string[]).includes(kind)) throw new Error(`robustness: unknown corruption '${kind}'`);
    for (let s = 1; s <= 5; s++) {
      const r = rng(100_003 * seed + 1009 * ki + s), x = new Float32Array(cs.x.length);
      for (let i = 0; i < cs.y.length; i++) x.set(corrupt(kind, cs.x.subarray(i * SZ, (i + 1) * SZ), 28, 28, 1, s, r), i * SZ);
      corruption.push({ kind, severity: s, param: SEVERITY[kind][s - 1]!, accuracy: evalAccuracy(model, x, cs.y) });
      ctx.progress(++done, work);
    }
  }
  ctx.log(`corruption accuracy (mean) ${(corruption.reduce((a, c) => a + c.accuracy, 0) / corruption.length).toFixed(4)}`);

  // 2. FGSM: one gradient per batch, every ε from it
  const logits = logitsOf(model);
  const fs = subset(Math.min(cfg.fgsmImages, test.n));
  const fAcc = attackAccuracy(fs.x, fs.y, 100, (x, y) => fgsmSweep(logits, x, y, cfg.fgsmEps), model, cfg.fgsmEps.length);
  const fgsm = cfg.fgsmEps.map((eps, i) => ({ eps, accuracy: fAcc[i]! }));
  done += cfg.fgsmEps.length;
  ctx.progress(done, work);

  // 3. PGD, one ε at a time
  const ps = subset(Math.min(cfg.pgdImages, test.n));
  const pgdOut: RobustnessUnitResult['pgd'] = [];
  for (const [ei, eps] of cfg.pgdEps.entries()) {
    const [acc] = attackAccuracy(ps.x, ps.y, 100, (x, y) => [pgd(logits, x, y, eps, { steps: cfg.pgdSteps, stepSize: (cfg.pgdStepFactor * eps) / cfg.pgdSteps, seed: 7 * seed + ei })], model, 1);
    pgdOut.push({ eps, accuracy: acc! });
    ctx.progress((done += cfg.pgdSteps), work);
  }
  ctx.log(`FGSM ${fgsm.map((f) => f.accuracy.toFixed(3)).join(' ')} · PGD ${pgdOut.map((p) => p.accuracy.toFixed(3)).join(' ')}`);

  const cleanOn = {
    corruption: evalAccuracy(model, cs.x, cs.y),
    fgsm: evalAccuracy(model, fs.x, fs.y),
    pgd: evalAccuracy(model, ps.x, ps.y),
  };
  model.dispose();
  const result: RobustnessUnitResult = {
    model: name, seed,
    training: { params: training.params, finalTrainLoss: training.finalTrainLoss, trainWallMs: training.trainWallMs, imagesPerSec: training.imagesPerSec, cached },
    cleanAccuracy, cleanOn, corruption, fgsm, pgd: pgdOut,
  };
  return result as unknown as Json;
}

// ---- summary: chart data, values for prose, the verdict --------------------------------------

/**
 * The criterion, fixed before the run. Per unit, robustness is measured relative to the unit's
 * own clean accuracy on the same images (so a more accurate model does not win by default):
 *   corruption retention = mean over the 5 corruptions × 5 severities of accuracy / clean accuracy;
 *   PGD retention        = mean over the PGD radii of accuracy / clean accuracy.
 * A model is the clear winner of a category if, against every other model, the Welch 95%
 * interval over seeds of the difference in retention lies above 0.
 * Reproduced ("no clear winner"): no clear winner in either category; partly: a clear winner in
 * exactly one; not reproduced: clear winners in both (same model or not).
 * FGSM is reported beside PGD but does not enter the verdict.
 */
export const CATEGORIES = ['corruption', 'pgd'] as const;

/** Mean accuracy over the probes divided by the clean accuracy on the same images (0 when that is 0). */
export const retention = (accs: readonly number[], clean: number) => (clean > 0 ? accs.reduce((s, a) => s + a, 0) / accs.length / clean : 0);
export const corruptionRetention = (r: RobustnessUnitResult) => retention(r.corruption.map((c) => c.accuracy), r.cleanOn.corruption);
export const pgdRetention = (r: RobustnessUnitResult) => retention(r.pgd.map((c) => c.accuracy), r.cleanOn.pgd);
export const fgsmRetention = (r: RobustnessUnitResult) => retention(r.fgsm.map((c) => c.accuracy), r.cleanOn.fgsm);

/** The model whose retention is above every other's with the Welch interval above 0, if any. */
export function clearWinner(perModel: Map<string, number[]>): { winner: string | null; best: string; margins: Array<{ other: string; diff: number; ci95: [number, number] }> } {
  const ms = [...perModel.keys()];
  const mean = (m: string) => meanCi95(perModel.get(m)!).mean;
  const best = ms.reduce((a, b) => (mean(b) > mean(a) ? b : a));
  const margins = ms.filter((m) => m !== best).map((other) => { const d = diffCi95(perModel.get(best)!, perModel.get(other)!); return { other, diff: d.diff, ci95: d.ci95 }; });
  return { winner: margins.length > 0 && margins.every((x) => x.ci95[0] > 0) ? best : null, best, margins };
}

export function verdictFromWinners(winners: readonly (string | null)[]): 'reproduced' | 'partly' | 'not-reproduced' {
  const n = winners.filter((w) => w !== null).length;
  return n === 0 ? 'reproduced' : n === 1 ? 'partly' : 'not-reproduced';
}

export function summarize(records: UnitRecord[], cfg: Config, profile: ProfileName) {
  const groups = byModel<RobustnessUnitResult>(records, cfg.models);
  const models = cfg.models.filter((m) => groups.get(m)!.length > 0);
  const runs = (m: string) => groups.get(m)!;
  const clean = models.map((m) => ({ model: m, ...ciRow(meanCi95(runs(m).map((r) => r.cleanAccuracy))) }));
  const cleanCorruption = models.map((m) => ({ model: m, ...ciRow(meanCi95(runs(m).map((r) => r.cleanOn.corruption))) }));
  const corruption = models.flatMap((m) => runs(m)[0]!.corruption.map((c, i) => ({
    model: m, kind: c.kind, severity: c.severity, param: c.param,
    accuracy: ciRow(meanCi95(runs(m).map((r) => r.corruption[i]!.accuracy))),
    retention: ciRow(meanCi95(runs(m).map((r) => retention([r.corruption[i]!.accuracy], r.cleanOn.corruption)))),
  })));
  const cleanRow = (m: string, key: 'fgsm' | 'pgd') => ({ model: m, attack: key, eps: 0, accuracy: ciRow(meanCi95(runs(m).map((r) => r.cleanOn[key]))) });
  const adversarial = models.flatMap((m) => [
    cleanRow(m, 'fgsm'),
    ...runs(m)[0]!.fgsm.map((f, i) => ({ model: m, attack: 'fgsm', eps: f.eps, accuracy: ciRow(meanCi95(runs(m).map((r) => r.fgsm[i]!.accuracy))) })),
    cleanRow(m, 'pgd'),
    ...runs(m)[0]!.pgd.map((p, i) => ({ model: m, attack: 'pgd', eps: p.eps, accuracy: ciRow(meanCi95(runs(m).map((r) => r.pgd[i]!.accuracy))) })),
  ]);
  const ret = {
    corruption: new Map(models.map((m) => [m, runs(m).map(corruptionRetention)])),
    pgd: new Map(models.map((m) => [m, runs(m).map(pgdRetention)])),
    fgsm: new Map(models.map((m) => [m, runs(m).map(fgsmRetention)])),
  };
  const cw = clearWinner(ret.corruption), pw = clearWinner(ret.pgd);
  const verdict = verdictFromWinners([cw.winner, pw.winner]);
  const retentionRows = models.map((m) => ({ model: m, corruption: ciRow(meanCi95(ret.corruption.get(m)!)), pgd: ciRow(meanCi95(ret.pgd.get(m)!)), fgsm: ciRow(meanCi95(ret.fgsm.get(m)!)) }));

  const values: Values = {};
  for (const m of models) {
    const s = short(m);
    values[`clean_${s}`] = pct(meanCi95(runs(m).map((r) => r.cleanAccuracy)).mean);
    values[`params_${s}`] = num(runs(m)[0]!.training.params, 0);
    values[`corr_ret_${s}`] = pct(meanCi95(ret.corruption.get(m)!).mean);
    values[`pgd_ret_${s}`] = pct(meanCi95(ret.pgd.get(m)!).mean);
    values[`fgsm_ret_${s}`] = pct(meanCi95(ret.fgsm.get(m)!).mean);
    for (const kind of cfg.corruptions) {
      const rows = corruption.filter((c) => c.model === m && c.kind === kind);
      values[`corr_${kind}_s5_${s}`] = pct(rows.find((r) => r.severity === 5)!.accuracy.mean);
      values[`corr_${kind}_mean_${s}`] = pct(rows.reduce((a, r) => a + r.accuracy.mean, 0) / rows.length);
    }
    for (const a of adversarial.filter((x) => x.model === m && x.eps > 0)) values[`${a.attack}_${String(a.eps).replace('.', 'p')}_${s}`] = pct(a.accuracy.mean);
  }
  const mg = (w: ReturnType<typeof clearWinner>, key: string) => {
    for (const x of w.margins) {
      values[`${key}_margin_${short(w.best)}_vs_${short(x.other)}`] = pts(x.diff);
      values[`${key}_margin_${short(w.best)}_vs_${short(x.other)}_lo`] = pts(x.ci95[0]);
      values[`${key}_margin_${short(w.best)}_vs_${short(x.other)}_hi`] = pts(x.ci95[1]);
    }
  };
  mg(cw, 'corr'); mg(pw, 'pgd');
  values.corruption_images = num(cfg.corruptionImages, 0);
  values.fgsm_images = num(cfg.fgsmImages, 0);
  values.pgd_images = num(cfg.pgdImages, 0);
  values.pgd_steps = num(cfg.pgdSteps, 0);
  values.seeds = num(cfg.seeds, 0);
  values.wall_minutes = num(wallSeconds(records) / 60, 1, 'min');

  const f1 = (x: number) => tnum(100 * x, 1);
  const kept = (key: 'corruption' | 'pgd') => tlist(models.map((m) => nested(text('atlas.exp.robustness.modelKept', { model: mini(m), kept: f1(meanCi95(ret[key].get(m)!).mean) }))));
  const winner = (w: ReturnType<typeof clearWinner>) => nested(w.winner ? text('atlas.exp.robustness.winner', { model: mini(w.winner) }) : text('atlas.exp.robustness.noWinner', { model: mini(w.best) }));
  const summary = text('atlas.exp.robustness.summary', { corruption: kept('corruption'), corruptionWinner: winner(cw), pgd: kept('pgd'), pgdWinner: winner(pw) });
  const measured: Verdict['measured'] = models.flatMap((m) => {
    const c = meanCi95(ret.corruption.get(m)!), p = meanCi95(ret.pgd.get(m)!);
    return [
      { key: `corr_ret_${short(m)}`, label: text('atlas.exp.robustness.measured.corruption', { model: mini(m) }), mean: 100 * c.mean, ci95: [100 * c.ci95[0], 100 * c.ci95[1]] as [number, number], seeds: c.n, unit: '%' },
      { key: `pgd_ret_${short(m)}`, label: text('atlas.exp.robustness.measured.pgd', { model: mini(m) }), mean: 100 * p.mean, ci95: [100 * p.ci95[0], 100 * p.ci95[1]] as [number, number], seeds: p.n, unit: '%' },
    ];
  });
  const verdictJson: Verdict = {
    experiment: id, claims: [...claims], profile,
    criterion: text('atlas.exp.robustness.criterion', { pgdEps: tlist(cfg.pgdEps.map((e) => tnum(e))), pgdSteps: tnum(cfg.pgdSteps) }),
    verdict, summary, measured,
    chart: 'corruptions',
    budget: budgetText(cfg),
    wallSeconds: wallSeconds(records),
  };
  const data = {
    id, profile, models, seeds: cfg.seeds, corruptions: cfg.corruptions, severity: SEVERITY, fgsmEps: cfg.fgsmEps, pgdEps: cfg.pgdEps, pgdSteps: cfg.pgdSteps,
    clean, cleanCorruption, corruption, adversarial, retention: retentionRows,
    winners: { corruption: cw, pgd: pw }, verdict,
  };
  // values.json is wrapped as src/lib/generated.ts reads it: { id, provenance, values }.
  const provenance = { script: `scripts/experiments/${id}.ts`, codeVersion, kind: 'experiment', profile };
  return { data, values: { id, provenance, values }, verdict: verdictJson };
}
