/**
 * The model pool's networks for the experiments (scripts/experiments/pool.ts trains them): loaded from
 * the pool's unit records and weights, never trained here in the full profile. 'init' is the control:
 * the same architecture with the same seed's initialisation, untrained.
 *
 *   units: { key, seed, model, regime, pool: poolRefs([{ model, regime, seed }], profile) }   // ties the unit's cache key to the weights
 *   const { model, facts } = await poolMini('vit_mini_patch4_28', 'full', 0, ctx);
 *
 * Full profile: a pool model that is not committed (or stale) is an error naming the command that
 * trains it. Quick profile: a missing quick pool unit is trained on the spot through the runner (its
 * lock makes two workers that need the same unit train it once).
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { engineRevision } from '../../lib/engine/revision';
import { cacheKey, mergeConfig, resultsRoot, unitPath } from '../../lib/experiments/cache';
import { fashionMnist } from '../../lib/data/fashion-mnist';
import type { Experiment, Json, ProfileName, RunContext, Unit, UnitRecord } from '../../lib/experiments/types';
import type { ZooModel } from '../../../models/nn/model';
import { loadTfjsWeights } from '../../lib/train/tfjs-format';
import { createModel } from '../../../models/index';
import { mini } from '../../../models/minis';
import * as pool from '../pool';

export type PoolRegimeOrInit = 'full' | 'small' | 'init';

/** The pool's unit key of (model, regime, seed): `vit-full-s0`. */
export const poolKey = (model: string, regime: 'full' | 'small', seed: number): string => `${mini(model).short}-${regime}-s${seed}`;

/** What a pool unit tells an experiment about the network it probes (null fields for the untrained control). */
export interface PoolFacts {
  model: string;
  regime: PoolRegimeOrInit;
  seed: number;
  /** The pool unit (null for 'init'). */
  poolKey: string | null;
  sha256: string | null;
  trainImages: number;
  epochs: number;
  valAccuracy: number | null;
  testAccuracy: number | null;
}

const poolExp = pool as unknown as Experiment;

/** The pool unit's record if it is there and fresh (its cache key matches the pool's code, config and engine), else null. */
export function freshPoolRecord(model: string, regime: 'full' | 'small', seed: number, profile: ProfileName): UnitRecord | null {
  const key = poolKey(model, regime, seed);
  const path = unitPath(pool.id, key, profile);
  if (!existsSync(path)) return null;
  const rec = JSON.parse(readFileSync(path, 'utf8')) as UnitRecord;
  const cfg = mergeConfig(poolExp, profile);
  const unit = poolExp.units(profile, cfg).find((u) => u.key === key);
  if (!unit || rec.cacheKey !== cacheKey(poolExp, cfg, unit, engineRevision())) return null;
  return rec;
}

/**
 * `{ <pool key>: sha256 | null }` for the pool models a unit reads: put it in the unit, so that a
 * retrained pool model makes the experiment's unit stale. 'init' entries need no weights and are skipped.
 */
export function poolRefs(uses: ReadonlyArray<{ model: string; regime: PoolRegimeOrInit; seed: number }>, profile: ProfileName): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const u of uses) {
    if (u.regime === 'init') continue;
    const rec = freshPoolRecord(u.model, u.regime, u.seed, profile);
    out[poolKey(u.model, u.regime, u.seed)] = rec ? (rec.result as { weights: { sha256: string } }).weights.sha256 : null;
  }
  return out;
}

interface PoolResultPart { trainImages: number; epochs: number; valAccuracy: number; testAccuracy: number; weights: { manifest: string; sha256: string } }

