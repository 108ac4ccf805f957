/**
 * What the lab's views draw, from arrays the model returns (pure: the browser and the tests' Node
 * side compute them with the same code). Attention maps come from the ViT-mini's `blockNN.attn` taps,
 * [B, heads, N, M] with the class token first; saliency from the gradient of the CNN's top logit.
 */

/** The ViT-mini's token grid: 7×7 patches of 4 px after one class token. */
export const GRID = 7;
export const PREFIX = 1;
export const VIT_LAYERS = 6;
export const VIT_HEADS = 4;

export interface AttnTap { data: ArrayLike<number>; shape: readonly number[] }

/**
 * The class token's attention over the 49 patches in one layer, for one head (1-based) or the mean
 * of the heads (0). The class token's weight on itself is left out and the rest renormalised, as the
 * attention-distance experiment does: a patch has a place, the class token has none.
 */
export function clsAttention(t: AttnTap, head: number): Float64Array {
  const [, H, N, M] = t.shape as [number, number, number, number];
  const out = new Float64Array(M - PREFIX);
  const heads = head > 0 ? [head - 1] : Array.from({ length: H }, (_, h) => h);
  for (const h of heads) for (let j = PREFIX; j < M; j++) out[j - PREFIX]! += t.data[(h * N + 0) * M + j]!;
  return normalise(out);
}

/**
 * Attention rollout (Abnar & Zuidema 2020, arXiv:2005.00928): in each layer the heads' mean plus the
 * identity (the residual path), rows renormalised, multiplied from the first layer up to `upTo`
 * (1-based); the class token's row over the patches, renormalised.
 */
export function rollout(taps: AttnTap[], upTo = taps.length): Float64Array {
  const [, H, N] = taps[0]!.shape as [number, number, number, number];
  let r: Float64Array | null = null;
  for (const t of taps.slice(0, upTo)) {
    const a = new Float64Array(N * N);
    for (let h = 0; h < H; h++) for (let i = 0; i < N * N; i++) a[i]! += t.data[h * N * N + i]! / H;
    for (let i = 0; i < N; i++) {
      a[i * N + i]! += 1;
      let s = 0;
      for (let j = 0; j < N; j++) s += a[i * N + j]!;
      for (let j = 0; j < N; j++) a[i * N + j]! /= s;
    }
    if (!r) { r = a; continue; }
    // The later layer mixes the earlier layer's mixtures: R ← A·R.
    const next = new Float64Array(N * N);
    for (let i = 0; i < N; i++) for (let k = 0; k < N; k++) { const v = a[i * N + k]!; if (v) for (let j = 0; j < N; j++) next[i * N + j]! += v * r[k * N + j]!; }
    r = next;
  }
  return normalise(r!.slice(PREFIX, N));
}

function normalise(x: Float64Array): Float64Array {
  let s = 0;
  for (const v of x) s += v;
  return s > 0 ? x.map((v) => v / s) : x;
}

/** Saliency per pixel: |gradient|, scaled to a maximum of 1 (all zeros stay zeros). */
export function saliencyMap(grad: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(grad, Math.abs);
  let m = 0;
  for (const v of out) m = Math.max(m, v);
  return m > 0 ? out.map((v) => v / m) : out;
}

/** The k largest cells of a map, largest first: [index, value]. */
export function topCells(map: ArrayLike<number>, k = 3): Array<[number, number]> {
  return Array.from(map, (v, i) => [i, v] as [number, number]).sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, k);
}

/** Side of a patch in px (the ViT-mini's 4). */
export const PATCH_PX = 4;

/** A 28×28 map's share in each of the 49 patches (sums to 1), so saliency reads like attention. */
export function patchShares(map: ArrayLike<number>): Float64Array {
  const side = GRID * PATCH_PX, out = new Float64Array(GRID * GRID);
  for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) out[Math.floor(y / PATCH_PX) * GRID + Math.floor(x / PATCH_PX)]! += map[y * side + x]!;
  return normalise(out);
}
