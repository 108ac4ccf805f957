// The lab's URL state (src/lib/lab/state.ts) and the article links to its presets.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeImage } from '../../src/lib/lab/convert';
import { CONTROL_RANGES, DEFAULT_STATE, LAB_PRESETS, isPreset, readState, writeState, type LabState } from '../../src/lib/lab/state';

describe('the lab\'s URL state', () => {
  it('the defaults write an empty query, and an empty query reads the defaults', () => {
    expect(writeState(DEFAULT_STATE)).toBe('');
    expect(readState('', 300)).toEqual({ state: DEFAULT_STATE, preset: null });
  });
  it('round-trips every control', () => {
    const s: LabState = { ...DEFAULT_STATE, image: 137, lowPass: 0.4, highPass: 0.05, noise: 0.1 };
    const q = writeState(s);
    expect(q).toBe('?image=137&lowPass=0.4&highPass=0.05&noise=0.1');
    expect(readState(q, 300).state).toEqual(s);
    const all: LabState = { input: 'cue', image: 3, shape: 1, texture: 2, cueSeed: 5, drawing: '', view: 'attention', layer: 3, head: 2, attack: 'pgd', attackModel: 1, epsilon: 0.1, smallVit: true, lowPass: 0.3, highPass: 0.1, noise: 0.2,
      band: 7, bandNorm: 3, blur: 1.5, occlusion: 8, occlusionX: 3, occlusionY: 20, shuffle: 0.5 };
    expect(readState(writeState(all), 300).state).toEqual(all);
    const drawing = encodeImage(Float32Array.from({ length: 784 }, (_, i) => (i % 7) / 6));
    const drawn: LabState = { ...DEFAULT_STATE, input: 'draw', drawing };
    expect(readState(writeState(drawn), 300).state).toEqual(drawn);
    // A drawing is written only while it is the input.
    expect(writeState({ ...drawn, input: 'sample' })).toBe('');
    expect(readState(q, 300).state).toEqual(s);
  });
  it('clamps values to the sliders\' ranges and grid, and ignores what it cannot read', () => {
    const { state } = readState('?image=999&lowPass=7&highPass=-1&noise=0.123&view=nope&junk=1&input=photo&shape=12&band=3.4&drawing=xyz', 300);
    expect(state).toEqual({ ...DEFAULT_STATE, image: 300, lowPass: CONTROL_RANGES.lowPass.max, highPass: 0, noise: 0.12, shape: 9, band: 3 });
    expect(readState('?image=abc&noise=&smallVit=yes', 300).state).toEqual(DEFAULT_STATE);
    expect(readState('?smallVit=1', 300).state.smallVit).toBe(true);
  });
  it('a preset sets its state; explicit keys win over it; an unknown preset is ignored', () => {
    const f = readState('?preset=frequency-robustness', 300);
    expect(f.preset).toBe('frequency-robustness');
    expect(f.state).toEqual({ ...DEFAULT_STATE, ...LAB_PRESETS['frequency-robustness'].state });
    expect(f.state).not.toEqual(DEFAULT_STATE);
    expect(readState('?preset=frequency-robustness&lowPass=0.3', 300).state.lowPass).toBe(0.3);
    expect(readState('?preset=nope', 300)).toEqual({ state: DEFAULT_STATE, preset: null });
  });
  it('every preset is a valid state: reading what it writes gives it back', () => {
    for (const [name, p] of Object.entries(LAB_PRESETS)) {
      const s = { ...DEFAULT_STATE, ...p.state } as LabState;
      expect(readState(writeState(s), 300).state, name).toEqual(s);
    }
  });
});

describe('article links to the lab', () => {
  const mdx = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? mdx(join(dir, e.name)) : e.name.endsWith('.mdx') ? [join(dir, e.name)] : []);
  const links = mdx('src/content/docs').flatMap((f) =>
    [...readFileSync(f, 'utf8').matchAll(/<LabLink preset="([^"]*)"|\/lab\/\?[^)\s"]*/g)].map((m) => ({ f, preset: m[1], raw: m[0] })));

  it('every one names a preset that exists (through <LabLink>, never a hand-written query)', () => {
    expect(links.filter((l) => l.preset === undefined).map((l) => `${l.f}: ${l.raw}`)).toEqual([]);
    expect(links.filter((l) => !isPreset(l.preset!)).map((l) => `${l.f}: ${l.preset}`)).toEqual([]);
  });
  it('the shape-vs-texture, frequency and attention-distance articles link to their presets, in both languages', () => {
    const want: Array<[string, string]> = [
      ['articles/shape-vs-texture.mdx', 'shape-vs-texture'],
      ['articles/frequency-robustness.mdx', 'frequency-robustness'],
      ['articles/attention-distance-loss-landscape.mdx', 'attention-distance'],
    ];
    for (const [file, preset] of want) for (const lang of ['', 'ja/']) {
      const f = join('src/content/docs', lang + file);
      expect(links.some((l) => l.f === f && l.preset === preset), `${f} → ${preset}`).toBe(true);
    }
  });
});
