// Fused element-wise kernels on the heap, each one pass instead of a chain of tfjs kernels:
//   AtlasGelu(x)              exact GELU x·Φ(x) (the zoo's 'gelu'); tfjs runs Mul, Mul, Erf, Add, Mul
//   AtlasGeluGrad(x, dy)      dy·(Φ(x) + x·φ(x)); tfjs's chain is ~10 kernels (Erf's gradient via Exp)
//   AtlasSoftmaxGrad(y, dy)   y·(dy − Σ dy·y) per row (last axis); tfjs: Mul, Sum, Mul, Sub
// Sums and the erf run in double precision; results are stored as float32.
import type { TensorInfo } from '@tensorflow/tfjs';
import { be, ptr, sizeOf, type KernelArgs } from './state';

// erf by Abramowitz & Stegun 7.1.26 (|error| ≤ 1.5e-7), the approximation tfjs's Erf kernels use.
const P = 0.3275911, A1 = 0.254829592, A2 = -0.284496736, A3 = 1.421413741, A4 = -1.453152027, A5 = 1.061405429;
export function erf(v: number): number {
  const x = Math.abs(v), t = 1 / (1 + P * x);
  const r = 1 - ((((A5 * t + A4) * t + A3) * t + A2) * t + A1) * t * Math.exp(-x * x);
  return v < 0 ? -r : r;
}
const INV_SQRT2PI = 1 / Math.sqrt(2 * Math.PI);

function gelu({ inputs }: KernelArgs): TensorInfo {
  const { x } = inputs as { x: TensorInfo };
  const out = be.makeOutput([...x.shape], 'float32');
  const h = be.wasm.HEAPF32, xo = ptr(x) >>> 2, oo = ptr(out) >>> 2, n = sizeOf(x.shape);
  for (let i = 0; i < n; i++) { const v = h[xo + i]!; h[oo + i] = 0.5 * v * (1 + erf(v * Math.SQRT1_2)); }
  return out;
}

function geluGrad({ inputs }: KernelArgs): TensorInfo {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const out = be.makeOutput([...x.shape], 'float32');
  const h = be.wasm.HEAPF32, xo = ptr(x) >>> 2, go = ptr(dy) >>> 2, oo = ptr(out) >>> 2, n = sizeOf(x.shape);
  for (let i = 0; i < n; i++) {
    // erf(v/√2) and φ(v) share exp(−v²/2): one exp per element.
    const v = h[xo + i]!, x = Math.abs(v) * Math.SQRT1_2, t = 1 / (1 + P * x), e = Math.exp(-x * x);
    const erfAbs = 1 - ((((A5 * t + A4) * t + A3) * t + A2) * t + A1) * t * e;
    h[oo + i] = h[go + i]! * (0.5 * (1 + (v < 0 ? -erfAbs : erfAbs)) + v * INV_SQRT2PI * e);
  }
  return out;
}

function softmaxGrad({ inputs }: KernelArgs): TensorInfo {
  const { y, dy } = inputs as { y: TensorInfo; dy: TensorInfo };
  const out = be.makeOutput([...y.shape], 'float32');
  const h = be.wasm.HEAPF32, yo = ptr(y) >>> 2, go = ptr(dy) >>> 2, oo = ptr(out) >>> 2;
  const d = y.shape[y.shape.length - 1]!, rows = sizeOf(y.shape) / d;
  for (let r = 0, o = 0; r < rows; r++, o += d) {
    let s = 0;
    for (let j = 0; j < d; j++) s += h[go + o + j]! * h[yo + o + j]!;
    for (let j = 0; j < d; j++) h[oo + o + j] = h[yo + o + j]! * (h[go + o + j]! - s);
  }
  return out;
}

export const FUSED_ACT_KERNELS = { AtlasGelu: gelu, AtlasGeluGrad: geluGrad, AtlasSoftmaxGrad: softmaxGrad };
