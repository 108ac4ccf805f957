/**
 * Run one layer function both ways: a count walk that creates its parameters, then a real
 * forward on tfjs-cpu that asserts every op's shape equals the counter's.
 */
import * as tf from '@tensorflow/tfjs';
import { Graph, Recorder, type T } from '../../models/nn/graph';
import { ParamStore } from '../../models/nn/store';

export interface LayerRun {
  shape: number[]; // real output shape
  counted: number[]; // count-mode output shape
  params: number; // counted parameters
  instantiated: number; // elements of the trainable variables created
  macs: number; // counted multiply-adds
  runMacs: number; // multiply-adds recorded on the real forward
  taps: Record<string, number[]>;
}

export function runLayer(fn: (g: Graph, x: T) => T, inputShape: number[], opts: { training?: boolean } = {}): LayerRun {
  const store = new ParamStore(0, 'layer');
  try {
    const rec = new Recorder();
    const cg = Graph.count({ store, rec });
    const counted = [...fn(cg, cg.input(inputShape)).shape];
    const runRec = new Recorder();
    const { shape, taps } = tf.tidy(() => {
      const g = Graph.run({ store, training: opts.training ?? false, taps: true, check: true, rec: runRec });
      const y = fn(g, tf.randomNormal(inputShape)) as tf.Tensor;
      return { shape: [...y.shape], taps: Object.fromEntries(Object.entries(g.taps).map(([k, t]) => [k, [...t.shape]])) };
    });
    const instantiated = store.trainable().reduce((n, v) => n + v.size, 0);
    return { shape, counted, params: rec.paramCount, instantiated, macs: rec.macs, runMacs: runRec.macs, taps };
  } finally {
    store.dispose();
  }
}
