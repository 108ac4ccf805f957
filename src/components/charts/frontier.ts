/** Points that no other point beats on both compute (fewer GMACs) and accuracy: the frontier gets labels. */
export function frontier(points: readonly { gmacs: number; top1: number }[]): boolean[] {
  return points.map(
    (p) => !points.some((q) => q !== p && q.gmacs <= p.gmacs && q.top1 >= p.top1 && (q.gmacs < p.gmacs || q.top1 > p.top1)),
  );
}
