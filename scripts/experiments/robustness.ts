// robustness (claim C3): natural corruptions and adversarial attacks — is there a clear winner?
//
//   npm run experiments -- --only robustness --profile quick --jobs 1
//   npm exec -- tsx scripts/experiments/common/summarize.ts robustness    # data, values, verdict
//
// Each unit is one (model, seed) of the model pool's full regime (scripts/experiments/pool.ts, read
// through common/pool-models.ts; never trained here), and measures
//  1. Fashion-MNIST-C-style corruptions (scripts/lib/metrics/corruptions.ts): Gaussian noise,
//     Gaussian blur, contrast, pixelate and elastic, each at severities 1–5 (Hendrycks &
//     Dietterich 2019, ICLR, for the severity tables);
//  2. FGSM (one signed gradient step) and PGD (10 projected steps from a random start) accuracy
//     against the L∞ radius ε, with input gradients from tf.grad (scripts/lib/metrics/attacks.ts);
//  3. the control: the clean accuracy of the same architecture and seed untrained ('init'), which the
//     criterion requires below its floor (criteria/robustness.ts).
// Corruption and PGD randomness depends on the seed and the image, not on the model.
// The verdict comes from criteria/robustness.ts (fixed before the pool runs).
import * as tf from '@tensorflow/tfjs';
import { fashionMnist } from '../lib/data/fashion-mnist';
import type { Json, ProfileName, RunContext, Unit, UnitRecord } from '../lib/experiments/types';
import { fgsmSweep, pgd } from '../lib/metrics/attacks';
import { corrupt, CORRUPTIONS, SEVERITY, type Corruption } from '../lib/metrics/corruptions';
import type { Model } from '../../models/nn/types';
import { meanCi95 } from '../lib/metrics/seed-stats';
import { rng } from '../lib/train';
import { accuracy, evalAccuracy, predict } from './common/probes';
import { byModel, ciRow, num, pct, pts, short, wallSeconds, type Values } from './common/fmnist-summary';
import { factsJson, poolMini, type PoolFacts, asPoolRegime, poolModelUnits } from './common/pool-models';
import { judgeRobustness, MIN_CLEAN_ACCURACY, MIN_SEEDS, RETENTION_MARGIN, retention, type PairComparison, type RobustnessSeedResult } from './criteria/robustness';
import { list as tlist, mini, nested, num as tnum, phrase, text, type TextRef } from '../../contracts/text';
import type { Verdict } from '../../contracts/verdict';

export const id = 'robustness';
export const claims = ['C3'];
export const codeVersion = '2';
export const reads = ['pool']; // its units load pool weights: a run trains the pool first

export const defaults = {
  models: ['resnet_mini_28', 'vit_mini_patch4_28', 'hybrid_mini_28'],
  regime: 'full',              // the pool's regime the criterion judges (criteria/robustness.ts, Wiring)
  seeds: 3,
  evalImages: 1000,            // clean accuracy (trained and untrained)
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

// quick: the quick pool has ResNet and ViT, seed 0 only.
export const profiles: { quick: Partial<Config>; full: Partial<Config> } = {
  quick: { models: ['resnet_mini_28', 'vit_mini_patch4_28'], seeds: 1, evalImages: 200, corruptionImages: 40, fgsmImages: 40, fgsmEps: [0.01, 0.05], pgdImages: 16, pgdEps: [0.02], pgdSteps: 3 },
  full: {},
};

const poolRegime = (cfg: Config): 'full' | 'small' => asPoolRegime(id, cfg.regime);

export function units(profile: ProfileName, cfg: Config): Unit[] {
  return poolModelUnits(id, cfg.models, cfg.regime, cfg.seeds, profile);
}

export interface RobustnessUnitResult extends RobustnessSeedResult {
  model: string;
  /** The pool model measured. */
  pool: PoolFacts;
  params: number;
  corruption: Array<{ kind: string; severity: number; param: number; accuracy: number }>;
  fgsm: Array<{ eps: number; accuracy: number }>;
  pgd: Array<{ eps: number; accuracy: number }>;
  /** The untrained network of the same architecture and seed, on the same evalImages images. */
  control: { cleanAccuracy: number };
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
  const work = 2 + cfg.corruptions.length * 5 + cfg.fgsmEps.length + cfg.pgdEps.length * cfg.pgdSteps;
  const test = fashionMnist({ trainLimit: 1, testLimit: 0 }).test;
  const n = Math.min(cfg.evalImages, test.n);
  const evalX = test.images.subarray(0, n * SZ), evalY = test.labels.subarray(0, n);

  // 0. the control: same architecture and seed, untrained
  const init = await poolMini(name, 'init', seed, ctx);
  const control = { cleanAccuracy: evalAccuracy(init.model, evalX, evalY) };
  init.model.dispose();
  ctx.log(`untrained (control) clean accuracy ${control.cleanAccuracy.toFixed(4)}`);
  let done = 1;
  ctx.progress(done, work);

  const { model, facts } = await poolMini(name, poolRegime(cfg), seed, ctx);
  ctx.progress(++done, work);
  const params = model.variables().reduce((s, v) => s + v.size, 0);
  const cleanAccuracy = evalAccuracy(model, evalX, evalY);
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
    model: name, seed, pool: facts, params,
    cleanAccuracy, cleanOn, corruption, fgsm, pgd: pgdOut, control,
  };
  return { ...result, pool: factsJson(facts) } as unknown as Json;
}

