import { describe, expect, it } from 'vitest';
import { placeLabels } from '~/components/charts/label-placement';
import { estimateTextWidth } from '~/components/charts/text-width';

const opts = { width: 300, height: 200, fontSize: 11, pointRadius: 5 };
const box = (l: { x: number; y: number; text: string }) => ({ left: l.x, right: l.x + estimateTextWidth(l.text, 11), top: l.y - 6.6, bottom: l.y + 6.6 });

describe('placeLabels', () => {
  it('puts a lone label to the right of its point', () => {
    const [l] = placeLabels([{ x: 100, y: 100 }], [{ x: 100, y: 100, text: 'Swin-T' }], opts);
    expect(l!.x).toBeGreaterThan(105);
    expect(l!.y).toBe(100);
  });

  it('moves the second of two close labels so they do not overlap', () => {
    const pts = [{ x: 100, y: 100 }, { x: 104, y: 104 }];
    const placed = placeLabels(pts, pts.map((p, i) => ({ ...p, text: i ? 'MaxViT-T' : 'CMT-S' })), opts);
    const [a, b] = placed.map((l) => box(l!));
    expect(a!.left < b!.right && b!.left < a!.right && a!.top < b!.bottom && b!.top < a!.bottom).toBe(false);
  });

  it('keeps labels inside the plot and off other points', () => {
    const pts = [{ x: 295, y: 100 }, { x: 280, y: 100 }];
    const [l] = placeLabels(pts, [{ ...pts[0]!, text: 'EfficientNet-B0' }], opts);
    const b = box(l!);
    expect(b.right).toBeLessThanOrEqual(300);
    expect(b.left > 285 || b.right < 275 || b.bottom < 95 || b.top > 105).toBe(true);
  });

  it('leaves a label out when no position is free', () => {
    const grid = [];
    for (let x = 5; x < 300; x += 10) for (let y = 5; y < 200; y += 10) grid.push({ x, y });
    expect(placeLabels(grid, [{ x: 150, y: 100, text: 'crowded' }], opts)).toEqual([null]);
  });
});
