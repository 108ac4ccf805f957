/**
 * Mean attention distance (Dosovitskiy et al. 2021, ICLR, Sec. 4.5, Fig. 7 right; Raghu et al. 2021,
 * NeurIPS, Figs. 3–4): for one head, the attention-weighted distance in pixels between a query
 * patch and the patches it reads,
 *
 *   d_i = Σ_j A_ij ‖p_i − p_j‖ / Σ_j A_ij      (j over patch tokens; p = patch centre in px)
 *
 * averaged over query patches, then over images. The class token has no position: its row is
 * reported apart (weighted distance of the patches it reads from the image centre), and so is
 * the share of attention patch queries give to it (the renormalisation above removes that
 * share from d_i).
 *
 *   const g = tokenGrid(7, 7, 4, 1);                        // ViT patch 4 on 28 px, one class token
 *   const heads = meanAttentionDistance(probs, [B, h, 50, 50], g);   // one entry per head
 */

/** Token layout: `prefix` position-less tokens (class token), then a rows×cols grid, row-major. */
export interface TokenGrid {
  rows: number;
  cols: number;
  /** Pixels per grid step (patch size × downsampling). */
  cellPx: number;
  prefix: number;
}

export interface HeadDistance {
  /** Mean over query patches and images of d_i, in px. */
  patch: number;
  /** Class-token query: attention-weighted distance of its patches from the image centre, px (NaN without a prefix token). */
  clsQuery: number;
  /** Mean share of a patch query's attention that goes to the prefix (class) token(s), 0–1. */
  clsKeyMass: number;
}

export function tokenGrid(rows: number, cols: number, cellPx: number, prefix = 0): TokenGrid {
  return { rows, cols, cellPx, prefix };
}

/** Patch centres in px, [N, 2] as (y, x): cell k spans [k·s, (k+1)·s), centre (k + ½)·s. */
export function patchCentres(g: TokenGrid): Float64Array {
  const out = new Float64Array(g.rows * g.cols * 2);
  for (let r = 0; r < g.rows; r++) {
    for (let c = 0; c < g.cols; c++) {
      out[2 * (r * g.cols + c)] = (r + 0.5) * g.cellPx;
      out[2 * (r * g.cols + c) + 1] = (c + 0.5) * g.cellPx;
    }
  }
  return out;
}

/** Pairwise Euclidean distances between patch centres, px, [N, N]. */
export function patchDistances(g: TokenGrid): Float64Array {
  const p = patchCentres(g);
  const n = g.rows * g.cols;
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) d[i * n + j] = Math.hypot(p[2 * i]! - p[2 * j]!, p[2 * i + 1]! - p[2 * j + 1]!);
  }
  return d;
}

/** The distance of uniform attention over the grid: the mean pairwise distance (self included). */
export function uniformDistance(g: TokenGrid): number {
  const d = patchDistances(g);
  return d.reduce((a, b) => a + b, 0) / d.length;
}

/**
 * Per-head mean attention distance from attention probabilities `probs` of shape [B, H, T, T]
 * (rows are queries and sum to 1), T = prefix + rows·cols. Returns one entry per head.
 */
export function meanAttentionDistance(probs: ArrayLike<number>, shape: readonly [number, number, number, number], g: TokenGrid): HeadDistance[] {
  const [B, H, T, T2] = shape;
  const n = g.rows * g.cols;
  if (T !== T2 || T !== g.prefix + n) throw new Error(`meanAttentionDistance: attention [${shape.join(', ')}] does not match ${g.prefix} + ${g.rows}×${g.cols} tokens`);
  if (probs.length !== B * H * T * T) throw new Error(`meanAttentionDistance: ${probs.length} values for shape [${shape.join(', ')}]`);
  const dist = patchDistances(g);
  const centres = patchCentres(g);
  const cy = (g.rows * g.cellPx) / 2, cx = (g.cols * g.cellPx) / 2;
  const fromCentre = Float64Array.from({ length: n }, (_, j) => Math.hypot(centres[2 * j]! - cy, centres[2 * j + 1]! - cx));
  const out: HeadDistance[] = [];
  for (let h = 0; h < H; h++) {
    let patchSum = 0, clsMassSum = 0, clsSum = 0;
    for (let b = 0; b < B; b++) {
      const base = (b * H + h) * T * T;
      for (let i = 0; i < n; i++) {
        const row = base + (g.prefix + i) * T;
        let w = 0, wd = 0, pre = 0;
        for (let k = 0; k < g.prefix; k++) pre += probs[row + k]!;
        for (let j = 0; j < n; j++) {
          const a = probs[row + g.prefix + j]!;
          w += a;
          wd += a * dist[i * n + j]!;
        }
        patchSum += w > 0 ? wd / w : 0;
        clsMassSum += pre;
      }
      if (g.prefix > 0) {
        const row = base; // query 0: the class token
        let w = 0, wd = 0;
        for (let j = 0; j < n; j++) {
          const a = probs[row + g.prefix + j]!;
          w += a;
          wd += a * fromCentre[j]!;
        }
        clsSum += w > 0 ? wd / w : 0;
      }
    }
    out.push({ patch: patchSum / (B * n), clsQuery: g.prefix > 0 ? clsSum / B : NaN, clsKeyMass: clsMassSum / (B * n) });
  }
  return out;
}
