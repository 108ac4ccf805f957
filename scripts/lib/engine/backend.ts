// Backend selection for every experiment and the bench.
//
// Order (first available wins): tfjs-node-gpu with a visible GPU → WebGPU via the
// `webgpu` npm package (Dawn) with a hardware adapter → wasm with our fast training
// kernels → cpu. `ATLAS_BACKEND=tensorflow|webgpu|wasm|cpu` forces one and fails
// loudly if it cannot start. Every result records `backendInfo()`.
//
//   import { selectBackend } from './backend';
//   const info = await selectBackend();   // { name: 'wasm', device: 'tfjs-wasm-simd · 1 thread · AMD EPYC …', … }
import * as tf from '@tensorflow/tfjs';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { BACKEND_NAMES, cpuModel, type BackendInfo, type BackendName } from './device';

export { BACKEND_NAMES, cpuModel, type BackendInfo, type BackendName };

let selected: BackendInfo | null = null;

/** The backend chosen by the last `selectBackend()`; throws if none was selected. */
export function backendInfo(): BackendInfo {
  if (!selected) throw new Error('backendInfo(): call `await selectBackend()` first');
  return selected;
}

function parseOverride(): BackendName | null {
  const v = process.env.ATLAS_BACKEND?.trim().toLowerCase();
  if (!v) return null;
  if (v === 'tfjs-node' || v === 'tfjs-node-gpu' || v === 'node') return 'tensorflow';
  if ((BACKEND_NAMES as readonly string[]).includes(v)) return v as BackendName;
  throw new Error(`ATLAS_BACKEND=${v} is not one of ${BACKEND_NAMES.join(', ')}`);
}

/** Picks, initialises and records the backend. Idempotent. */
export async function selectBackend(opts: { prefer?: BackendName } = {}): Promise<BackendInfo> {
  if (selected) return selected;
  const forced = opts.prefer ?? parseOverride();
  const skipped: string[] = [];
  const order: BackendName[] = forced ? [forced] : [...BACKEND_NAMES];
  for (const name of order) {
    let info: Omit<BackendInfo, 'reason'> | string;
    try {
      info = await TRY[name]();
    } catch (e) {
      info = (e as Error).message.split('\n')[0] ?? String(e);
    }
    if (typeof info === 'string') {
      if (forced) throw new Error(`ATLAS_BACKEND=${forced} requested but unavailable: ${info}`);
      skipped.push(`${name}: ${info}`);
      continue;
    }
    const reason = forced ? `forced by ATLAS_BACKEND/prefer` : skipped.length ? `first available (skipped ${skipped.join('; ')})` : 'first available';
    selected = { ...info, reason };
    return selected;
  }
  throw new Error(`no tfjs backend could start: ${skipped.join('; ')}`);
}

/** Each probe returns the info, or a short string saying why it is unavailable. */
const TRY: Record<BackendName, () => Promise<Omit<BackendInfo, 'reason'> | string>> = {
  async tensorflow() {
    // Optional dependency: its install downloads libtensorflow and fails offline, so the
    // import must be lazy and a failure silent (the next backend is tried).
    const spec = '@tensorflow/tfjs-node-gpu';
    try {
      await import(/* @vite-ignore */ spec);
    } catch {
      return 'tfjs-node-gpu not installed';
    }
    if (!(await tf.setBackend('tensorflow'))) return 'tensorflow backend failed to start';
    // tfjs-node-gpu silently runs on CPU when CUDA is absent; only accept a visible GPU.
    const gpus = listNvidiaGpus();
    if (gpus.length === 0) {
      tf.removeBackend('tensorflow');
      return 'tfjs-node-gpu loaded but no GPU visible';
    }
    return { name: 'tensorflow', device: `CUDA ${gpus.join(', ')}`, kernels: [], threads: os.cpus().length };
  },

  async webgpu() {
    if (!vulkanLoaderPresent()) return 'no Vulkan loader (libvulkan.so.1)';
    let mod: { create: (o: string[]) => DawnGpu; globals: Record<string, unknown> };
    try {
      mod = (await import(/* @vite-ignore */ 'webgpu')) as unknown as typeof mod;
    } catch {
      return 'webgpu package not installed';
    }
    Object.assign(globalThis, mod.globals);
    const gpu = mod.create([]);
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return 'no WebGPU adapter';
    const ai = adapter.info;
    const desc = [ai?.vendor, ai?.architecture, ai?.device, ai?.description].filter(Boolean).join(' ');
    // A software adapter (lavapipe, SwiftShader) is slower than wasm: skip it.
    if (adapter.isFallbackAdapter || /llvmpipe|lavapipe|swiftshader|software/i.test(desc)) {
      return `software adapter only (${desc})`;
    }
    // tfjs-backend-webgpu registers itself at import time only if navigator.gpu exists.
    const nav = (globalThis as { navigator?: object }).navigator ?? {};
    Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });
    if (!(globalThis as { navigator?: object }).navigator) (globalThis as { navigator?: object }).navigator = nav;
    await import('@tensorflow/tfjs-backend-webgpu');
    if (!(await tf.setBackend('webgpu'))) return 'webgpu backend failed to start';
    return { name: 'webgpu', device: `WebGPU (Dawn) ${desc || 'GPU'}`, kernels: [], threads: 1 };
  },

  async wasm() {
    const { initWasm } = await import('./wasm');
    return initWasm();
  },

  async cpu() {
    await tf.setBackend('cpu');
    await tf.ready();
    return { name: 'cpu', device: `tfjs-cpu (pure JS) · ${cpuModel()}`, kernels: [], threads: 1 };
  },
};

function listNvidiaGpus(): string[] {
  if (!existsSync('/proc/driver/nvidia/gpus')) return [];
  try {
    // Each GPU has /proc/driver/nvidia/gpus/<bus>/information with a "Model:" line.
    return readdirSync('/proc/driver/nvidia/gpus').map((bus) => {
      const txt = readFileSync(`/proc/driver/nvidia/gpus/${bus}/information`, 'utf8');
      return /Model:\s*(.+)/.exec(txt)?.[1]?.trim() ?? bus;
    });
  } catch {
    return ['NVIDIA GPU'];
  }
}

/** Dawn prints a warning to stderr when it cannot dlopen Vulkan; check first so the probe is quiet. */
function vulkanLoaderPresent(): boolean {
  if (process.platform !== 'linux') return true;
  const dirs = [
    ...(process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean),
    '/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/lib/x86_64-linux-gnu', '/usr/local/lib',
  ];
  return dirs.some((d) => existsSync(`${d}/libvulkan.so.1`));
}

/** The little of the WebGPU API the probe touches (avoids a dependency on @webgpu/types). */
interface DawnGpu {
  requestAdapter(o?: { powerPreference?: string }): Promise<{
    isFallbackAdapter?: boolean;
    info?: { vendor?: string; architecture?: string; device?: string; description?: string };
  } | null>;
}
