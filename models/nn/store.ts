/**
 * ParamStore: the seeded tf.Variables (and cached constants) of one model instance.
 *
 * tfjs registers variable names globally, so each instance prefixes its paths with a tag:
 * `vit_mini_patch4_28@0/block03.attn.qkv.w`. The readable path is everything after the '/'
 * (`paramPath(v)`); creation order is the model's stable variable order.
 */
import * as tf from '@tensorflow/tfjs';
import { initValues, type Init } from './rng';
import { numel } from './graph';

let instances = 0;

export class ParamStore {
  readonly tag: string;
  private readonly vars = new Map<string, tf.Variable>();
  private readonly order: string[] = [];
  private readonly consts = new Map<string, tf.Tensor>();
  private noise = 0;

  constructor(
    readonly seed: number,
    name = 'model',
  ) {
    this.tag = `${name}@${instances++}`;
  }

  /** Create a variable unless it exists (weight sharing: same path → same variable). */
  create(path: string, shape: readonly number[], init: Init, trainable: boolean): void {
    const have = this.vars.get(path);
    if (have) {
      if (!sameShape(have.shape, shape)) throw new Error(`${path}: created as [${have.shape}], asked again as [${shape}]`);
      return;
    }
    const values = initValues(init, numel(shape), this.seed, path);
    const v = tf.tidy(() => tf.variable(tf.tensor(values, [...shape]), trainable, `${this.tag}/${path}`));
    this.vars.set(path, v);
    this.order.push(path);
  }

  get(path: string, shape: readonly number[]): tf.Variable {
    const v = this.vars.get(path);
    if (!v) throw new Error(`${path}: no such parameter (the init walk did not create it)`);
    if (!sameShape(v.shape, shape)) throw new Error(`${path}: is [${v.shape}], the layer asked for [${shape}]`);
    return v;
  }

  constant(key: string, make: () => tf.Tensor): tf.Tensor {
    let c = this.consts.get(key);
    if (!c) {
      c = tf.keep(make());
      this.consts.set(key, c);
    }
    return c;
  }

  /** Seed for the next dropout/drop-path mask: derived from the model seed, advancing per call. */
  nextNoiseSeed(): number {
    return (Math.imul(this.seed + 1, 0x9e3779b1) + this.noise++) >>> 0;
  }

  /** Trainable variables in creation order. */
  trainable(): tf.Variable[] {
    return this.order.map((p) => this.vars.get(p)!).filter((v) => v.trainable);
  }
  /** All variables (trainable and buffers) with their readable paths, in creation order. */
  entries(): Array<[string, tf.Variable]> {
    return this.order.map((p) => [p, this.vars.get(p)!]);
  }

  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    for (const c of this.consts.values()) c.dispose();
    this.vars.clear();
    this.consts.clear();
    this.order.length = 0;
  }
}

/** The readable path of a zoo variable: `block03.attn.qkv.w`. */
export function paramPath(v: tf.Variable): string {
  const i = v.name.indexOf('/');
  return i < 0 ? v.name : v.name.slice(i + 1);
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
