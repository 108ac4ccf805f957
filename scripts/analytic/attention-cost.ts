/**
 * The attention-cost figure: multiply-adds of one token-mixing layer against input resolution,
 * for global self-attention, 7×7 window attention, key/value downsampling (R = 8) and a 3×3 conv.
 * Setting: the first stage of a patch-4 hierarchical model with C = 96 (Swin-T's stage 1).
 * Pure arithmetic from scripts/lib/complexity/attention-cost.ts; runs in milliseconds.
 */
import {
  attentionMapElements,
  convMacs,
  globalAttentionMacs,
  globalAttentionParts,
  kvDownsampledAttentionMacs,
  mlpMacs,
  windowAttentionMacs,
  type Grid,
} from '../lib/complexity/attention-cost';
import { num, text } from '../../contracts/text';

export const id = 'attention-cost';
export const codeVersion = 3;

export const config = {
  patch: 4,
  channels: 96,
  window: 7,
  reduction: 8,
  kernel: 3,
  resolutions: [112, 160, 224, 320, 448, 640, 896, 1024],
} as const;

export const MECHANISMS = ['global', 'window', 'kv-downsampling', 'conv3x3'] as const;
export type Mechanism = (typeof MECHANISMS)[number];

export interface CostRow {
  resolution: number;
  tokens: number;
  mechanism: Mechanism;
  macs: number;
  /** Attention-map elements per head (0 for the convolution). */
  mapElements: number;
}

function rowsAt(resolution: number): CostRow[] {
  const side = resolution / config.patch;
  const g: Grid = { h: side, w: side, c: config.channels };
  const n = side * side;
  return [
    { resolution, tokens: n, mechanism: 'global', macs: globalAttentionMacs(g), mapElements: attentionMapElements(g, 'global') },
    { resolution, tokens: n, mechanism: 'window', macs: windowAttentionMacs(g, config.window), mapElements: attentionMapElements(g, { window: config.window }) },
    { resolution, tokens: n, mechanism: 'kv-downsampling', macs: kvDownsampledAttentionMacs(g, config.reduction), mapElements: attentionMapElements(g, { reduction: config.reduction }) },
    { resolution, tokens: n, mechanism: 'conv3x3', macs: convMacs(g, config.kernel), mapElements: 0 },
  ];
}

/** Worked examples quoted in the CNN vs ViT article: one conv layer and one ViT-B/16 layer. */
function layerExamples() {
  const r2 = (x: number) => Number(x.toFixed(2));
  const vit = (res: number) => {
    const n = (res / 16) ** 2 + 1; // patches + class token
    const { projections, products } = globalAttentionParts(n, 768);
    return { projections, products, mlp: mlpMacs(n, 768, 4) };
  };
  const v224 = vit(224);
  const v448 = vit(448);
  return {
    conv3x3_56px_64ch_mmacs: { value: Math.round(convMacs({ h: 56, w: 56, c: 64 }, 3) / 1e6), unit: 'M' },
    vitb16_224_projections_gmacs: { value: r2(v224.projections / 1e9), unit: 'G' },
    vitb16_224_products_gmacs: { value: r2(v224.products / 1e9), unit: 'G' },
    vitb16_224_mlp_gmacs: { value: r2(v224.mlp / 1e9), unit: 'G' },
    vitb16_448_over_224_products: { value: Number((v448.products / v224.products).toFixed(1)), unit: '×' },
    vitb16_448_over_224_mlp: { value: Number((v448.mlp / v224.mlp).toFixed(1)), unit: '×' },
  };
}

/**
 * Verdict for C8 / C4 (compute): fixed before computing — "reproduced" when, from 224 to 1024 px,
 * global attention's cost grows at least 10× more than window attention's and spatial-reduction
 * attention costs at most a tenth of global attention at 1024 px.
 */
function verdictFor(growthGlobal: number, growthWindow: number, kvOverGlobal1024: number) {
  const ok1 = growthGlobal >= 10 * growthWindow;
  const ok2 = kvOverGlobal1024 <= 0.1;
  const verdict = ok1 && ok2 ? 'reproduced' : ok1 || ok2 ? 'partly' : 'not-reproduced';
  const one = (key: string, v: number, unit?: string) => ({ key, label: text(`atlas.exp.attention-cost.measured.${key}`), mean: v, ci95: [v, v] as [number, number], seeds: 1, ...(unit ? { unit } : {}) });
  return {
    experiment: id,
    claims: ['C8', 'C4'],
    profile: 'full' as const,
    criterion: text('atlas.exp.attention-cost.criterion'),
    verdict,
    summary: text('atlas.exp.attention-cost.summary', { global: num(growthGlobal, 0), window: num(growthWindow, 1), kv: num(100 * kvOverGlobal1024, 1) }),
    measured: [
      one('global_growth_224_to_1024', growthGlobal, '×'),
      one('window_growth_224_to_1024', growthWindow, '×'),
      one('kv_over_global_1024', kvOverGlobal1024),
    ],
    chart: 'cost-vs-resolution',
    budget: text('atlas.exp.attention-cost.budget'),
    wallSeconds: 0,
  };
}

export function run() {
  const rows = config.resolutions.flatMap(rowsAt);
  const at = (r: number, m: Mechanism) => rows.find((x) => x.resolution === r && x.mechanism === m)!.macs;
  const round = (x: number, digits = 1) => Number(x.toFixed(digits));
  const values = {
    global_over_window_224: { value: round(at(224, 'global') / at(224, 'window')), unit: '×' },
    global_over_window_1024: { value: round(at(1024, 'global') / at(1024, 'window')), unit: '×' },
    global_growth_224_to_1024: { value: round(at(1024, 'global') / at(224, 'global'), 0), unit: '×' },
    window_growth_224_to_1024: { value: round(at(1024, 'window') / at(224, 'window')), unit: '×' },
    kv_over_window_1024: { value: round(at(1024, 'kv-downsampling') / at(1024, 'window')), unit: '×' },
    global_gmacs_1024: { value: round(at(1024, 'global') / 1e9), unit: 'GMAC' },
    window_gmacs_1024: { value: round(at(1024, 'window') / 1e9), unit: 'GMAC' },
    ...layerExamples(),
  };
  const verdict = verdictFor(at(1024, 'global') / at(224, 'global'), at(1024, 'window') / at(224, 'window'), at(1024, 'kv-downsampling') / at(1024, 'global'));
  return { rows, values, verdict };
}
