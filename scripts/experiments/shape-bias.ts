// shape-bias (claim C1): when shape and texture disagree, which cue does each small model follow, and
// does the ViT lean further to shape than the CNN by more than their untrained networks already do?
// Geirhos et al. 2019 (ICLR, arXiv:1811.12231), in two parts:
//  1. fmnist: the model pool's full-regime networks (never trained here) on cue-conflict images built
//     from Fashion-MNIST's test split (scripts/lib/data/fmnist-cue-conflict.ts: the silhouette of an
//     item of class i filled with the tiled texture of an item of class j ≠ i);
//  2. synthetic: 8 shapes × 8 textures (scripts/lib/data/cue-conflict.ts), every model trained from
//     scratch for the same number of steps, the texture period drawn from WIDE_PERIOD_RANGE so that it
//     does not line up with the ViT's 4-px patch grid.
// Both parts measure the untrained network of the same architecture and seed as the control (part 1:
// poolMini(…, 'init'); part 2: the network before its training starts), and single-cue probes
// (silhouettes; texture patches). Shape bias = shape decisions / (shape + texture decisions).
// The verdict comes from criteria/shape-bias.ts (fixed before the pool runs).
//
//   npm run experiments -- --only shape-bias --profile quick     # CI smoke run
//   npm exec -- tsx scripts/experiments/common/summarize.ts shape-bias [--profile quick]   # summary, values, verdict
import { cueConflict, cueConsistentData, SHAPES, WIDE_PERIOD_RANGE } from '../lib/data/cue-conflict';
import { fashionMnist } from '../lib/data/fashion-mnist';
import { fmnistCueConflict } from '../lib/data/fmnist-cue-conflict';
import type { Json, ProfileName, RunContext, Unit, UnitRecord } from '../lib/experiments/types';
import { perShapeBias, probeAccuracy, tallyFromArrays, type CueTally } from '../lib/metrics/shape-bias';
import type { Model } from '../../models/nn/types';
import type { Split } from '../lib/train/batches';
import { createModel } from '../../models/index';
import { kindOf, narrowOverrides, shortName } from '../../models/minis';
import { list, mini, nested, num, phrase, text, type TextRef } from '../../contracts/text';
import type { Verdict } from '../../contracts/verdict';
import { meanCi95 } from '../lib/metrics/seed-stats';
import { predict, train, TRAIN_DEFAULTS } from '../lib/train';
import { wallSeconds } from '../lib/experiments/wall-time';
import { factsJson, poolMini, poolRefs, type PoolFacts, asPoolRegime } from './common/pool-models';
import { MIN_CUE_FRACTION, MIN_EFFECT, MIN_SEEDS, PROBE_MARGIN, shapeBiasVerdict, type PartInput, type PartResult, type SeedShape } from './criteria/shape-bias';

export const id = 'shape-bias';
export const claims = ['C1'];
export const codeVersion = '2';
export const reads = ['pool']; // its units load pool weights: a run trains the pool first

const CNN = 'resnet_mini_28', VIT = 'vit_mini_patch4_28';

export const defaults = {
  seeds: 3,
  evalSeed: 1000,          // the evaluation sets are the same images for every unit
  // 1. Fashion-MNIST cue conflict on the pool (the pool's three required architectures)
  fmnistModels: ['resnet_mini_28', 'vit_mini_patch4_28', 'hybrid_mini_28'],
  regime: 'full',          // the pool's regime the criterion judges (criteria/shape-bias.ts, Wiring)
  fmnistConflictPerPair: 10, // 90 ordered class pairs → 900 conflict images
  fmnistProbeN: 500,       // silhouettes and texture-only images each
  fmnistPatch: 8,          // texture patch side in px (fmnist-cue-conflict.ts)
  // 2. synthetic shapes × textures, one step budget for every model
  // ConvNeXt (narrow) stayed at chance for 1,200 steps in a first run, so it is left out.
  syntheticModels: ['resnet_mini_28', 'vit_mini_patch4_28', 'hybrid_mini_28', 'swin_mini_28', 'pvt_mini_28'],
  narrow: true,            // the narrow minis (scripts/models/minis.ts)
  size: 28,                // image side: the minis' native 28×28
  periodRange: [...WIDE_PERIOD_RANGE] as number[], // texture period in px, off the 4-px patch grid
  trainN: 4096,            // distinct consistent training images (per seed)
  testN: 512,              // held-out consistent images (reported, not a stopping rule)
  conflictPerPair: 8,      // conflict images per (shape, texture) pair: 56 pairs
  probeN: 256,             // silhouettes and texture patches each
  batchSize: 64,
  lr: 4e-3,                // the best of 2e-3/4e-3/8e-3 for the narrow ViT in a pilot; the same for all
  warmupSteps: 20,
  weightDecay: 0.05,
  steps: 2500,             // the same for every model (160,000 images), warm-up then cosine decay
  checkEvery: 250,
};
type Config = typeof defaults;

