/**
 * Linear centered kernel alignment (Kornblith et al. 2019, ICML, "Similarity of Neural Network
 * Representations Revisited"): for activations X [n, p₁] and Y [n, p₂] of the same n examples,
 * K = XXᵀ, L = YYᵀ and
 *
 *   CKA(K, L) = HSIC(K, L) / √(HSIC(K, K) · HSIC(L, L)).
 *
 * `biased` uses HSIC = tr(KHLH)/(n−1)² (Kornblith's Eq. 3, H the centering matrix). `unbiased`
 * uses the unbiased HSIC estimator of Song et al. (2012), as in the minibatch CKA of Nguyen et
 * al. (2021) that Raghu et al. (2021) use: with few examples and wide layers the biased
 * estimate drifts towards 1 for unrelated representations, the unbiased one does not.
 *
 *   const K = gram(X, n, p1), L = gram(Y, n, p2);
 *   linearCka(K, L, n)                  // unbiased by default
 *   linearCka(K, L, n, 'biased')
 */

export type CkaEstimator = 'biased' | 'unbiased';

/** Gram matrix XXᵀ of n rows of length d (row-major), in float64. */
export function gram(X: ArrayLike<number>, n: number, d: number): Float64Array {
  if (X.length !== n * d) throw new Error(`gram: ${X.length} values for ${n}×${d}`);
  const K = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += X[i * d + k]! * X[j * d + k]!;
      K[i * n + j] = s;
      K[j * n + i] = s;
    }
  }
  return K;
}

/** HKH with H = I − 11ᵀ/n: subtract row and column means, add back the grand mean. */
export function centerGram(K: ArrayLike<number>, n: number): Float64Array {
  const row = new Float64Array(n);
  let all = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += K[i * n + j]!;
    row[i] = s / n;
    all += s;
  }
  all /= n * n;
  const C = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) C[i * n + j] = K[i * n + j]! - row[i]! - row[j]! + all;
  return C;
}

/** Biased HSIC: tr(KHLH) / (n−1)². */
export function hsicBiased(K: ArrayLike<number>, L: ArrayLike<number>, n: number): number {
  const Kc = centerGram(K, n), Lc = centerGram(L, n);
  let s = 0;
  for (let i = 0; i < n * n; i++) s += Kc[i]! * Lc[i]!;
  return s / ((n - 1) * (n - 1));
}

/**
 * Unbiased HSIC (Song et al. 2012, Eq. 5): with K̃, L̃ the Grams with zeroed diagonals,
 * [tr(K̃L̃) + (1ᵀK̃1)(1ᵀL̃1)/((n−1)(n−2)) − 2/(n−2) · 1ᵀK̃L̃1] / (n(n−3)). Needs n ≥ 4.
 */
export function hsicUnbiased(K: ArrayLike<number>, L: ArrayLike<number>, n: number): number {
  if (n < 4) throw new Error('hsicUnbiased: needs at least 4 examples');
  const kRow = new Float64Array(n), lRow = new Float64Array(n);
  let tr = 0, kSum = 0, lSum = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const k = K[i * n + j]!, l = L[i * n + j]!;
      tr += k * l; // tr(K̃L̃) = Σ_ij K̃_ij L̃_ji, both symmetric
      kRow[i]! += k;
      lRow[i]! += l;
    }
    kSum += kRow[i]!;
    lSum += lRow[i]!;
  }
  let cross = 0; // 1ᵀK̃L̃1 = Σ_j (K̃1)_j (L̃1)_j
  for (let i = 0; i < n; i++) cross += kRow[i]! * lRow[i]!;
  return (tr + (kSum * lSum) / ((n - 1) * (n - 2)) - (2 / (n - 2)) * cross) / (n * (n - 3));
}

/** Linear CKA from two Gram matrices over the same n examples. */
export function linearCka(K: ArrayLike<number>, L: ArrayLike<number>, n: number, estimator: CkaEstimator = 'unbiased'): number {
  const hsic = estimator === 'biased' ? hsicBiased : hsicUnbiased;
  const kl = hsic(K, L, n), kk = hsic(K, K, n), ll = hsic(L, L, n);
  return kl / Math.sqrt(kk * ll);
}

