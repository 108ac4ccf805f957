/**
 * From a builder `(g, x) => logits` to the contract's Model, and to a counting walk.
 *
 * Creation is itself a count-mode walk that materialises each parameter as it is met, so a
 * model is never run just to create its weights, and every parameter a real forward asks
 * for must have been met by the counter first (the store throws otherwise).
 */
import type * as tf from '@tensorflow/tfjs';
import { Graph, Recorder, type T } from './graph';
import { ParamStore } from './store';
import type { ForwardOptions, ForwardResult, Model } from './types';

/** Builds logits [B, numClasses] from an NHWC input, scoped at the model root. */
export type Builder = (g: Graph, x: T) => T;

export interface ModelSpec {
  name: string;
  config: Readonly<Record<string, unknown>>;
  inputShape: readonly [number, number, number];
  numClasses: number;
  build: Builder;
}

/** A Model plus zoo extras (readable parameter paths, a checked forward for tests). */
export interface ZooModel extends Model {
  /** [readable path, variable] for trainable parameters and buffers, creation order. */
  namedVariables(): Array<[string, tf.Variable]>;
  /** Forward that asserts every op's real shape equals the counter's, recording into `rec`. */
  forwardChecked(x: tf.Tensor4D, rec?: Recorder): ForwardResult;
}

export function makeModel(spec: ModelSpec, seed = 0): ZooModel {
  const store = new ParamStore(seed, spec.name);
  const init = Graph.count({ store });
  spec.build(init, init.input([1, ...spec.inputShape]));
  const trainable = store.trainable();

  const run = (x: tf.Tensor4D, g: Graph): ForwardResult => {
    const logits = spec.build(g, x) as tf.Tensor2D;
    return { logits, taps: g.taps };
  };
  return {
    name: spec.name,
    config: spec.config,
    inputShape: spec.inputShape,
    numClasses: spec.numClasses,
    variables: () => trainable.slice(),
    forward: (x: tf.Tensor4D, opts: ForwardOptions) =>
      run(x, Graph.run({ store, training: opts.training, taps: opts.taps ?? false })),
    forwardChecked: (x: tf.Tensor4D, rec?: Recorder) =>
      run(x, Graph.run({ store, training: false, taps: true, check: true, ...(rec ? { rec } : {}) })),
    namedVariables: () => store.entries(),
    dispose: () => store.dispose(),
  };
}

/** Walk a builder on a symbolic input [batch, ...inputShape]; nothing is allocated. */
export function countBuilder(build: Builder, inputShape: readonly number[], batch = 1): Recorder {
  const rec = new Recorder();
  const g = Graph.count({ rec });
  build(g, g.input([batch, ...inputShape]));
  return rec;
}
