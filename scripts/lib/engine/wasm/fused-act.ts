// Fused element-wise kernels on the heap, each one pass instead of a chain of tfjs kernels:
//   AtlasGelu(x)              exact GELU x·Φ(x) (the zoo's 'gelu'); tfjs runs Mul, Mul, Erf, Add, Mul
//   AtlasGeluGrad(x, dy)      dy·(Φ(x) + x·φ(x)); tfjs's chain is ~10 kernels (Erf's gradient via Exp)
// Sums and the erf run in double precision; results are stored as float32.
import type { TensorInfo } from '@tensorflow/tfjs';
import { be, ptr, sizeOf, type KernelArgs } from './state';

// erf as x·P(x²)/Q(x²) on [−4, 4] (±1 beyond, in float32): Eigen's float erf, no exp, within
// 2e-7 of the Abramowitz & Stegun 7.1.26 form tfjs's Erf kernels use.
const EP = [-2.72614225801306e-10, 2.77068142495902e-08, -2.10102402082508e-06, -5.69250639462346e-05, -7.34990630326855e-04, -2.95459980854025e-03, -1.60960333262415e-02];
const EQ = [-1.45660718464996e-05, -2.13374055278905e-04, -1.68282697438203e-03, -7.37332916720468e-03, -1.42647390514189e-02];
export function erf(v: number): number {
  const x = v > 4 ? 4 : v < -4 ? -4 : v, x2 = x * x;
  const p = (((((EP[0]! * x2 + EP[1]!) * x2 + EP[2]!) * x2 + EP[3]!) * x2 + EP[4]!) * x2 + EP[5]!) * x2 + EP[6]!;
  const q = (((EQ[0]! * x2 + EQ[1]!) * x2 + EQ[2]!) * x2 + EQ[3]!) * x2 + EQ[4]!;
  return (x * p) / q;
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
    const v = h[xo + i]!;
    h[oo + i] = h[go + i]! * (0.5 * (1 + erf(v * Math.SQRT1_2)) + v * INV_SQRT2PI * Math.exp(-0.5 * v * v));
  }
  return out;
}

export const FUSED_ACT_KERNELS = { AtlasGelu: gelu, AtlasGeluGrad: geluGrad };
