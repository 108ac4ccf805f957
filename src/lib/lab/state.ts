/**
 * The lab's state in its URL: the input and every control as query parameters, so a state can be
 * shared and an article can open the lab on a preset (`/lab/?preset=frequency-robustness`).
 * Only values that differ from the defaults are written; unknown keys and values out of range are
 * ignored on reading (a hand-edited URL opens the nearest valid state, never an error).
 */
import { decodeImage } from './convert';
import { BANDS, DEFAULT_SETTINGS, LOW_PASS_OFF, SIDE, type LabInputKind, type LabSettings } from './transform';

/** What the lab shows beside the answer table: nothing more, the ViT's attention, its rollout, or the CNN's saliency. */
export type LabView = 'answers' | 'attention' | 'rollout' | 'saliency';
export const LAB_VIEWS: readonly LabView[] = ['answers', 'attention', 'rollout', 'saliency'];

export const INPUT_KINDS: readonly LabInputKind[] = ['sample', 'cue', 'draw'];

export interface LabState extends LabSettings {
  input: LabInputKind;
  /** Test image, 1-based, as the reader sees it (input 'sample'). */
  image: number;
  /** Cue-conflict classes and the draw of items (input 'cue'). */
  shape: number;
  texture: number;
  cueSeed: number;
  /** The drawing (input 'draw'), 28×28 bytes as base64url (convert.ts encodeImage); '' for an empty one. */
  drawing: string;
  view: LabView;
  /** ViT-mini block (1–6) for the attention view, and the last block of the rollout. */
  layer: number;
  /** Head (1–4), or 0 for the mean of the heads. */
  head: number;
  attack: LabAttack;
  /** The attacked model, an index into LAB_ARCHS. */
  attackModel: number;
  /** L∞ radius of the perturbation. */
  epsilon: number;
  /** Show the optional column (the small-data ViT-mini) when the pool has it. */
  smallVit: boolean;
}

// Cue conflict by default: a sneaker's silhouette with a bag's texture (both cues are strong in Fashion-MNIST).
export const DEFAULT_STATE: LabState = { input: 'sample', image: 1, shape: 7, texture: 8, cueSeed: 0, drawing: '', view: 'answers', layer: 1, head: 0, attack: 'none', attackModel: 0, epsilon: 0.05, smallVit: false, ...DEFAULT_SETTINGS };

/** An adversarial perturbation computed in the browser against one model, applied after the transforms. */
export type LabAttack = 'none' | 'fgsm' | 'pgd';
export const LAB_ATTACKS: readonly LabAttack[] = ['none', 'fgsm', 'pgd'];

/** The integer fields besides the sliders, with their ranges. */
const INTS = { shape: [0, 9], texture: [0, 9], cueSeed: [0, 99], layer: [1, 6], head: [0, 4], attackModel: [0, 2] } as const;

/** The ranges of the sliders (Lab.astro draws them from here). */
export const CONTROL_RANGES = {
  lowPass: { min: 0.05, max: LOW_PASS_OFF, step: 0.01 },
  highPass: { min: 0, max: 0.5, step: 0.01 },
  noise: { min: 0, max: 0.5, step: 0.01 },
  band: { min: 0, max: BANDS - 1, step: 1 },
  // The frequency-noise experiment's norm is 3 (RMS 0.107 per pixel); up to 3× that.
  bandNorm: { min: 0, max: 9, step: 0.5 },
  blur: { min: 0, max: 3, step: 0.1 },
  occlusion: { min: 0, max: 20, step: 1 },
  occlusionX: { min: 0, max: SIDE - 1, step: 1 },
  occlusionY: { min: 0, max: SIDE - 1, step: 1 },
  shuffle: { min: 0, max: 1, step: 0.1 },
} as const satisfies Record<keyof LabSettings, { min: number; max: number; step: number }>;

export type LabControl = keyof typeof CONTROL_RANGES;
/** The attack's ε slider (kept apart from the transforms: it needs the models). */
export const EPSILON = { min: 0.01, max: 0.3, step: 0.01 } as const;
export const LAB_CONTROLS = Object.keys(CONTROL_RANGES) as LabControl[];

/**
 * Presets the articles link to: each lists only what differs from the defaults, with why.
 * `focus` names the control the article is about; the lab scrolls it into view.
 */
