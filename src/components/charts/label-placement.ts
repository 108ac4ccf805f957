/**
 * Greedy placement of point labels in a scatter plot, in pixel space: each label takes the first
 * of eight positions around its point that stays inside the plot and overlaps no other label and
 * no point; a label with no free position is left out (the chart's text description lists every point).
 */
import { estimateTextWidth } from './text-width';

export interface LabelRequest {
  /** Point centre in px, origin top-left. */
  x: number;
  y: number;
  text: string;
}

export interface PlacedLabel {
  /** Left edge and vertical centre of the text, in px. */
  x: number;
  y: number;
  text: string;
}

interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

const overlaps = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/**
 * `points` are all plotted points (labels must not cover them); `labels` in priority order.
 * Returns one entry per label: where it goes, or null when it does not fit.
 */
export function placeLabels(
  points: readonly { x: number; y: number }[],
  labels: readonly LabelRequest[],
  opts: { width: number; height: number; fontSize: number; pointRadius: number; gap?: number },
): (PlacedLabel | null)[] {
  const { width, height, fontSize, pointRadius: r } = opts;
  const gap = opts.gap ?? 3;
  const h = fontSize * 1.4; // the rendered box of a line of text (ascent + descent), not just the em
  const pointBoxes: Box[] = points.map((p) => ({ left: p.x - r, top: p.y - r, right: p.x + r, bottom: p.y + r }));
  const taken: Box[] = [];
  return labels.map((label) => {
    const w = estimateTextWidth(label.text, fontSize);
    const d = r + gap;
    // [left edge, centre y] relative to the point: right, upper right, lower right, left, upper left, lower left, above, below.
    const candidates: [number, number][] = [
      [d, 0],
      [d * 0.7, -(h / 2 + d * 0.7)],
      [d * 0.7, h / 2 + d * 0.7],
      [-d - w, 0],
      [-d * 0.7 - w, -(h / 2 + d * 0.7)],
      [-d * 0.7 - w, h / 2 + d * 0.7],
      [-w / 2, -(h / 2 + d)],
      [-w / 2, h / 2 + d],
    ];
    for (const [dx, dy] of candidates) {
      const x = label.x + dx;
      const y = label.y + dy;
      const box: Box = { left: x, top: y - h / 2, right: x + w, bottom: y + h / 2 };
      if (box.left < 0 || box.right > width || box.top < 0 || box.bottom > height) continue;
      if (taken.some((b) => overlaps(b, box)) || pointBoxes.some((b) => overlaps(b, box))) continue;
      taken.push(box);
      return { x, y, text: label.text };
    }
    return null;
  });
}
