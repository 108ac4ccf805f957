/** The zoo's analyses (generated/models/<registry-name>.json, written by `npm run analyses`), found by page slug. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATED_DIR, loadGenerated } from '~/lib/generated';

export interface ScalingPoint {
  resolution: number;
  macs: number;
  params: number;
  peakActivationBytes: number;
  totalActivationBytes: number;
}

export interface ModelAnalysis {
  model: string;
  family: string;
  slugs: string[];
  config: Record<string, unknown>;
  resolution: number;
  params: number;
  macs: number;
  peakActivationBytes: number;
  counting: string;
  layers: { name: string; params: number; macs: number }[];
  receptiveField: { tap: string; rf: number | 'global'; stride: number; shape: number[] }[];
  scaling: { rule: string; skipped: number[]; points: ScalingPoint[] };
  latency?: { backend: string; device: string; batch: number; resolution: number; medianMs: number; runsMs: number[]; loadAverage?: string } | null;
  provenance: { gitRevision: string; codeVersion: string; tool: string };
}

const DIR = join(GENERATED_DIR, 'models');

let cache: ModelAnalysis[] | undefined;
export function allAnalyses(): ModelAnalysis[] {
  if (!cache) {
    cache = existsSync(DIR)
      ? readdirSync(DIR)
          .filter((f) => f.endsWith('.json'))
          .map((f) => loadGenerated<Partial<ModelAnalysis>>('models', f))
          .filter((a): a is ModelAnalysis => Array.isArray(a.slugs) && Array.isArray(a.scaling?.points))
          .sort((a, b) => a.model.localeCompare(b.model))
      : [];
  }
  return cache;
}

export const analysisForSlug = (slug: string) => allAnalyses().find((a) => a.slugs.includes(slug));
export const analysisForModel = (model: string) => allAnalyses().find((a) => a.model === model);

/** Multiply-adds at a given side, from the sweep (the native side is always in it). */
export function macsAt(a: ModelAnalysis, resolution: number): number | undefined {
  return a.scaling.points.find((p) => p.resolution === resolution)?.macs ?? (a.resolution === resolution ? a.macs : undefined);
}

/** Relative difference of ours against the paper, in percent. */
export const diffPercent = (ours: number, paper: number) => (100 * (ours - paper)) / paper;
