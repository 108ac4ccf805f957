/** Layout of a model's block/stage diagram: a top-to-bottom column of boxes joined by arrows. */
import type { ModelFacts } from '~/lib/models/schema';

/** A diagram box in one language (the facts file holds both; the page picks its own). */
export interface Box {
  label: string;
  kind: ModelFacts['diagram'][number]['kind'];
  note?: string;
}

/** The facts' bilingual boxes in one language. */
export function diagramIn(boxes: ModelFacts['diagram'], lang: 'en' | 'ja'): Box[] {
  return boxes.map((b) => ({ label: b.label[lang], kind: b.kind, note: typeof b.note === 'string' ? b.note : b.note?.[lang] }));
}

export const KIND_COLOURS: Record<Box['kind'], string> = {
  input: '#e8e8e8',
  stem: '#c6dbef',
  conv: '#9ecae1',
  attn: '#fdd0a2',
  'local-attn': '#fdae6b',
  'kv-attn': '#fcbba1',
  'conv-attn': '#c7e9c0',
  mlp: '#dadaeb',
  pool: '#d9d9d9',
  merge: '#bcbddc',
  head: '#f0f0f0',
};

export interface PlacedBox extends Box {
  x: number;
  y: number;
  w: number;
  h: number;
  fill: string;
}

// Label on the first line, note (if any) on a second, smaller line: long pairs never overlap.
export const DIAGRAM = { width: 520, boxHeight: 46, gap: 18, pad: 8 } as const;

export function layoutDiagram(boxes: readonly Box[]) {
  const { width, boxHeight, gap, pad } = DIAGRAM;
  const placed: PlacedBox[] = boxes.map((b, i) => ({
    ...b,
    x: pad,
    y: pad + i * (boxHeight + gap),
    w: width - 2 * pad,
    h: boxHeight,
    fill: KIND_COLOURS[b.kind],
  }));
  const height = pad * 2 + boxes.length * boxHeight + (boxes.length - 1) * gap;
  return { width, height, boxes: placed };
}
