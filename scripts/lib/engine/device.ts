// What a training run records about where it ran: the backend's name, device string and kernels.
// Kept apart from backend.ts (which selects and starts a backend) so that the backends'
// initialisers can use it without importing the selector.
import os from 'node:os';

export type BackendName = 'tensorflow' | 'webgpu' | 'wasm' | 'cpu';
export const BACKEND_NAMES: readonly BackendName[] = ['tensorflow', 'webgpu', 'wasm', 'cpu'];

export interface BackendInfo {
  name: BackendName;
  /** Human-readable device string: GPU name, or wasm flavour + threads + CPU model. */
  device: string;
  /** Why this backend was chosen (override, or what was skipped and why). */
  reason: string;
  /** Fast kernels we registered on top of the stock backend (wasm only). */
  kernels: string[];
  threads: number;
}

export function cpuModel(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model.trim() ?? 'unknown CPU'} ×${cpus.length}`;
}
