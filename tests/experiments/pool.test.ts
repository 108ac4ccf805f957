// pool: the plateau criterion on synthetic curves, the fixed splits, the recipe's step cap, the tf.io
// weights files, the checkpoint files, the manifest contract, and a quick-profile run that resumes.
import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { poolManifestSchema } from '../../contracts/pool';
import * as exp from '../../scripts/experiments/pool';
import { selectBackend } from '../../scripts/lib/engine/backend';
import { mergeConfig } from '../../scripts/lib/experiments/cache';
import type { Experiment, RunContext, UnitRecord } from '../../scripts/lib/experiments/types';
import { balancedSubset, type Checkpoint, type Split } from '../../scripts/lib/train';
import { loadCheckpoint, saveCheckpoint } from '../../scripts/lib/train/checkpoint-file';
import { loadTfjsWeights, saveTfjsWeights } from '../../scripts/lib/train/tfjs-format';
import { createModel } from '../../models/index';
import { expectChartsRender, hasFashionMnist, toRecord, useTempDir, useTempResultsDir } from '../helpers/quick-run';
import { poolCurvesFull } from '../../src/components/charts/pool';

beforeAll(async () => { await selectBackend(); });

const evalsOf = (accs: number[], stepsPerEval = 100) => accs.map((accuracy, i) => ({ step: (i + 1) * stepsPerEval, accuracy }));

describe('plateau criterion (gain in the last 20% of steps)', () => {
  it('a curve still rising at the end is not plateaued', () => {
    // 10 evals; the last two (steps 900, 1000 > 800) gain 1.5 points over the best before.
    const g = exp.plateauGain(evalsOf([0.5, 0.7, 0.8, 0.85, 0.87, 0.88, 0.89, 0.895, 0.905, 0.91]), 1000);
    expect(g).toBeCloseTo(0.015, 10);
    expect(g < exp.PLATEAU_GAIN).toBe(false);
  });
  it('a flat end is plateaued, and a drop at the end counts as no gain', () => {
    expect(exp.plateauGain(evalsOf([0.5, 0.8, 0.88, 0.9, 0.9, 0.901, 0.9, 0.902, 0.903, 0.904]), 1000)).toBeCloseTo(0.002, 10);
    expect(exp.plateauGain(evalsOf([0.5, 0.8, 0.88, 0.9, 0.9, 0.9, 0.9, 0.91, 0.89, 0.88]), 1000)).toBeLessThan(0);
  });
  it('is undefined without an eval on both sides of the cut', () => {
    expect(exp.plateauGain(evalsOf([0.5, 0.6]), 1000)).toBeNaN();
    expect(exp.plateauGain([], 1000)).toBeNaN();
  });
});

