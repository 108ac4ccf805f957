// Turning an uploaded image into the models' 28×28 input (src/lib/lab/convert.ts), and drawings in the URL.
import { describe, expect, it } from 'vitest';
import { FIT, decodeImage, encodeImage, toFashionMnist, toGrey } from '../../src/lib/lab/convert';

/** A w×h grey image with a filled rectangle. */
function rect(w: number, h: number, bg: number, fg: number, [x0, y0, rw, rh]: number[]): Float32Array {
  return Float32Array.from({ length: w * h }, (_, i) => { const x = i % w, y = Math.floor(i / w); return x >= x0! && x < x0! + rw! && y >= y0! && y < y0! + rh! ? fg : bg; });
}
const bbox = (img: Float32Array) => {
  let x0 = 28, y0 = 28, x1 = -1, y1 = -1;
  img.forEach((v, i) => { if (v > 0.1) { const x = i % 28, y = Math.floor(i / 28); x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y); } });
  return { w: x1 - x0 + 1, h: y1 - y0 + 1, cx: (x0 + x1) / 2, cy: (y0 + y1) / 2 };
};

describe('upload conversion', () => {
  it('a dark item on a light photo background: inverted, cropped, longer side 20 px, aspect kept, centred', () => {
    const { image, inverted, box } = toFashionMnist(rect(200, 100, 0.9, 0.1, [20, 30, 120, 60]), 200, 100);
    expect(inverted).toBe(true);
    expect(box).toEqual([20, 30, 120, 60]);
    const b = bbox(image);
    expect(b.w).toBe(FIT);
    expect(b.h).toBe(10);
    expect(Math.abs(b.cx - 13.5)).toBeLessThanOrEqual(1);
    expect(Math.abs(b.cy - 13.5)).toBeLessThanOrEqual(1);
    expect(Math.max(...image)).toBeCloseTo(0.8 / 0.9, 5); // the background's level taken off, the rest stretched
  });
  it('a light item on a dark background is kept as it is; an empty image gives an empty frame', () => {
    expect(toFashionMnist(rect(50, 50, 0, 1, [5, 5, 10, 40]), 50, 50).inverted).toBe(false);
    expect(Math.max(...toFashionMnist(new Float32Array(100), 10, 10).image)).toBe(0);
  });
  it('RGBA to grey by luminance; transparent pixels take the border\'s colour', () => {
    const rgba = new Uint8ClampedArray([255, 255, 255, 255, 255, 0, 0, 255, 0, 0, 0, 0, 255, 255, 255, 255]);
    const g = toGrey(rgba, 2, 2);
    expect(g[0]).toBeCloseTo(1, 6);
    expect(g[1]).toBeCloseTo(0.299, 6);
    expect(g[2]).toBeCloseTo((1 + 0.299 + 1) / 3, 6);
  });
});

describe('a drawing in the URL', () => {
  it('round-trips at 8 bits per pixel, and rejects anything that is not 784 bytes', () => {
    const img = Float32Array.from({ length: 784 }, (_, i) => (i % 256) / 255);
    const s = encodeImage(img);
    expect(s).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Array.from(decodeImage(s)!)).toEqual(Array.from(img));
    expect(decodeImage('abc')).toBeNull();
    expect(decodeImage('!!')).toBeNull();
  });
});