export const LAB_PRESETS = {
  // A cue-conflict image: a sneaker's silhouette filled with a bag's texture. The small-data ViT-mini
  // stays a checkbox away: a fourth model's weights would take the first action past its 3 MB budget.
  'shape-vs-texture': { state: { input: 'cue', shape: 7, texture: 8 }, focus: 'input' },
  // A low-pass at 0.15 cycles/px keeps the silhouette and removes the fine texture; band-noise controls below.
  'frequency-robustness': { state: { image: 2, lowPass: 0.15 }, focus: 'lowPass' },
  // Where the ViT-mini's class token looks in its first block, head 1; the layer and head controls move it.
  'attention-distance': { state: { image: 1, view: 'attention', layer: 1, head: 1 }, focus: 'view' },
} as const satisfies Record<string, { state: Partial<LabState>; focus: LabControl | 'image' | 'input' | 'view' }>;

export type LabPreset = keyof typeof LAB_PRESETS;
export const isPreset = (name: string): name is LabPreset => Object.hasOwn(LAB_PRESETS, name);

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
/** Numbers on the slider's grid, so a URL value and the slider agree. */
const onGrid = (v: number, step: number) => Number((Math.round(v / step) * step).toFixed(6));

/** The state a query string describes (a preset first, then explicit keys over it). */
export function readState(search: string, imageCount: number): { state: LabState; preset: LabPreset | null } {
  const q = new URLSearchParams(search);
  const name = q.get('preset');
  const preset = name && isPreset(name) ? name : null;
  const state: LabState = { ...DEFAULT_STATE, ...(preset ? LAB_PRESETS[preset].state : {}) };
  const num = (key: string) => {
    const raw = q.get(key);
    const v = raw === null || raw.trim() === '' ? NaN : Number(raw);
    return Number.isFinite(v) ? v : null;
  };
  const image = num('image');
  if (image !== null) state.image = clamp(Math.round(image), 1, imageCount);
  state.image = clamp(state.image, 1, imageCount);
  for (const key of LAB_CONTROLS) {
    const v = num(key), r = CONTROL_RANGES[key];
    if (v !== null) state[key] = clamp(onGrid(v, r.step), r.min, r.max);
  }
  const input = q.get('input');
  if (input && (INPUT_KINDS as readonly string[]).includes(input)) state.input = input as LabInputKind;
  for (const [key, [lo, hi]] of Object.entries(INTS) as Array<[keyof typeof INTS, readonly [number, number]]>) {
    const v = num(key);
    if (v !== null) state[key] = clamp(Math.round(v), lo, hi);
  }
  const drawing = q.get('drawing');
  if (drawing && decodeImage(drawing)) state.drawing = drawing;
  const attack = q.get('attack');
  if (attack && (LAB_ATTACKS as readonly string[]).includes(attack)) state.attack = attack as LabAttack;
  const eps = num('epsilon');
  if (eps !== null) state.epsilon = clamp(onGrid(eps, EPSILON.step), EPSILON.min, EPSILON.max);
  const smallVit = q.get('smallVit');
  if (smallVit === '1' || smallVit === '0') state.smallVit = smallVit === '1';
  const view = q.get('view');
  if (view && (LAB_VIEWS as readonly string[]).includes(view)) state.view = view as LabView;
  return { state, preset };
}

/** The query string for a state: only what differs from the defaults, in a fixed order ('' for the defaults). */
export function writeState(s: LabState): string {
  const q = new URLSearchParams();
  if (s.input !== DEFAULT_STATE.input) q.set('input', s.input);
  if (s.image !== DEFAULT_STATE.image) q.set('image', String(s.image));
  for (const key of Object.keys(INTS) as Array<keyof typeof INTS>) if (s[key] !== DEFAULT_STATE[key]) q.set(key, String(s[key]));
  for (const key of LAB_CONTROLS) if (s[key] !== DEFAULT_STATE[key]) q.set(key, String(s[key]));
  // Only while it is the input: about 1 KB of text.
  if (s.input === 'draw' && s.drawing) q.set('drawing', s.drawing);
  if (s.view !== DEFAULT_STATE.view) q.set('view', s.view);
  if (s.attack !== DEFAULT_STATE.attack) q.set('attack', s.attack);
  if (s.epsilon !== DEFAULT_STATE.epsilon) q.set('epsilon', String(s.epsilon));
  if (s.smallVit !== DEFAULT_STATE.smallVit) q.set('smallVit', s.smallVit ? '1' : '0');
  const out = q.toString();
  return out ? `?${out}` : '';
}

/** The lab's URL for a preset, in a language ('' for English, 'ja'). */
export const presetHref = (preset: LabPreset, lang: '' | 'ja' = ''): string => `${lang ? `/${lang}` : ''}/lab/?preset=${preset}`;
