/** How prose words that depend on numbers are chosen: values are compared as the page shows them. */

const round = (x: number, digits: number) => Number(x.toFixed(digits));

/** 1 when a is greater than b as shown with `digits` decimals, -1 when less, 0 when they show the same. */
export function compareShown(a: number, b: number, digits: number): -1 | 0 | 1 {
  const ra = round(a, digits);
  const rb = round(b, digits);
  return ra > rb ? 1 : ra < rb ? -1 : 0;
}

/**
 * Where the interval [lo, hi] lies against `value`: wholly above, wholly below, or containing it (ends
 * included). Compared exactly, as the experiments' tests compare them, so a pass/fail word agrees with the verdict.
 */
export function intervalSide(lo: number, hi: number, value: number): 'above' | 'below' | 'contains' {
  if (lo > hi) throw new Error(`interval bounds out of order: lo ${lo} > hi ${hi}`);
  if (lo > value) return 'above';
  if (hi < value) return 'below';
  return 'contains';
}