export const profiles = {
  // For CI: the quick pool (ResNet and ViT, seed 0) and a few synthetic steps (the numbers mean nothing).
  quick: {
    fmnistModels: ['resnet_mini_28', 'vit_mini_patch4_28'], seeds: 1, fmnistConflictPerPair: 1, fmnistProbeN: 20,
    syntheticModels: ['resnet_mini_28', 'vit_mini_patch4_28'], trainN: 256, testN: 64, conflictPerPair: 1, probeN: 16, batchSize: 32, steps: 20, checkEvery: 10,
  },
  full: {},
};

export type Part = 'fmnist' | 'synthetic';
export const PARTS: readonly Part[] = ['fmnist', 'synthetic'];
/** Prefix of a part's keys in values.json. */
export const PART_PREFIX: Record<Part, string> = { fmnist: 'fmnist', synthetic: 'synth' };

const poolRegime = (cfg: Config): 'full' | 'small' => asPoolRegime(id, cfg.regime);
const periodRange = (cfg: Config): readonly [number, number] => {
  const [a, b] = cfg.periodRange;
  if (cfg.periodRange.length !== 2 || !(a! > 0) || !(b! > a!)) throw new Error(`shape-bias: periodRange must be [min, max] px with 0 < min < max, got ${JSON.stringify(cfg.periodRange)}`);
  return [a!, b!];
};

export function units(profile: ProfileName, cfg: Config): Unit[] {
  const regime = poolRegime(cfg);
  // Seed-major, so a stopped run leaves every model with some seeds rather than some models with all.
  return Array.from({ length: cfg.seeds }, (_, seed) => [
    ...cfg.fmnistModels.map((model) => ({ key: `fmnist-${model}-s${seed}`, part: 'fmnist', seed, model, regime, pool: poolRefs([{ model, regime, seed }, { model, regime: 'init', seed }], profile) })),
    ...cfg.syntheticModels.map((model) => ({ key: `synthetic-${model}-s${seed}`, part: 'synthetic', seed, model })),
  ]).flat();
}

/** What one network does on a part's conflict images and probes. */
export interface CueMeasure {
  conflict: CueTally;
  perShape: Array<number | null>;
  shapeProbeAccuracy: number;
  textureProbeAccuracy: number;
}
export interface ShapeUnitResult extends CueMeasure {
  part: Part; model: string; kind: string; seed: number; params: number;
  /** The untrained network of the same architecture and seed. */
  control: CueMeasure;
  /** fmnist: the pool model measured. */
  pool?: PoolFacts;
  /** synthetic: the training run. */
  training?: { steps: number; consistentAccuracy: number; finalTrainLoss: number; curve: Array<{ step: number; trainLoss: number; testAccuracy: number }> };
}

interface CueSets { conflict: Split & { shapeLabels: Int32Array; textureLabels: Int32Array }; shape: Split; texture: Split; classes: number }
function measure(model: Model, s: CueSets): CueMeasure {
  const pc = predict(model, s.conflict);
  return {
    conflict: tallyFromArrays(pc, s.conflict.shapeLabels, s.conflict.textureLabels),
    perShape: perShapeBias(pc, s.conflict.shapeLabels, s.conflict.textureLabels, s.classes),
    shapeProbeAccuracy: probeAccuracy(predict(model, s.shape), s.shape.labels),
    textureProbeAccuracy: probeAccuracy(predict(model, s.texture), s.texture.labels),
  };
}

function fmnistSets(cfg: Config): CueSets {
  const test = fashionMnist({ trainLimit: 1, testLimit: 0 }).test, K = test.numClasses, patch = cfg.fmnistPatch;
  return {
    conflict: fmnistCueConflict(test, { kind: 'conflict', n: cfg.fmnistConflictPerPair * K * (K - 1), seed: cfg.evalSeed, patch }),
    shape: fmnistCueConflict(test, { kind: 'shape', n: cfg.fmnistProbeN, seed: cfg.evalSeed + 1, patch }),
    texture: fmnistCueConflict(test, { kind: 'texture', n: cfg.fmnistProbeN, seed: cfg.evalSeed + 2, patch }),
    classes: K,
  };
}

