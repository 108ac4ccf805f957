/**
 * Seeded initialisers. Each parameter draws from its own stream, keyed by (seed, path),
 * so a value never depends on the order in which layers were created.
 */

export type Init =
  | { kind: 'zeros' }
  | { kind: 'ones' }
  | { kind: 'const'; value: number }
  | { kind: 'normal'; std: number }
  | { kind: 'truncNormal'; std: number } // resampled beyond ±2 std, as timm's trunc_normal_
  | { kind: 'uniform'; limit: number }; // U(-limit, limit)

export const zeros: Init = { kind: 'zeros' };
export const ones: Init = { kind: 'ones' };
export const constant = (value: number): Init => ({ kind: 'const', value });
export const normal = (std: number): Init => ({ kind: 'normal', std });
export const truncNormal = (std = 0.02): Init => ({ kind: 'truncNormal', std });
export const uniform = (limit: number): Init => ({ kind: 'uniform', limit });
/** He/Kaiming normal, gain √2 (ReLU-family), for a given fan. */
export const heNormal = (fan: number): Init => ({ kind: 'normal', std: Math.sqrt(2 / Math.max(1, fan)) });
/** LeCun-style uniform, PyTorch's default for Linear/Conv weights and biases. */
export const fanInUniform = (fanIn: number): Init => ({ kind: 'uniform', limit: 1 / Math.sqrt(Math.max(1, fanIn)) });

/** FNV-1a 32-bit over a string. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: small, fast, good enough for weight init. Returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws (Box–Muller), using both outputs. */
function normalStream(rand: () => number): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = rand();
    const v = rand();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}

export function initValues(init: Init, size: number, seed: number, path: string): Float32Array {
  const out = new Float32Array(size);
  switch (init.kind) {
    case 'zeros':
      return out;
    case 'ones':
      return out.fill(1);
    case 'const':
      return out.fill(init.value);
    case 'normal': {
      const n = normalStream(mulberry32(hash32(`${seed}:${path}`)));
      for (let i = 0; i < size; i++) out[i] = n() * init.std;
      return out;
    }
    case 'truncNormal': {
      const n = normalStream(mulberry32(hash32(`${seed}:${path}`)));
      for (let i = 0; i < size; i++) {
        let z = n();
        while (z < -2 || z > 2) z = n();
        out[i] = z * init.std;
      }
      return out;
    }
    case 'uniform': {
      const r = mulberry32(hash32(`${seed}:${path}`));
      for (let i = 0; i < size; i++) out[i] = (2 * r() - 1) * init.limit;
      return out;
    }
  }
}