describe('splits and recipe', () => {
  const split = (n: number): Split => {
    const labels = new Int32Array(n).map((_, i) => (i * 7) % 10);
    return { images: new Float32Array(n * 4).map((_, i) => i), labels, n, shape: [2, 2, 1], numClasses: 10 };
  };
  it('the small subset is class-balanced, fixed by its seed, and says when a class is short', () => {
    const a = balancedSubset(split(500), 100, 3), b = balancedSubset(split(500), 100, 3);
    expect(Array.from({ length: 10 }, (_, c) => a.labels.filter((l) => l === c).length)).toEqual(new Array(10).fill(10));
    expect(Array.from(a.images)).toEqual(Array.from(b.images));
    expect(Array.from(balancedSubset(split(500), 100, 4).images)).not.toEqual(Array.from(a.images));
    expect(() => balancedSubset(split(500), 105, 3)).toThrow(/multiple of the 10 classes/);
    expect(() => balancedSubset(split(50), 100, 3)).toThrow(/only 5\/5/);
  });
  it('one unit per model × regime × seed, keyed as the manifest expects', () => {
    const cfg = exp.defaults;
    const us = exp.units('full', cfg);
    expect(us).toHaveLength(5 * 2 * 3);
    expect(new Set(us.map((u) => u.key)).size).toBe(us.length);
    // A run takes one seed of every required model in both regimes first, the optional ones last.
    expect(us.slice(0, 7).map((u) => u.key)).toEqual(['resnet-full-s0', 'vit-full-s0', 'hybrid-full-s0', 'resnet-small-s0', 'vit-small-s0', 'hybrid-small-s0', 'resnet-full-s1']);
    expect(us.slice(-12).every((u) => /^(swin|pvt)-/.test(u.key))).toBe(true);
    for (const u of us) expect(u.key).toMatch(/^[a-z0-9]+-(full|small)-s\d+$/);
  });
  it('the small regime is capped at a full unit\'s optimiser steps, warms up and evals on a fixed cadence', () => {
    const cfg = exp.defaults;
    const full = exp.poolTrainConfig('full', cfg, 55000, 0), small = exp.poolTrainConfig('small', cfg, 2000, 0);
    const fullSteps = full.epochs * Math.floor(55000 / 128), smallSteps = small.epochs * Math.floor(2000 / 128);
    expect(smallSteps).toBeLessThanOrEqual(fullSteps);
    expect(full.evalEvery).toBe(429);       // every epoch
    expect(small.evalEvery).toBe(150);      // every 10 epochs
    expect(full.keepBest && small.keepBest).toBe(true);
    expect(full.lr).toBe(small.lr);
    expect(() => exp.poolTrainConfig('small', { ...cfg, smallEpochs: 1000, epochs: 15 }, 2000, 0)).toThrow(/exceed a full unit's 6435/);
  });
});

describe('weights in tf.io format', () => {
  useTempDir('ATLAS_POOL_TEST_DIR', 'atlas-pool-weights-');
  it('round-trips into a fresh model, and tf.io decodes the same tensors', () => {
    const dir = process.env.ATLAS_POOL_TEST_DIR!;
    const a = createModel('resnet_mini_28', {}, { seed: 1 }), b = createModel('resnet_mini_28', {}, { seed: 2 });
    const w = saveTfjsWeights(a, dir, 'r');
    loadTfjsWeights(b, w.manifest, w.sha256);
    a.namedVariables().forEach(([, v], i) => expect(Array.from(b.namedVariables()[i]![1].dataSync())).toEqual(Array.from(v.dataSync())));
    // What a browser does: tf.io.decodeWeights on the manifest's entries and the shard's bytes.
    const manifest = JSON.parse(readFileSync(w.manifest, 'utf8')) as tf.io.WeightsManifestConfig;
    const raw = readFileSync(w.bin);
    const named = tf.io.decodeWeights(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength), manifest[0]!.weights);
    const [p0, v0] = a.namedVariables()[0]!;
    expect(Array.from(named[p0]!.dataSync())).toEqual(Array.from(v0.dataSync()));
    tf.dispose(Object.values(named));
    a.dispose(); b.dispose();
  });
  it('names the file and the fix when the shard is damaged or the model differs', () => {
    const dir = process.env.ATLAS_POOL_TEST_DIR!;
    const a = createModel('vit_mini_patch4_28', {}, { seed: 1 });
    const w = saveTfjsWeights(a, dir, 'v');
    const other = createModel('resnet_mini_28', {}, { seed: 1 });
    expect(() => loadTfjsWeights(other, w.manifest)).toThrow(/v\.weights\.json: \d+ tensors, the model resnet_mini_28 has \d+/);
    const bytes = readFileSync(w.bin); bytes[0] = bytes[0]! ^ 1; writeFileSync(w.bin, bytes);
    expect(() => loadTfjsWeights(a, w.manifest, w.sha256)).toThrow(/v\.weights\.bin: sha256 [0-9a-f]+, expected .*git checkout/);
    expect(() => loadTfjsWeights(a, join(dir, 'none.weights.json'))).toThrow(/weights manifest missing/);
    a.dispose(); other.dispose();
  });
});

