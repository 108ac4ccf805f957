/**
 * The confidence chart's sweep: the settings of one slider at which the models are asked, and the
 * chart's geometry (an SVG viewBox in user units), kept pure so that the browser only draws it.
 */
import { CONTROL_RANGES, type LabControl, type LabState } from './state';

/** At most this many settings per sweep: a few forward passes per model, batched, after each change. */
export const SWEEP_STEPS = 9;

const onGrid = (v: number, step: number) => Number((Math.round(v / step) * step).toFixed(6));

/** The settings of a slider that the sweep visits: its whole grid when short, else SWEEP_STEPS evenly spaced, both ends included. */
export function sweepValues(k: LabControl): number[] {
  const { min, max, step } = CONTROL_RANGES[k];
  const count = Math.round((max - min) / step) + 1;
  const n = count <= SWEEP_STEPS + 3 ? count : SWEEP_STEPS;
  const out = Array.from({ length: n }, (_, i) => Math.min(max, onGrid(min + ((max - min) * i) / (n - 1), step)));
  return [...new Set(out)];
}

/** What a sweep depends on besides the swept slider's own setting: moving that slider only moves the chart's marker. */
export function sweepKey(s: LabState, k: LabControl, columns: string[]): string {
  const { drawing, view: _v, layer: _l, head: _h, attack: _a, attackModel: _m, epsilon: _e, smallVit: _s, [k]: _k, ...rest } = s;
  return JSON.stringify({ k, rest, drawing: s.input === 'draw' ? drawing : '', columns });
}

/** The chart's frame in viewBox units: plot area and the maps from setting and probability to x and y. */
export const CHART = { width: 320, height: 170, left: 40, right: 12, top: 10, bottom: 28 } as const;

export function chartScales(k: LabControl): { x: (v: number) => number; y: (p: number) => number } {
  const { min, max } = CONTROL_RANGES[k];
  const w = CHART.width - CHART.left - CHART.right, h = CHART.height - CHART.top - CHART.bottom;
  return {
    x: (v) => CHART.left + ((v - min) / (max - min)) * w,
    y: (p) => CHART.top + (1 - p) * h,
  };
}

/** An SVG polyline's points for one model's curve. */
export const polylinePoints = (k: LabControl, values: number[], probs: number[]): string => {
  const { x, y } = chartScales(k);
  return values.map((v, i) => `${x(v).toFixed(1)},${y(probs[i]!).toFixed(1)}`).join(' ');
};