function syntheticSets(cfg: Config): CueSets {
  const K = SHAPES.length, pr = periodRange(cfg);
  return {
    conflict: cueConflict({ kind: 'conflict', n: cfg.conflictPerPair * K * (K - 1), seed: cfg.evalSeed, size: cfg.size, periodRange: pr }),
    shape: cueConflict({ kind: 'shape', n: cfg.probeN, seed: cfg.evalSeed + 1, size: cfg.size, periodRange: pr }),
    texture: cueConflict({ kind: 'texture', n: cfg.probeN, seed: cfg.evalSeed + 2, size: cfg.size, periodRange: pr }),
    classes: K,
  };
}

const paramsOf = (m: Model) => m.variables().reduce((s, v) => s + v.size, 0);

export async function runUnit(unit: Unit, cfg: Config, ctx: RunContext): Promise<Json> {
  const name = String(unit.model), seed = unit.seed, part = String(unit.part) as Part;
  switch (part) {
    case 'fmnist': {
      const sets = fmnistSets(cfg);
      const init = await poolMini(name, 'init', seed, ctx);
      const control = measure(init.model, sets);
      init.model.dispose();
      const { model, facts } = await poolMini(name, poolRegime(cfg), seed, ctx);
      const r: ShapeUnitResult = { part, model: name, kind: kindOf(name), seed, params: paramsOf(model), ...measure(model, sets), control, pool: facts };
      model.dispose();
      ctx.log(`${name} s${seed} (pool): shape bias ${r.conflict.shapeBias?.toFixed(3)}, untrained ${control.conflict.shapeBias?.toFixed(3)}`);
      return { ...r, pool: factsJson(facts) } as unknown as Json;
    }
    case 'synthetic': {
      const overrides = { ...(cfg.narrow ? narrowOverrides(name) : {}), numClasses: SHAPES.length };
      const model = createModel(name, overrides, { seed });
      const sets = syntheticSets(cfg);
      const control = measure(model, sets); // before training: the same architecture and seed, untrained
      const data = cueConsistentData({ trainN: cfg.trainN, testN: cfg.testN, seed, size: cfg.size, periodRange: periodRange(cfg) });
      const { metrics: m } = await train(model, data, {
        ...TRAIN_DEFAULTS, steps: cfg.steps, batchSize: cfg.batchSize, lr: cfg.lr, warmupSteps: cfg.warmupSteps,
        weightDecay: cfg.weightDecay, evalEvery: cfg.checkEvery, seed,
      }, { log: ctx.log, progress: ctx.progress });
      const training = { steps: m.steps, consistentAccuracy: m.testAccuracy, finalTrainLoss: m.finalTrainLoss, curve: m.evals.map((e) => ({ step: e.step, trainLoss: e.trainLoss, testAccuracy: e.accuracy })) };
      const r: ShapeUnitResult = { part, model: name, kind: kindOf(name), seed, params: paramsOf(model), ...measure(model, sets), control, training };
      model.dispose();
      ctx.log(`${name} s${seed} (synthetic): ${(100 * training.consistentAccuracy).toFixed(1)}% consistent after ${training.steps} steps, shape bias ${r.conflict.shapeBias?.toFixed(3)}`);
      return r as unknown as Json;
    }
    default:
      throw new Error(`shape-bias: unknown part '${part}' (fmnist | synthetic)`);
  }
}

// ---- summary: chart data, values, verdict (criteria/shape-bias.ts) ----------------------------

/**
 * Reference marks: published shape biases of large ImageNet-trained models on Geirhos et al.'s
 * stylised cue-conflict images (16 classes). Each was checked against the source named here.
 */
export const REFERENCES: ReadonlyArray<{ key: string; who: 'human' | 'resnet50' | 'vit_b16'; value: number; source: string }> = [
  { key: 'paper_resnet50', who: 'resnet50', value: 0.2139, source: 'Geirhos et al. 2019 (ICLR), ImageNet-trained ResNet-50 (torchvision): 21.39% in the rgeirhos/texture-vs-shape README, table "Shape bias and IN accuracies of different SIN-trained models"' },
  // 317 shape / (317 + 288 texture) decisions on the 1,200 conflict images (80 same-class images dropped).
  { key: 'paper_vit_b16', who: 'vit_b16', value: 317 / 605, source: 'Tuli et al. 2021 (CogSci), ImageNet-trained ViT-B/16: 317 shape and 288 texture decisions on the 1,200 conflict images = 0.524, counted from the released per-image decisions (shikhartuli/cnn_txf_bias, vision_transformer/results/texture-shape_cue-conflict/texture-shape_cue-conflict_ViT-B_16_session-1.csv)' },
];