describe('checkpoint files', () => {
  useTempDir('ATLAS_POOL_CKPT_DIR', 'atlas-pool-ckpt-');
  const c: Checkpoint = {
    step: 8, weights: [new Float32Array([1, 2, 3]), new Float32Array([4])], moments: [new Float32Array([0.5, 0.25, 0]), new Float32Array([9])],
    evals: [{ step: 8, epoch: 1, lr: 1e-3, trainLoss: 1, meanTrainLoss: 1.2, trainAccuracy: 0.5, accuracy: 0.6, loss: 1.1 }],
    best: { step: 8, accuracy: 0.6, weights: [new Float32Array([1, 2, 3]), new Float32Array([4])] },
  };
  it('round-trips weights, moments, evals, the best eval and the extras', () => {
    const p = join(process.env.ATLAS_POOL_CKPT_DIR!, 'a');
    saveCheckpoint(p, c, { trainSeconds: 12 });
    const back = loadCheckpoint<{ trainSeconds: number }>(p)!;
    expect(back.extra.trainSeconds).toBe(12);
    expect(back.checkpoint.step).toBe(8);
    expect(back.checkpoint.moments!.map((a) => Array.from(a))).toEqual([[0.5, 0.25, 0], [9]]);
    expect(Array.from(back.checkpoint.best!.weights[0]!)).toEqual([1, 2, 3]);
    expect(back.checkpoint.evals).toEqual(c.evals);
  });
  it('a .bin that does not match its header is reported, removed, and the unit starts over', () => {
    const p = join(process.env.ATLAS_POOL_CKPT_DIR!, 'b');
    saveCheckpoint(p, c, {});
    writeFileSync(`${p}.bin`, new Uint8Array(new Float32Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]).buffer));
    const said: string[] = [];
    expect(loadCheckpoint(p, (l) => said.push(l))).toBeNull();
    expect(said.join()).toMatch(/does not match its header/);
    expect(existsSync(`${p}.json`)).toBe(false);
    expect(loadCheckpoint(join(process.env.ATLAS_POOL_CKPT_DIR!, 'never'))).toBeNull();
  });
});

const hasFm = hasFashionMnist('pool quick run');
describe.skipIf(!hasFm)('pool quick profile', () => {
  useTempResultsDir('atlas-pool-');
  it('trains, writes loadable weights, and a killed unit resumes to the same result', async () => {
    const e = exp as unknown as Experiment;
    const cfg = mergeConfig(e, 'quick', { epochs: 2 }); // 2 × 16 steps: a checkpoint at 16, then 16 more
    const unit = e.units('quick', cfg).find((u) => u.key === 'vit-full-s0')!;
    const quiet: RunContext = { profile: 'quick', progress: () => {}, log: () => {} };
    const whole = (await e.runUnit(unit, cfg, quiet)) as Record<string, unknown>;
    // Kill the second run at its first checkpoint (the epoch's end), then resume it.
    let killed = false;
    const killer: RunContext = { ...quiet, progress: (d) => { if (!killed && d === 16) { killed = true; throw new Error('killed'); } } };
    await expect(e.runUnit(unit, cfg, killer)).rejects.toThrow('killed');
    const said: string[] = [];
    const resumed = (await e.runUnit(unit, cfg, { ...quiet, log: (l) => said.push(l) })) as Record<string, unknown>;
    expect(said.join('\n')).toMatch(/resuming at step 16/);
    for (const k of ['valAccuracy', 'testAccuracy', 'testLoss', 'curve', 'weights']) expect(resumed[k]).toEqual(whole[k]);
    expect((resumed.timing as { resumedAt: number[] }).resumedAt).toEqual([16]);
    // The committed files: the manifest loads into a fresh model.
    const w = whole.weights as { manifest: string; sha256: string };
    const m = createModel('vit_mini_patch4_28', {}, { seed: 9 });
    loadTfjsWeights(m, join(process.env.ATLAS_RESULTS_DIR!, '.cache/quick', 'pool', w.manifest), w.sha256);
    expect(w.manifest).toBe('weights/vit-full-s0.weights.json');
    m.dispose();
    // summarize → manifest.json under its contract; a unit from a dirty tree is left out.
    const prov = (dirty: boolean) => ({ wallMs: 1, git: { revision: 'a'.repeat(40), dirty }, engine: { tfjs: '4', backend: 'wasm', kernels: 'k' }, machine: { cpu: 'AMD EPYC', cores: 2, arch: 'x64', platform: 'linux', memoryGiB: 24 } });
    const rec = (dirty: boolean): UnitRecord => ({ ...toRecord(exp, unit, cfg as typeof exp.defaults, whole as never), provenance: prov(dirty) as unknown as UnitRecord['provenance'] });
    const out = e.summarize!([rec(false), { ...rec(true), unit: { ...unit, key: 'vit-small-s0' } }], cfg, 'quick');
    const manifest = poolManifestSchema.parse(out.manifest);
    expect(manifest.models.map((x) => x.id)).toEqual(['vit-full-s0']);
    expect(manifest.models[0]!.testAccuracy).toBe(whole.testAccuracy);
    await expectChartsRender([poolCurvesFull], manifest);
  }, 600_000);
});