/** CKA between every pair of layers: `a[i]`, `b[j]` Gram matrices; returns rows of a × columns of b. */
export function ckaMatrix(a: readonly ArrayLike<number>[], b: readonly ArrayLike<number>[], n: number, estimator: CkaEstimator = 'unbiased'): number[][] {
  const hsic = estimator === 'biased' ? hsicBiased : hsicUnbiased;
  const selfA = a.map((K) => hsic(K, K, n)), selfB = b.map((L) => hsic(L, L, n));
  return a.map((K, i) => b.map((L, j) => hsic(K, L, n) / Math.sqrt(selfA[i]! * selfB[j]!)));
}

/**
 * Minibatch CKA (Nguyen, Raghu & Kornblith 2021, ICLR, "Do Wide and Deep Networks Learn the Same
 * Things?", Sec. 3.1): split the examples into k batches, average the unbiased HSIC of each pair of
 * layers over the batches, and only then normalise,
 *
 *   CKA = mean_b HSIC₁(K_b, L_b) / √(mean_b HSIC₁(K_b, K_b) · mean_b HSIC₁(L_b, L_b)).
 *
 * HSIC₁ is unbiased at every batch size, so the averages estimate the same population HSIC as one
 * Gram over all examples, without an n×n matrix: memory grows with the batch, not with the data.
 *
 *   const acc = hsicAccumulator(layersA, layersB);
 *   for (const batch of batches) addBatch(acc, gramsA(batch), gramsB(batch), batch.n);
 *   minibatchCkaMatrix(acc)          // [layersA][layersB]
 */
export interface HsicAccumulator {
  /** Σ_b HSIC₁(K_b⁽ⁱ⁾, L_b⁽ʲ⁾) for every layer i of A and j of B. */
  cross: Float64Array[];
  /** Σ_b HSIC₁(K_b⁽ⁱ⁾, K_b⁽ⁱ⁾) and Σ_b HSIC₁(L_b⁽ʲ⁾, L_b⁽ʲ⁾). */
  selfA: Float64Array;
  selfB: Float64Array;
  batches: number;
  examples: number;
}

export function hsicAccumulator(layersA: number, layersB: number): HsicAccumulator {
  return {
    cross: Array.from({ length: layersA }, () => new Float64Array(layersB)),
    selfA: new Float64Array(layersA), selfB: new Float64Array(layersB), batches: 0, examples: 0,
  };
}

/** Adds one batch: `a[i]`, `b[j]` the Gram matrices of the same n ≥ 4 examples. Returns `acc`. */
export function addBatch(acc: HsicAccumulator, a: readonly ArrayLike<number>[], b: readonly ArrayLike<number>[], n: number): HsicAccumulator {
  if (a.length !== acc.selfA.length || b.length !== acc.selfB.length) {
    throw new Error(`addBatch: ${a.length}×${b.length} layers for an accumulator of ${acc.selfA.length}×${acc.selfB.length}`);
  }
  a.forEach((K, i) => { acc.selfA[i]! += hsicUnbiased(K, K, n); });
  b.forEach((L, j) => { acc.selfB[j]! += hsicUnbiased(L, L, n); });
  a.forEach((K, i) => b.forEach((L, j) => { acc.cross[i]![j]! += hsicUnbiased(K, L, n); }));
  acc.batches++;
  acc.examples += n;
  return acc;
}

/** Minibatch CKA of every layer pair (rows: A, columns: B); the 1/k of each mean cancels in the ratio. */
export function minibatchCkaMatrix(acc: HsicAccumulator): number[][] {
  if (acc.batches === 0) throw new Error('minibatchCkaMatrix: no batch added');
  return Array.from(acc.cross, (row, i) => Array.from(row, (kl, j) => kl / Math.sqrt(acc.selfA[i]! * acc.selfB[j]!)));
}

/** Minibatch CKA of one pair of layers from per-batch Gram matrices `[K_b, L_b, n_b]`. */
export function minibatchCka(batches: ReadonlyArray<readonly [ArrayLike<number>, ArrayLike<number>, number]>): number {
  const acc = hsicAccumulator(1, 1);
  for (const [K, L, n] of batches) addBatch(acc, [K], [L], n);
  return minibatchCkaMatrix(acc)[0]![0]!;
}
