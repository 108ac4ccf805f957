/**
 * The zoo's registry: every family's variants table merged into one name → config map.
 *
 *   createModel('vit_mini_patch4_28', { depth: 4 }, { seed: 1 })   // a tfjs Model (nn contract)
 *   countModel('swin_base_patch4_window7_224', { resolution: 384 }) // params, MACs, memory; no weights
 *   listModels()
 *
 * Overrides are checked against the defaults (nanoGPT's configurator): unknown keys and
 * type changes fail at once.
 */
import { countBuilder, makeModel, type ZooModel } from './nn/model';
import type { Recorder } from './nn/graph';
import type { BaseConfig, Family } from './common';
import { CAIT } from './cait';
import { COATNET } from './coatnet';
import { CONVIT } from './convit';
import { CONVNEXT } from './convnext';
import { CVT } from './cvt';
import { EFFICIENTNET } from './efficientnet';
import { HYBRID } from './hybrid';
import { LEVIT } from './levit';
import { MAXVIT } from './maxvit';
import { MIXER } from './mixer';
import { MOBILEVIT } from './mobilevit';
import { PIT } from './pit';
import { POOLFORMER } from './poolformer';
import { PVT } from './pvt';
import { RESNET } from './resnet';
import { SWIN } from './swin';
import { T2T } from './t2t';
import { TWINS } from './twins';
import { VIT } from './vit';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFamily = Family<any>;

export const FAMILIES: readonly AnyFamily[] = [RESNET, CONVNEXT, VIT, HYBRID, SWIN, PVT, CVT, TWINS, POOLFORMER, MIXER, PIT, T2T, CONVIT, LEVIT, MOBILEVIT, COATNET, MAXVIT, EFFICIENTNET, CAIT];

const REGISTRY = new Map<string, { family: AnyFamily; config: BaseConfig }>();
for (const family of FAMILIES) {
  for (const [name, config] of Object.entries(family.variants)) {
    if (REGISTRY.has(name)) throw new Error(`model ${name} registered twice`);
    REGISTRY.set(name, { family, config: config as BaseConfig });
  }
}

export function listModels(): string[] {
  return [...REGISTRY.keys()].sort();
}

function entry(name: string) {
  const e = REGISTRY.get(name);
  if (!e) throw new Error(`unknown model '${name}'; known: ${listModels().join(', ')}`);
  return e;
}

/** The merged config: defaults, then overrides (type-checked against the defaults). */
export function modelConfig(name: string, overrides: Record<string, unknown> = {}): BaseConfig & Record<string, unknown> {
  const base = entry(name).config as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(overrides)) {
    if (!(k in base)) throw new Error(`${name}: unknown config key '${k}'`);
    const want = Array.isArray(base[k]) ? 'array' : typeof base[k];
    const got = Array.isArray(v) ? 'array' : typeof v;
    if (want !== got) throw new Error(`${name}: '${k}' must be ${want}, got ${got}`);
  }
  return structuredClone({ ...base, ...overrides }) as BaseConfig & Record<string, unknown>;
}

export function familyOf(name: string): string {
  return entry(name).family.family;
}

/** The admitted-input rule of a model's family, in words (for sweep records). */
export function admitsRule(name: string): string {
  return entry(name).family.admitsRule ?? 'any side';
}

/** The experiments' small models (28×28 Fashion-MNIST). */
export function listMinis(): string[] {
  return listModels().filter((n) => n.includes('_mini_'));
}

export function createModel(name: string, overrides: Record<string, unknown> = {}, opts: { seed?: number } = {}): ZooModel {
  const { family } = entry(name);
  const cfg = modelConfig(name, overrides);
  return makeModel(
    {
      name,
      config: Object.freeze(cfg),
      inputShape: [cfg.imgSize, cfg.imgSize, cfg.inChans],
      numClasses: cfg.numClasses,
      build: family.build(cfg),
    },
    opts.seed ?? 0,
  );
}

/**
 * Count a model without weights: a shape-only walk at `resolution` (default: the config's).
 * The config's imgSize follows the resolution, so position embeddings and masks match it.
 */
export function countModel(name: string, opts: { resolution?: number; overrides?: Record<string, unknown>; batch?: number } = {}): Recorder {
  const { family } = entry(name);
  const res = opts.resolution ?? (entry(name).config.imgSize);
  const cfg = modelConfig(name, { ...opts.overrides, imgSize: res });
  return countBuilder(family.build(cfg), [res, res, cfg.inChans], opts.batch ?? 1);
}

/** Whether the architecture admits a square input of this side (patch/window/stride divisibility). */
export function admits(name: string, side: number): boolean {
  const { family } = entry(name);
  const cfg = modelConfig(name, { imgSize: side });
  return family.admits ? family.admits(cfg, side) : true;
}