const ci = (xs: number[]) => {
  const m = meanCi95(xs);
  return { mean: m.mean, lo: m.ci95[0], hi: m.ci95[1], n: m.n };
};
const finite = (xs: Array<number | null | undefined>) => xs.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
/** (shape hits + texture hits) / conflict trials: how many conflict decisions follow either cue. */
export const cueFraction = (t: CueTally) => (t.trials - t.excluded > 0 ? (t.shapeHits + t.textureHits) / (t.trials - t.excluded) : 0);

export function summarize(records: UnitRecord[], cfg: Config, profile: ProfileName = 'full'): Record<string, Json> {
  const results = records.map((r) => r.result as unknown as ShapeUnitResult);
  const chance: Record<Part, number> = { fmnist: 1 / 10, synthetic: 1 / SHAPES.length };
  const modelsOf: Record<Part, string[]> = { fmnist: cfg.fmnistModels, synthetic: cfg.syntheticModels };
  const runs = (part: Part, model: string) => results.filter((r) => r.part === part && r.model === model).sort((a, b) => a.seed - b.seed);

  const partData = (part: Part) => ({
    chance: chance[part],
    models: modelsOf[part].map((model) => {
      const rs = runs(part, model);
      return {
        model, short: shortName(model), kind: kindOf(model), params: rs[0]?.params ?? 0, seeds: rs.length,
        shapeBias: ci(finite(rs.map((r) => r.conflict.shapeBias))), initShapeBias: ci(finite(rs.map((r) => r.control.conflict.shapeBias))),
        shapeProbe: ci(rs.map((r) => r.shapeProbeAccuracy)), textureProbe: ci(rs.map((r) => r.textureProbeAccuracy)),
        shapeFraction: ci(rs.map((r) => r.conflict.shapeFraction)), textureFraction: ci(rs.map((r) => r.conflict.textureFraction)),
        cueFraction: ci(rs.map((r) => cueFraction(r.conflict))),
        consistentAccuracy: ci(finite(rs.map((r) => r.training?.consistentAccuracy))), steps: ci(finite(rs.map((r) => r.training?.steps))),
      };
    }).filter((m) => m.seeds > 0),
  });
  // The criterion pairs seeds by index: only seeds both judged models have.
  const partInput = (part: Part): PartInput => {
    const c = runs(part, CNN), v = runs(part, VIT);
    const seeds = c.map((r) => r.seed).filter((s) => v.some((r) => r.seed === s));
    const seedShape = (r: ShapeUnitResult): SeedShape => ({
      shapeBias: r.conflict.shapeBias, cueFraction: cueFraction(r.conflict), shapeProbe: r.shapeProbeAccuracy, textureProbe: r.textureProbeAccuracy, initShapeBias: r.control.conflict.shapeBias,
    });
    return { cnn: seeds.map((s) => seedShape(c.find((r) => r.seed === s)!)), vit: seeds.map((s) => seedShape(v.find((r) => r.seed === s)!)), chance: chance[part] };
  };
  const judged = shapeBiasVerdict({ fmnist: partInput('fmnist'), synthetic: partInput('synthetic') });
  const parts = { fmnist: partData('fmnist'), synthetic: partData('synthetic') };

  const values: Record<string, { value: number; unit?: string }> = {};
  for (const part of PARTS) {
    const p = PART_PREFIX[part];
    for (const m of parts[part].models) {
      if (m.shapeBias.n) {
        values[`${p}_bias_${m.short}`] = { value: m.shapeBias.mean };
        values[`${p}_bias_${m.short}_lo`] = { value: m.shapeBias.lo };
        values[`${p}_bias_${m.short}_hi`] = { value: m.shapeBias.hi };
      }
      if (m.initShapeBias.n) values[`${p}_init_bias_${m.short}`] = { value: m.initShapeBias.mean };
      values[`${p}_shape_probe_${m.short}`] = { value: 100 * m.shapeProbe.mean, unit: '%' };
      values[`${p}_texture_probe_${m.short}`] = { value: 100 * m.textureProbe.mean, unit: '%' };
      values[`${p}_cue_fraction_${m.short}`] = { value: 100 * m.cueFraction.mean, unit: '%' };
      values[`${p}_params_${m.short}`] = { value: m.params };
      if (m.consistentAccuracy.n) values[`${p}_consistent_${m.short}`] = { value: 100 * m.consistentAccuracy.mean, unit: '%' };
    }
    const r = judged.parts[part];
    if (r.parts) {
      for (const [k, d] of [['effect', r.parts.effect], ['trained_diff', r.parts.trainedDiff]] as const) {
        values[`${p}_${k}`] = { value: d.diff };
        values[`${p}_${k}_lo`] = { value: d.ci95[0] };
        values[`${p}_${k}_hi`] = { value: d.ci95[1] };
      }
    }
    if (r.control) {
      values[`${p}_init_diff`] = { value: r.control.diff.diff };
      values[`${p}_init_diff_lo`] = { value: r.control.diff.ci95[0] };
      values[`${p}_init_diff_hi`] = { value: r.control.diff.ci95[1] };
    }
  }
  values.seeds = { value: cfg.seeds };
  values.min_effect = { value: MIN_EFFECT };
  values.probe_margin = { value: 100 * PROBE_MARGIN, unit: 'pt' };
  values.min_cue_fraction = { value: 100 * MIN_CUE_FRACTION, unit: '%' };
  values.fmnist_conflict_images = { value: cfg.fmnistConflictPerPair * 90 };
  values.fmnist_probe_images = { value: cfg.fmnistProbeN };
  values.fmnist_patch = { value: cfg.fmnistPatch };
  values.synth_conflict_images = { value: cfg.conflictPerPair * SHAPES.length * (SHAPES.length - 1) };
  values.synth_probe_images = { value: cfg.probeN };
  values.synth_train_images = { value: cfg.trainN };
  values.synth_steps = { value: cfg.steps };
  values.synth_batch = { value: cfg.batchSize };
  values.period_min = { value: periodRange(cfg)[0] };
  values.period_max = { value: periodRange(cfg)[1] };
  for (const r of REFERENCES) values[r.key] = { value: r.value };
  const seconds = wallSeconds(records);
  values.wall_minutes = { value: seconds / 60, unit: 'min' };

  const f2 = (x: number) => num(x, 2);
  const partSummary = (part: Part, r: PartResult): TextRef => r.parts
    ? text('atlas.exp.shape-bias.partSummary', {
        part: phrase(`atlas.exp.shape-bias.part.${part}`), cnn: mini(CNN), vit: mini(VIT),
        vitBias: f2(r.parts.vit.mean), cnnBias: f2(r.parts.cnn.mean), vitInit: f2(r.control!.vit.mean), cnnInit: f2(r.control!.cnn.mean),
        effect: f2(r.parts.effect.diff), lo: f2(r.parts.effect.ci95[0]), hi: f2(r.parts.effect.ci95[1]),
        verdict: phrase(`atlas.verdict.${r.verdict}`), reason: phrase(`atlas.exp.shape-bias.reason.${r.reason}`),
      })
    : text('atlas.exp.shape-bias.partUndecided', { part: phrase(`atlas.exp.shape-bias.part.${part}`), verdict: phrase(`atlas.verdict.${r.verdict}`), reason: phrase(`atlas.exp.shape-bias.reason.${r.reason}`) });
  const summary = text('atlas.exp.shape-bias.summary', { parts: list(PARTS.map((p) => nested(partSummary(p, judged.parts[p])))) });
  const measured: Verdict['measured'] = PARTS.flatMap((part) => {
    const r = judged.parts[part];
    if (!r.parts) return [];
    const pn = phrase(`atlas.exp.shape-bias.part.${part}`), p = PART_PREFIX[part];
    const bias = (m: string, c: { mean: number; ci95: [number, number]; n: number }, who: 'resnet50' | 'vit_b16') => {
      const ref = part === 'fmnist' ? REFERENCES.find((x) => x.who === who) : undefined;
      return {
        key: `${p}_bias_${shortName(m)}`, label: text('atlas.exp.shape-bias.measured.bias', { model: mini(m), part: pn }),
        mean: c.mean, ci95: c.ci95, seeds: c.n, ...(ref ? { paper: { value: ref.value, source: ref.source } } : {}),
      };
    };
    return [
      { key: `${p}_effect`, label: text('atlas.exp.shape-bias.measured.effect', { cnn: mini(CNN), vit: mini(VIT), part: pn }), mean: r.parts.effect.diff, ci95: r.parts.effect.ci95, seeds: Math.min(r.parts.cnn.n, r.parts.vit.n) },
      bias(VIT, r.parts.vit, 'vit_b16'),
      bias(CNN, r.parts.cnn, 'resnet50'),
      { key: `${p}_init_diff`, label: text('atlas.exp.shape-bias.measured.initDiff', { cnn: mini(CNN), vit: mini(VIT), part: pn }), mean: r.control!.diff.diff, ci95: r.control!.diff.ci95, seeds: Math.min(r.control!.cnn.n, r.control!.vit.n) },
    ];
  });
  if (measured.length === 0) {
    // Neither part could be measured (e.g. fewer seeds than the criterion needs): still state the biases seen.
    for (const part of PARTS) for (const m of parts[part].models.filter((x) => x.shapeBias.n)) {
      measured.push({ key: `${PART_PREFIX[part]}_bias_${m.short}`, label: text('atlas.exp.shape-bias.measured.bias', { model: mini(m.model), part: phrase(`atlas.exp.shape-bias.part.${part}`) }), mean: m.shapeBias.mean, ci95: [m.shapeBias.lo, m.shapeBias.hi], seeds: m.shapeBias.n });
    }
  }

  const out: Record<string, Json> = {};
  const expected = (cfg.fmnistModels.length + cfg.syntheticModels.length) * cfg.seeds;
  out.summary = { id, profile, complete: records.length === expected, shapes: [...SHAPES], references: REFERENCES, parts, judged } as unknown as Json;
  if (measured.length) {
    const v: Verdict = {
      experiment: id, claims: [...claims], profile,
      criterion: text('atlas.exp.shape-bias.criterion', {
        cnn: mini(CNN), vit: mini(VIT), minEffect: f2(MIN_EFFECT), probeMargin: num(100 * PROBE_MARGIN, 0), cueFraction: num(100 * MIN_CUE_FRACTION, 0), seeds: num(MIN_SEEDS, 0),
        periodMin: num(periodRange(cfg)[0]), periodMax: num(periodRange(cfg)[1]), steps: num(cfg.steps, 0),
      }),
      control: text('atlas.exp.shape-bias.control', {
        parts: list(PARTS.filter((p) => judged.control[p]).map((p) => nested(text('atlas.exp.shape-bias.controlPart', {
          part: phrase(`atlas.exp.shape-bias.part.${p}`), cnn: mini(CNN), vit: mini(VIT), cnnInit: f2(judged.control[p]!.cnn.mean), vitInit: f2(judged.control[p]!.vit.mean),
        })))),
      }),
      verdict: judged.verdict, summary, measured,
      chart: 'bias-by-model', budget: budgetText(cfg, results), wallSeconds: seconds,
    };
    out.verdict = v as unknown as Json;
  }
  out.values = { id, values } as unknown as Json;
  return out;
}

