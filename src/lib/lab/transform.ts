/**
 * The lab's input transforms, on a 28×28 grey image in [0, 1]: a band of spatial frequencies kept
 * (high-pass cut-off ≤ r < low-pass cut-off, in cycles per pixel), then Gaussian pixel noise of
 * standard deviation σ (fixed seed, so one setting is one image), then clipping to [0, 1], the
 * range the models were trained on. The filter and the noise are the frequency-noise experiment's
 * own functions (models/data/noise.ts).
 */
import { bandFilter, bandNoise } from '../../../models/data/noise';

export const SIDE = 28;
/** Above the largest radius of a 28×28 DFT (√2/2 ≈ 0.707): a low-pass set here keeps every frequency. */
export const LOW_PASS_OFF = 0.71;
export const NOISE_SEED = 0;

export interface LabSettings {
  /** Keep frequencies below this radius; LOW_PASS_OFF keeps all. */
  lowPass: number;
  /** Keep frequencies at or above this radius; 0 keeps all. */
  highPass: number;
  /** Gaussian noise σ per pixel. */
  noise: number;
}

export const DEFAULT_SETTINGS: LabSettings = { lowPass: LOW_PASS_OFF, highPass: 0, noise: 0 };

export function transform(image: ArrayLike<number>, s: LabSettings): Float32Array {
  const high = s.lowPass >= LOW_PASS_OFF ? Infinity : s.lowPass, low = s.highPass;
  const x = low <= 0 && high === Infinity ? Float32Array.from(image)
    : low >= high ? new Float32Array(SIDE * SIDE)
    : bandFilter(image, SIDE, SIDE, low, high);
  if (s.noise > 0) {
    // ‖z‖₂ = σ·√(28·28) gives a per-pixel RMS of σ.
    const z = bandNoise({ h: SIDE, w: SIDE, low: 0, high: Infinity, norm: s.noise * SIDE, seed: NOISE_SEED });
    for (let i = 0; i < x.length; i++) x[i]! += z[i]!;
  }
  for (let i = 0; i < x.length; i++) x[i] = Math.min(1, Math.max(0, x[i]!));
  return x;
}

/** Image k of the sample file as floats in [0, 1], and its label. */
export function sampleImage(bytes: Uint8Array, k: number): { image: Float32Array; label: number } {
  const px = SIDE * SIDE, count = bytes.length / (px + 1);
  if (!Number.isInteger(count) || k < 0 || k >= count) throw new Error(`sample: no image ${k} in ${bytes.length} bytes`);
  const image = new Float32Array(px);
  for (let i = 0; i < px; i++) image[i] = bytes[k * px + i]! / 255;
  return { image, label: bytes[count * px + k]! };
}

export const sampleCount = (bytes: Uint8Array): number => bytes.length / (SIDE * SIDE + 1);
