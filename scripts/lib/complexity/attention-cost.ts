/**
 * Multiply-add counts of one token-mixing layer on an H×W grid of C-channel tokens.
 * Used by the attention-cost figure: why global attention gets expensive and how
 * the hybrid patterns (windows, key/value downsampling, convolution) keep it linear.
 *
 * Conventions: a matmul [m×k]·[k×n] costs m·k·n multiply-adds; softmax, norms and biases
 * are left out (they are O(N·C) or O(N²) without the C factor, small next to these).
 */

export interface Grid {
  /** Token grid height and width (image side / patch size). */
  h: number;
  w: number;
  /** Channels per token. */
  c: number;
}

export const tokens = ({ h, w }: Grid) => h * w;

/** Global multi-head self-attention: Q,K,V and output projections (4NC²) + QKᵀ and AV (2N²C). */
export function globalAttentionMacs(g: Grid): number {
  const n = tokens(g);
  return 4 * n * g.c * g.c + 2 * n * n * g.c;
}

/**
 * Window attention (Swin): each token attends inside its own M×M window.
 * Projections stay 4NC²; QKᵀ and AV become 2·N·M²·C. Like Swin, a grid that the window
 * does not tile is zero-padded up to a multiple of M, and the padded tokens cost too.
 */
export function windowAttentionMacs(g: Grid, window: number): number {
  if (!Number.isInteger(window) || window < 1) throw new Error(`window must be a positive integer, got ${window}`);
  const n = tokens(g);
  const padded = Math.ceil(g.h / window) * window * Math.ceil(g.w / window) * window;
  return 4 * n * g.c * g.c + 2 * padded * window * window * g.c;
}

/**
 * Spatial-reduction attention (PVT): keys and values come from the grid downsampled by an
 * R×R stride-R convolution (no padding, so ⌊h/R⌋·⌊w/R⌋ of them; N/R² when R tiles the grid).
 * Q and output projections 2NC², the reduction conv R²·C² per kept token, K and V projections
 * 2·Nkv·C², QKᵀ and AV 2·N·Nkv·C.
 */
export function kvDownsampledAttentionMacs(g: Grid, reduction: number): number {
  if (!Number.isInteger(reduction) || reduction < 1) throw new Error(`reduction must be a positive integer, got ${reduction}`);
  if (g.h < reduction || g.w < reduction) throw new Error(`reduction ${reduction} is larger than the ${g.h}×${g.w} grid`);
  const n = tokens(g);
  const nkv = Math.floor(g.h / reduction) * Math.floor(g.w / reduction);
  return 2 * n * g.c * g.c + nkv * reduction * reduction * g.c * g.c + 2 * nkv * g.c * g.c + 2 * n * nkv * g.c;
}

/** Transformer MLP C → ratio·C → C on N tokens: 2·N·C·(ratio·C). */
export function mlpMacs(n: number, c: number, ratio: number): number {
  return 2 * n * c * ratio * c;
}

/** Split of global attention: projections (4NC²) and the two N×N products (2N²C), for N tokens. */
export function globalAttentionParts(n: number, c: number): { projections: number; products: number } {
  return { projections: 4 * n * c * c, products: 2 * n * n * c };
}

/** A k×k convolution C→C with stride 1 and 'same' padding: N·k²·C² (border effects ignored). */
export function convMacs(g: Grid, kernel: number): number {
  return tokens(g) * kernel * kernel * g.c * g.c;
}

/** Attention-map memory, in elements, for one head: N² globally, N·M² in windows, N·N/R² with reduction. */
export function attentionMapElements(g: Grid, mechanism: 'global' | { window: number } | { reduction: number }): number {
  const n = tokens(g);
  if (mechanism === 'global') return n * n;
  if ('window' in mechanism) {
    const m = mechanism.window;
    return Math.ceil(g.h / m) * m * Math.ceil(g.w / m) * m * m * m;
  }
  return n * Math.floor(g.h / mechanism.reduction) * Math.floor(g.w / mechanism.reduction);
}
