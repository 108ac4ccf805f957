// Per-kernel timing: wraps every kernel registered for the active backend with a clock.
// Synchronous backends (wasm, cpu) finish inside kernelFunc, so wall time per call is the
// kernel's time; what the step spends outside kernels is dispatch, tape and JS overhead.
import * as tf from '@tensorflow/tfjs';

export interface KernelTime { name: string; ms: number; calls: number; pct: number }
export interface Profile { stepMs: number; kernelMs: number; overheadMs: number; kernels: KernelTime[] }

export async function profileKernels(run: () => Promise<void> | void, opts: { byShape?: boolean } = {}): Promise<Profile> {
  const backend = tf.getBackend();
  const configs = tf.getKernelsForBackend(backend);
  const acc = new Map<string, { ms: number; calls: number }>();
  for (const c of configs) {
    const inner = c.kernelFunc;
    tf.unregisterKernel(c.kernelName, backend);
    tf.registerKernel({
      ...c,
      kernelFunc: ((args: Parameters<typeof inner>[0]) => {
        const t = performance.now();
        const out = inner(args);
        const key = opts.byShape ? `${c.kernelName} ${Object.values(args.inputs).map((i) => `[${(i as tf.TensorInfo).shape}]`).join('×')} ${JSON.stringify(args.attrs ?? {}).slice(0, 80)}` : c.kernelName;
        const a = acc.get(key) ?? { ms: 0, calls: 0 };
        a.ms += performance.now() - t; a.calls++;
        acc.set(key, a);
        return out;
      }) as typeof inner,
    });
  }
  const t0 = performance.now();
  try {
    await run();
  } finally {
    for (const c of configs) { tf.unregisterKernel(c.kernelName, backend); tf.registerKernel(c); }
  }
  const stepMs = performance.now() - t0;
  const kernelMs = [...acc.values()].reduce((s, a) => s + a.ms, 0);
  const kernels = [...acc.entries()].map(([name, a]) => ({ name, ms: +a.ms.toFixed(2), calls: a.calls, pct: +((100 * a.ms) / stepMs).toFixed(1) }))
    .sort((x, y) => y.ms - x.ms);
  return { stepMs: +stepMs.toFixed(2), kernelMs: +kernelMs.toFixed(2), overheadMs: +(stepMs - kernelMs).toFixed(2), kernels };
}