export function budgetText(cfg: Config, results: readonly ShapeUnitResult[] = []): TextRef {
  const facts = results.map((r) => r.pool).filter((f): f is PoolFacts => !!f);
  return text('atlas.exp.shape-bias.budget', {
    fmnistModels: list(cfg.fmnistModels.map((m) => mini(m))), regime: phrase(`atlas.exp.regime.${poolRegime(cfg)}`),
    images: num(Math.max(0, ...facts.map((f) => f.trainImages))), epochs: num(Math.max(0, ...facts.map((f) => f.epochs))),
    fmnistConflict: num(cfg.fmnistConflictPerPair * 90), fmnistProbeN: num(cfg.fmnistProbeN), patch: num(cfg.fmnistPatch),
    size: num(cfg.size), trainN: num(cfg.trainN), periodMin: num(periodRange(cfg)[0]), periodMax: num(periodRange(cfg)[1]),
    lr: num(cfg.lr), warmup: num(cfg.warmupSteps), wd: num(cfg.weightDecay), batch: num(cfg.batchSize), steps: num(cfg.steps),
    syntheticModels: list(cfg.syntheticModels.map((m) => mini(m))), narrow: phrase(cfg.narrow ? 'atlas.exp.shape-bias.narrowNote' : 'atlas.exp.none'),
    seeds: num(cfg.seeds), conflict: num(cfg.conflictPerPair * 56), probeN: num(cfg.probeN),
  });
}