async function ensurePoolUnit(model: string, regime: 'full' | 'small', seed: number, ctx: RunContext): Promise<UnitRecord> {
  const have = freshPoolRecord(model, regime, seed, ctx.profile);
  if (have) return have;
  const key = poolKey(model, regime, seed);
  if (ctx.profile === 'full') {
    throw new Error(`pool model ${key} is not committed (or no longer matches the pool's code): train it with \`npm run experiments -- --unit pool/${key}\` from a clean tree and commit generated/pool/, then rerun this experiment`);
  }
  ctx.log(`pool model ${key} (quick) is not there yet: training it`);
  // The runner imports the experiments, so it is loaded only here, when it is needed.
  const { runExperiments } = await import('../../lib/experiments/runner');
  const s = await runExperiments({ profile: 'quick', units: [`${pool.id}/${key}`], jobs: 1, quiet: true });
  if (s.failed.length) throw new Error(`training quick pool model ${key} failed`);
  const rec = freshPoolRecord(model, regime, seed, ctx.profile);
  if (!rec) throw new Error(`quick pool model ${key} was trained but its record is not fresh`);
  return rec;
}

/** The pool network (model, regime, seed), weights loaded and checked against their sha256; 'init' is untrained. */
export async function poolMini(model: string, regime: PoolRegimeOrInit, seed: number, ctx: RunContext): Promise<{ model: ZooModel; facts: PoolFacts }> {
  const net = createModel(model, {}, { seed });
  if (regime === 'init') {
    return { model: net, facts: { model, regime, seed, poolKey: null, sha256: null, trainImages: 0, epochs: 0, valAccuracy: null, testAccuracy: null } };
  }
  const rec = await ensurePoolUnit(model, regime, seed, ctx);
  const r = rec.result as unknown as PoolResultPart;
  loadTfjsWeights(net, join(resultsRoot(ctx.profile), pool.id, r.weights.manifest), r.weights.sha256);
  return {
    model: net,
    facts: { model, regime, seed, poolKey: String(rec.unit.key), sha256: r.weights.sha256, trainImages: r.trainImages, epochs: r.epochs, valAccuracy: r.valAccuracy, testAccuracy: r.testAccuracy },
  };
}

/** The facts as plain JSON for a unit result. */
export const factsJson = (f: PoolFacts): Json => ({ ...f });

/** 'model:regime' (a series entry) → its parts; an unknown regime fails naming the experiment. */
export function parsePoolSeries(experiment: string, s: string): { model: string; regime: PoolRegimeOrInit } {
  const [model, regime] = s.split(':') as [string, string];
  if (regime !== 'full' && regime !== 'small' && regime !== 'init') throw new Error(`${experiment}: unknown regime in '${s}' (full | small | init)`);
  return { model, regime };
}

/** One unit per series entry and seed, keyed `<model>-<regime>-s<seed>`, carrying the pool weights it reads. */
export function poolSeriesUnits(experiment: string, series: readonly string[], seeds: number, profile: ProfileName): Unit[] {
  return series.flatMap((s) => {
    const { model, regime } = parsePoolSeries(experiment, s);
    return Array.from({ length: seeds }, (_, seed) => ({ key: `${model}-${regime}-s${seed}`, seed, model, regime, pool: poolRefs([{ model, regime, seed }], profile) }));
  });
}

/** A configured pool regime, checked: an unknown one fails naming the experiment. */
export function asPoolRegime(experiment: string, regime: string): 'full' | 'small' {
  if (regime !== 'full' && regime !== 'small') throw new Error(`${experiment}: unknown pool regime '${regime}' (full | small)`);
  return regime;
}

/** One unit per model and seed, keyed `<model>-s<seed>`: the trained pool network and its untrained control. */
export function poolModelUnits(experiment: string, models: readonly string[], regimeName: string, seeds: number, profile: ProfileName): Unit[] {
  const regime = asPoolRegime(experiment, regimeName);
  return models.flatMap((model) => Array.from({ length: seeds }, (_, seed) => ({
    key: `${model}-s${seed}`, seed, model, regime,
    pool: poolRefs([{ model, regime, seed }, { model, regime: 'init', seed }], profile),
  })));
}

/** The first n Fashion-MNIST test images, [n, 28, 28, 1]: the same images for every network an experiment probes. */
export function firstTestImages(n: number): tf.Tensor4D {
  const t = fashionMnist({ testLimit: Math.max(n, 1024) }).test;
  const [H, W, C] = t.shape;
  return tf.tensor4d(t.images.subarray(0, n * H * W * C), [n, H, W, C]);
}