describe.skipIf(!hasFm)('pool models for the experiments', () => {
  useTempResultsDir('atlas-pool-models-');
  it('full profile: a model that is not committed is an error naming the command that trains it', async () => {
    const { poolMini } = await import('../../scripts/experiments/common/pool-models');
    const ctx: RunContext = { profile: 'full', progress: () => {}, log: () => {} };
    await expect(poolMini('vit_mini_patch4_28', 'full', 0, ctx)).rejects.toThrow(/pool model vit-full-s0 is not committed.*--unit pool\/vit-full-s0/);
  });
  it('quick profile: trains the missing pool unit once, then loads the same weights; init is untrained', async () => {
    const { poolMini, poolRefs } = await import('../../scripts/experiments/common/pool-models');
    const said: string[] = [];
    const ctx: RunContext = { profile: 'quick', progress: () => {}, log: (l) => said.push(l) };
    expect(poolRefs([{ model: 'resnet_mini_28', regime: 'full', seed: 0 }, { model: 'resnet_mini_28', regime: 'init', seed: 0 }], 'quick')).toEqual({ 'resnet-full-s0': null });
    const a = await poolMini('resnet_mini_28', 'full', 0, ctx);
    expect(said.join()).toMatch(/resnet-full-s0 \(quick\) is not there yet/);
    const refs = poolRefs([{ model: 'resnet_mini_28', regime: 'full', seed: 0 }], 'quick');
    expect(refs['resnet-full-s0']).toBe(a.facts.sha256);
    said.length = 0;
    const b = await poolMini('resnet_mini_28', 'full', 0, ctx);
    expect(said).toEqual([]);
    const [, va] = a.model.namedVariables()[0]!, [, vb] = b.model.namedVariables()[0]!;
    expect(Array.from(vb.dataSync())).toEqual(Array.from(va.dataSync()));
    const init = await poolMini('resnet_mini_28', 'init', 0, ctx);
    expect(init.facts.testAccuracy).toBeNull();
    expect(Array.from(init.model.namedVariables()[0]![1].dataSync())).toEqual(Array.from(createModel('resnet_mini_28', {}, { seed: 0 }).namedVariables()[0]![1].dataSync()));
    a.model.dispose(); b.model.dispose(); init.model.dispose();
  }, 600_000);
});

describe('experiments that load pool weights', () => {
  it('declare that they read the pool, so a run computes pool units before theirs', async () => {
    const { EXPERIMENTS } = await import('../../scripts/experiments/index');
    const dir = join(process.cwd(), 'scripts/experiments');
    const loaders = EXPERIMENTS.filter((e) => readFileSync(join(dir, `${e.id}.ts`), 'utf8').includes('common/pool-models'));
    expect(loaders.length).toBeGreaterThan(5);
    for (const e of loaders) expect({ id: e.id, reads: e.reads ?? [] }).toEqual({ id: e.id, reads: ['pool'] });
  });
});