// ---- summary: chart data, values for prose, the verdict (criteria/robustness.ts) -------------

const PROBE_KEY = { corruption: 'corr', pgd: 'pgd', fgsm: 'fgsm' } as const;
/** values.json key of one pairwise comparison: `corr_diff_resnet_vit`, `pgd_0p02_diff_resnet_vit`. */
export const pairKey = (p: PairComparison) => `${PROBE_KEY[p.probe]}${p.eps === null ? '' : `_${String(p.eps).replace('.', 'p')}`}_diff_${short(p.a)}_${short(p.b)}`;

export function summarize(records: UnitRecord[], cfg: Config, profile: ProfileName) {
  const groups = byModel<RobustnessUnitResult>(records, cfg.models);
  const models = cfg.models.filter((m) => groups.get(m)!.length > 0);
  const runs = (m: string) => groups.get(m)!;
  const judged = judgeRobustness({
    trained: Object.fromEntries(models.map((m) => [m, runs(m)])),
    untrained: Object.fromEntries(models.map((m) => [m, runs(m).map((r) => ({ seed: r.seed, cleanAccuracy: r.control.cleanAccuracy }))])),
  });
  const pairs = [judged.corruption.primary, ...judged.corruption.parts, judged.adversarial.primary, ...judged.adversarial.parts];

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
  const ret = (m: string, probe: 'corruption' | 'pgd' | 'fgsm') => meanCi95(runs(m).map((r) => retention((probe === 'corruption' ? r.corruption : r[probe]).map((x) => x.accuracy), r.cleanOn[probe])));
  const retentionRows = models.map((m) => ({ model: m, corruption: ciRow(ret(m, 'corruption')), pgd: ciRow(ret(m, 'pgd')), fgsm: ciRow(ret(m, 'fgsm')) }));
  const control = models.map((m) => ({ model: m, trained: ciRow(meanCi95(runs(m).map((r) => r.cleanAccuracy))), untrained: ciRow(meanCi95(runs(m).map((r) => r.control.cleanAccuracy))) }));

  const values: Values = {};
  for (const m of models) {
    const s = short(m);
    values[`clean_${s}`] = pct(meanCi95(runs(m).map((r) => r.cleanAccuracy)).mean);
    values[`init_clean_${s}`] = pct(meanCi95(runs(m).map((r) => r.control.cleanAccuracy)).mean);
    values[`params_${s}`] = num(runs(m)[0]!.params, 0);
    values[`corr_ret_${s}`] = pct(ret(m, 'corruption').mean);
    values[`pgd_ret_${s}`] = pct(ret(m, 'pgd').mean);
    values[`fgsm_ret_${s}`] = pct(ret(m, 'fgsm').mean);
    for (const kind of cfg.corruptions) {
      const rows = corruption.filter((c) => c.model === m && c.kind === kind);
      values[`corr_${kind}_s5_${s}`] = pct(rows.find((r) => r.severity === 5)!.accuracy.mean);
      values[`corr_${kind}_mean_${s}`] = pct(rows.reduce((a, r) => a + r.accuracy.mean, 0) / rows.length);
    }
    for (const a of adversarial.filter((x) => x.model === m && x.eps > 0)) values[`${a.attack}_${String(a.eps).replace('.', 'p')}_${s}`] = pct(a.accuracy.mean);
  }
  // Pairwise differences in retention (a − b), with their paired 95% interval; left out when fewer than 2 seeds pair.
  for (const p of pairs) {
    if (!Number.isFinite(p.diff)) continue;
    const k = pairKey(p);
    values[k] = pts(p.diff);
    values[`${k}_lo`] = pts(p.ci95[0]);
    values[`${k}_hi`] = pts(p.ci95[1]);
  }
  values.margin = pts(RETENTION_MARGIN);
  values.min_clean = pct(MIN_CLEAN_ACCURACY);
  values.corruption_images = num(cfg.corruptionImages, 0);
  values.fgsm_images = num(cfg.fgsmImages, 0);
  values.pgd_images = num(cfg.pgdImages, 0);
  values.pgd_steps = num(cfg.pgdSteps, 0);
  values.seeds = num(cfg.seeds, 0);
  values.wall_minutes = num(wallSeconds(records) / 60, 1, 'min');

  const f1 = (x: number) => tnum(100 * x, 1);
  const kept = (probe: 'corruption' | 'pgd') => tlist(models.map((m) => nested(text('atlas.exp.robustness.modelKept', { model: mini(m), kept: f1(ret(m, probe).mean) }))));
  const outcome = (c: PairComparison): TextRef => text(`atlas.exp.robustness.outcome.${c.outcome}`, {
    a: mini(c.a), b: mini(c.b), diff: f1(c.diff), lo: f1(c.ci95[0]), hi: f1(c.ci95[1]), margin: f1(RETENTION_MARGIN),
  });
  const failed = (Object.keys(judged.preconditions) as (keyof typeof judged.preconditions)[]).filter((k) => !judged.preconditions[k]);
  const summary = failed.length
    ? text('atlas.exp.robustness.summaryInconclusive', { failed: tlist(failed.map((k) => phrase(`atlas.exp.robustness.precondition.${k}`))), floor: f1(MIN_CLEAN_ACCURACY), seeds: tnum(MIN_SEEDS) })
    : text('atlas.exp.robustness.summary', {
        corruption: kept('corruption'), corruptionOutcome: nested(outcome(judged.corruption.primary)), corruptionVerdict: phrase(`atlas.verdict.${judged.corruption.verdict}`),
        pgd: kept('pgd'), pgdOutcome: nested(outcome(judged.adversarial.primary)), pgdVerdict: phrase(`atlas.verdict.${judged.adversarial.verdict}`),
      });
  const ciPct = (c: ReturnType<typeof meanCi95>) => ({ mean: 100 * c.mean, ci95: [100 * c.ci95[0], 100 * c.ci95[1]] as [number, number], seeds: c.n, unit: '%' });
  const measured: Verdict['measured'] = [
    ...[judged.corruption.primary, judged.adversarial.primary].filter((p) => Number.isFinite(p.diff)).map((p) => ({
      key: pairKey(p), label: text(`atlas.exp.robustness.measured.diff.${p.probe}`, { a: mini(p.a), b: mini(p.b) }),
      mean: 100 * p.diff, ci95: [100 * p.ci95[0], 100 * p.ci95[1]] as [number, number], seeds: p.seeds, unit: 'pt',
    })),
    ...models.flatMap((m) => [
      { key: `corr_ret_${short(m)}`, label: text('atlas.exp.robustness.measured.corruption', { model: mini(m) }), ...ciPct(ret(m, 'corruption')) },
      { key: `pgd_ret_${short(m)}`, label: text('atlas.exp.robustness.measured.pgd', { model: mini(m) }), ...ciPct(ret(m, 'pgd')) },
      { key: `init_clean_${short(m)}`, label: text('atlas.exp.robustness.measured.initClean', { model: mini(m) }), ...ciPct(meanCi95(runs(m).map((r) => r.control.cleanAccuracy))) },
    ]),
  ];
  const facts = models.flatMap((m) => runs(m).map((r) => r.pool));
  const verdictJson: Verdict = {
    experiment: id, claims: [...claims], profile,
    criterion: text('atlas.exp.robustness.criterion', {
      pgdEps: tlist(cfg.pgdEps.map((e) => tnum(e))), pgdSteps: tnum(cfg.pgdSteps),
      margin: f1(RETENTION_MARGIN), seeds: tnum(MIN_SEEDS), floor: f1(MIN_CLEAN_ACCURACY),
    }),
    control: text('atlas.exp.robustness.control', {
      models: tlist(control.map((c) => nested(text('atlas.exp.robustness.controlModel', { model: mini(c.model), trained: f1(c.trained.mean), untrained: f1(c.untrained.mean) })))),
      floor: f1(MIN_CLEAN_ACCURACY),
    }),
    verdict: judged.verdict, summary, measured,
    chart: 'corruptions',
    budget: text('atlas.exp.robustness.budget', {
      models: tlist(models.map((m) => mini(m))), seeds: tnum(cfg.seeds), regime: phrase(`atlas.exp.regime.${poolRegime(cfg)}`),
      images: tnum(Math.max(0, ...facts.map((f) => f.trainImages))), epochs: tnum(Math.max(0, ...facts.map((f) => f.epochs))),
    }),
    wallSeconds: wallSeconds(records),
  };
  const data = {
    id, profile, models, seeds: cfg.seeds, regime: cfg.regime, corruptions: cfg.corruptions, severity: SEVERITY, fgsmEps: cfg.fgsmEps, pgdEps: cfg.pgdEps, pgdSteps: cfg.pgdSteps,
    clean, cleanCorruption, corruption, adversarial, retention: retentionRows, control,
    pool: facts,
    judged: { verdict: judged.verdict, corruption: judged.corruption, adversarial: judged.adversarial, preconditions: judged.preconditions, control: judged.control },
  };
  // values.json is wrapped as src/lib/generated.ts reads it: { id, provenance, values }.
  const provenance = { script: `scripts/experiments/${id}.ts`, codeVersion, kind: 'experiment', profile };
  return { data, values: { id, provenance, values }, verdict: verdictJson };
}
