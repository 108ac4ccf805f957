/**
 * Means and 95% intervals over seeds (Student t), and Welch's interval for a difference of means.
 *
 *   meanCi95([0.81, 0.83, 0.80])                 // { mean, ci95: [lo, hi], n, sd }
 *   diffCi95([0.81, 0.83, 0.80], [0.75, 0.77])   // { diff, ci95, df } for mean(a) − mean(b)
 */

/** Two-sided 95% quantile t_{0.975, df} for df = 1…30 (then the normal 1.96 as the limit). */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

/** t_{0.975, df}; fractional df (Welch) interpolate linearly between integers. */
export function t975(df: number): number {
  if (!(df > 0)) return NaN;
  if (df >= 30) return df >= 1000 ? 1.96 : 2.042 + ((1.96 - 2.042) * (df - 30)) / (1000 - 30);
  if (df <= 1) return T975[0]!;
  const lo = Math.floor(df), f = df - lo;
  return T975[lo - 1]! + f * ((T975[Math.min(lo, 29)] ?? T975[29]!) - T975[lo - 1]!);
}

export interface MeanCi { mean: number; ci95: [number, number]; n: number; sd: number }

export function meanCi95(xs: readonly number[]): MeanCi {
  const n = xs.length;
  if (n === 0) return { mean: NaN, ci95: [NaN, NaN], n: 0, sd: NaN };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  if (n === 1) return { mean, ci95: [mean, mean], n, sd: 0 };
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  const h = (t975(n - 1) * sd) / Math.sqrt(n);
  return { mean, ci95: [mean - h, mean + h], n, sd };
}

/** meanCi95 over the finite values only (a seed may leave a metric undefined, e.g. APE), without sd. */
export function meanCi95Finite(xs: readonly number[]): { mean: number; ci95: [number, number]; n: number } {
  const { mean, ci95, n } = meanCi95(xs.filter((x) => Number.isFinite(x)));
  return { mean, ci95, n };
}

export interface DiffCi { diff: number; ci95: [number, number]; df: number }

/** Welch's 95% interval for mean(a) − mean(b) (unequal variances, Welch–Satterthwaite df). */
export function diffCi95(a: readonly number[], b: readonly number[]): DiffCi {
  const A = meanCi95(a), B = meanCi95(b);
  const diff = A.mean - B.mean;
  const va = A.n > 1 ? A.sd ** 2 / A.n : 0, vb = B.n > 1 ? B.sd ** 2 / B.n : 0;
  const se = Math.sqrt(va + vb);
  if (se === 0) return { diff, ci95: [diff, diff], df: Infinity };
  const df = (va + vb) ** 2 / ((A.n > 1 ? va ** 2 / (A.n - 1) : 0) + (B.n > 1 ? vb ** 2 / (B.n - 1) : 0));
  const h = t975(df) * se;
  return { diff, ci95: [diff - h, diff + h], df };
}

/** 'above' when the whole interval is > 0, 'below' when < 0, else 'overlaps'. */
export function sign95(d: DiffCi): 'above' | 'below' | 'overlaps' {
  return d.ci95[0] > 0 ? 'above' : d.ci95[1] < 0 ? 'below' : 'overlaps';
}

/** One-sided 95% quantile t_{0.95, df} for df = 1…30 (then the normal 1.645 as the limit). */
const T95 = [6.314, 2.92, 2.353, 2.132, 2.015, 1.943, 1.895, 1.86, 1.833, 1.812, 1.796, 1.782, 1.771, 1.761, 1.753, 1.746, 1.74, 1.734, 1.729, 1.725, 1.721, 1.717, 1.714, 1.711, 1.708, 1.706, 1.703, 1.701, 1.699, 1.697];

/** t_{0.95, df} (one-sided 5%, the quantile of each half of a TOST); fractional df interpolate like t975. */
export function t95(df: number): number {
  if (!(df > 0)) return NaN;
  if (df >= 30) return df >= 1000 ? 1.645 : 1.697 + ((1.645 - 1.697) * (df - 30)) / (1000 - 30);
  if (df <= 1) return T95[0]!;
  const lo = Math.floor(df), f = df - lo;
  return T95[lo - 1]! + f * ((T95[Math.min(lo, 29)] ?? T95[29]!) - T95[lo - 1]!);
}

export interface PairedDiff { diff: number; ci95: [number, number]; df: number; n: number; sd: number }

/**
 * Paired 95% interval for mean(a − b), a[i] and b[i] measured on the same seed (so the seed's
 * own luck, shared by both, cancels). Arrays must have the same length.
 */
export function pairedDiffCi95(a: readonly number[], b: readonly number[]): PairedDiff {
  if (a.length !== b.length) throw new Error(`pairedDiffCi95: ${a.length} vs ${b.length} values`);
  const m = meanCi95(a.map((x, i) => x - b[i]!));
  return { diff: m.mean, ci95: m.ci95, df: m.n - 1, n: m.n, sd: m.sd };
}

export interface Tost {
  diff: number;
  /** The 90% interval of the paired difference: TOST at α = 0.05 is "this interval lies inside (−margin, margin)". */
  ci90: [number, number];
  margin: number;
  /** t statistics of the two one-sided tests: H0 diff ≤ −margin (tLower) and H0 diff ≥ margin (tUpper). */
  tLower: number; tUpper: number;
  df: number; n: number;
  equivalent: boolean;
}

/**
 * Paired two one-sided tests (Schuirmann 1987) at α = 0.05: a and b are equivalent within ±margin
 * when both (diff + margin)/se > t95(df) and (diff − margin)/se < −t95(df), i.e. when the 90%
 * interval of the paired difference lies strictly inside (−margin, margin). Needs n ≥ 2; with
 * se = 0 (identical differences) it reduces to |diff| < margin.
 */
export function tostPaired(a: readonly number[], b: readonly number[], margin: number): Tost {
  if (!(margin > 0)) throw new Error(`tostPaired: margin must be > 0, got ${margin}`);
  const p = pairedDiffCi95(a, b);
  if (p.n < 2) return { diff: p.diff, ci90: [NaN, NaN], margin, tLower: NaN, tUpper: NaN, df: 0, n: p.n, equivalent: false };
  const se = p.sd / Math.sqrt(p.n);
  if (se === 0) {
    return { diff: p.diff, ci90: [p.diff, p.diff], margin, tLower: Infinity, tUpper: -Infinity, df: p.df, n: p.n, equivalent: Math.abs(p.diff) < margin };
  }
  const t = t95(p.df), tLower = (p.diff + margin) / se, tUpper = (p.diff - margin) / se;
  return { diff: p.diff, ci90: [p.diff - t * se, p.diff + t * se], margin, tLower, tUpper, df: p.df, n: p.n, equivalent: tLower > t && tUpper < -t };
}
