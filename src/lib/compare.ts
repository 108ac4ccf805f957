/** How prose words that depend on numbers are chosen: values are compared as the page shows them. */

const round = (x: number, digits: number) => Number(x.toFixed(digits));

/** 1 when a is greater than b as shown with `digits` decimals, -1 when less, 0 when they show the same. */
export function compareShown(a: number, b: number, digits: number): -1 | 0 | 1 {
  const ra = round(a, digits);
  const rb = round(b, digits);
  return ra > rb ? 1 : ra < rb ? -1 : 0;
}

/** Where the interval [lo, hi] lies against `value`: wholly above, wholly below, or containing it (ends included). */
export function intervalSide(lo: number, hi: number, value: number, digits: number): 'above' | 'below' | 'contains' {
  if (lo > hi) throw new Error(`interval bounds out of order: lo ${lo} > hi ${hi}`);
  if (compareShown(lo, value, digits) > 0) return 'above';
  if (compareShown(hi, value, digits) < 0) return 'below';
  return 'contains';
}
