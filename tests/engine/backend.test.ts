// Backend selection, each case in a fresh process (selection is once per process).
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';

function select(env: Record<string, string>) {
  const code = `import { selectBackend } from './scripts/lib/engine/backend.ts';
    selectBackend().then((i) => console.log(JSON.stringify(i)), (e) => { console.error('ERR ' + e.message); process.exit(3); });`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  return { status: r.status, info: r.status === 0 ? JSON.parse(line) : null, stderr: r.stderr };
}

describe('selectBackend', () => {
  it('picks the first available backend, records device and reason, and probes quietly', () => {
    const { status, info, stderr } = select({ ATLAS_BACKEND: '' });
    expect(status).toBe(0);
    expect(['tensorflow', 'webgpu', 'wasm', 'cpu']).toContain(info.name);
    expect(info.device.length).toBeGreaterThan(3);
    if (info.name === 'wasm') {
      expect(info.kernels).toContain('Conv2DBackpropFilter');
      expect(info.reason).toMatch(/tensorflow: /); // it said why the GPU paths were skipped
    }
    expect(stderr).not.toMatch(/Couldn't load Vulkan/);
  });
  it('ATLAS_BACKEND overrides the choice', () => {
    expect(select({ ATLAS_BACKEND: 'cpu' }).info).toMatchObject({ name: 'cpu', reason: expect.stringMatching(/forced/) });
  });
  it('an unknown or unavailable forced backend fails loudly', () => {
    const bad = select({ ATLAS_BACKEND: 'cuda9' });
    expect(bad.status).toBe(3);
    expect(bad.stderr).toMatch(/ATLAS_BACKEND=cuda9 is not one of/);
    const tfn = select({ ATLAS_BACKEND: 'tensorflow' });
    if (tfn.status !== 0) expect(tfn.stderr).toMatch(/requested but unavailable/);
  });
});
