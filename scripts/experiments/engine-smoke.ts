// engine-smoke: trains a mini model a few steps on Fashion-MNIST to exercise the whole engine
// (backend, kernels, data, training loop, runner cache). Not a claim; no page reads it.
//
//   npm run experiments -- --only engine-smoke --profile quick
import { fashionMnist } from '../lib/data/fashion-mnist';
import type { Json, ProfileName, RunContext, Unit } from '../lib/experiments/types';
import { train, TRAIN_DEFAULTS } from '../lib/train';
import { createModel } from '../../models/index';

export const id = 'engine-smoke';
export const claims: string[] = [];
export const codeVersion = '1';

export const defaults = {
  models: ['vit_mini_patch4_28', 'resnet_mini_28'], // zoo registry names
  seeds: 1,            // units per model
  steps: 100,
  batchSize: 128,
  lr: 1e-3,
  warmupSteps: 10,
  trainLimit: 0,       // 0 = all 60k
  testLimit: 2000,
};
type Config = typeof defaults;

export const profiles = {
  quick: { models: ['vit_mini_patch4_28'], steps: 6, batchSize: 32, warmupSteps: 2, trainLimit: 512, testLimit: 128 }, // seconds, for tests/CI
  full: {},
};

export function units(_profile: ProfileName, cfg: Config): Unit[] {
  return cfg.models.flatMap((model) => Array.from({ length: cfg.seeds }, (_, seed) => ({ key: `${model}-s${seed}`, seed, model })));
}

export async function runUnit(unit: Unit, cfg: Config, ctx: RunContext): Promise<Json> {
  const model = createModel(String(unit.model), {}, { seed: unit.seed });
  const data = fashionMnist({ trainLimit: cfg.trainLimit, testLimit: cfg.testLimit });
  const r = await train(model, data, {
    ...TRAIN_DEFAULTS, steps: cfg.steps, batchSize: cfg.batchSize, lr: cfg.lr, warmupSteps: cfg.warmupSteps, seed: unit.seed,
    logEvery: Math.max(1, Math.floor(cfg.steps / 5)),
  }, { log: ctx.log, progress: ctx.progress });
  const params = model.variables().reduce((s, v) => s + v.size, 0);
  model.dispose();
  return {
    model: String(unit.model), params,
    testAccuracy: r.metrics.testAccuracy, testLoss: r.metrics.testLoss, finalTrainLoss: r.metrics.finalTrainLoss,
    curve: r.metrics.curve.filter((_, i) => i % Math.max(1, Math.floor(cfg.steps / 50)) === 0).map((p) => ({ step: p.step, trainLoss: p.trainLoss })),
    timing: r.timing,
  };
}
