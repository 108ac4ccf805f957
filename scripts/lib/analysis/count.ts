/**
 * Summaries of a counting walk (Recorder): totals, a per-layer breakdown, activation memory and
 * the theoretical receptive field at the named taps.
 *
 * Conventions (the vision papers' "FLOPs"): one multiply-add = one MAC, counted for convolutions,
 * linear layers and attention matmuls (QKᵀ, AV); norms, activations, softmax, pooling, biases and
 * elementwise adds are left out. Parameters exclude BatchNorm running statistics and fixed buffers.
 * Activation memory is float32 at batch 1: `peak` is the most bytes simultaneously live in an
 * executor that frees each tensor after its last use (reshapes alias); `total` sums every op output.
 */
import type { Recorder } from '../../../models/nn/graph';

export const BYTES_PER_FLOAT = 4;

export interface LayerRow {
  name: string; // scope path prefix, e.g. 'stage3' or 'stage3.block07'
  params: number;
  macs: number;
  activationBytes: number; // sum of the layer's op outputs (float32, reshapes excluded)
}

export interface CountSummary {
  params: number;
  macs: number;
  peakActivationBytes: number;
  totalActivationBytes: number;
}

export function summarize(rec: Recorder): CountSummary {
  return {
    params: rec.paramCount,
    macs: rec.macs,
    peakActivationBytes: rec.peakLiveElems() * BYTES_PER_FLOAT,
    totalActivationBytes: rec.totalActElems() * BYTES_PER_FLOAT,
  };
}

const prefix = (path: string, depth: number): string => path.split('.').slice(0, depth).join('.') || '(root)';

/** Params and MACs grouped by the first `depth` scope names, in the order the forward meets them. */
export function breakdown(rec: Recorder, depth = 1): LayerRow[] {
  const rows = new Map<string, LayerRow>();
  const row = (name: string) => {
    let r = rows.get(name);
    if (!r) rows.set(name, (r = { name, params: 0, macs: 0, activationBytes: 0 }));
    return r;
  };
  for (const e of rec.ops) {
    const r = row(prefix(e.path, depth));
    r.macs += e.macs;
    if (e.op !== 'reshape') r.activationBytes += e.outElems * BYTES_PER_FLOAT;
  }
  for (const [path, shape] of rec.params) row(prefix(path.split('.').slice(0, -1).join('.') || path, depth)).params += shape.reduce((a, b) => a * b, 1);
  return [...rows.values()];
}

export interface FieldAt {
  tap: string;
  /** Theoretical receptive field side in input pixels; 'global' once attention (or SE/pooling) spans the image. */
  rf: number | 'global';
  /** Input pixels per step of the tap's grid (its stride). */
  stride: number;
  shape: number[];
}

/** Receptive field at every named tap (stem, stage1…, blockNN) in forward order. */
export function receptiveFields(rec: Recorder, filter: (tap: string) => boolean = () => true): FieldAt[] {
  return [...rec.taps.entries()]
    .filter(([k]) => filter(k))
    .map(([tap, t]) => ({ tap, rf: Number.isFinite(t.rf) ? t.rf : 'global', stride: t.jump, shape: t.shape }));
}
