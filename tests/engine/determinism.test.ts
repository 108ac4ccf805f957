// Same seed, same backend → identical JSON, apart from wall-clock fields.
import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selectBackend } from '../../scripts/lib/engine/backend';
import { train, TRAIN_DEFAULTS, rng, type Data, type Split } from '../../scripts/lib/train';
import { createModel } from '../../models/index';
import { plan, runTask, runStamp } from '../../scripts/lib/experiments/runner';
import { hasFashionMnist } from '../helpers/quick-run';
import { withoutWallTime } from '../helpers/wall-time';

function synthetic(n: number, seed: number): Split {
  const r = rng(seed), images = new Float32Array(n * 28 * 28), labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % 10;
    // A class-dependent blob so the loss actually moves.
    for (let p = 0; p < 784; p++) images[i * 784 + p] = r() * 0.3 + (Math.floor(p / 78.4) === labels[i] ? 0.7 : 0);
  }
  return { images, labels, n, shape: [28, 28, 1], numClasses: 10 };
}

describe('determinism', () => {
  beforeAll(async () => { await selectBackend(); });

  for (const name of ['vit_mini_patch4_28', 'resnet_mini_28']) {
    it(`train(${name}) twice with one seed gives the same JSON`, async () => {
      const data: Data = { train: synthetic(64, 1), test: synthetic(32, 2) };
      const cfg = { ...TRAIN_DEFAULTS, steps: 3, batchSize: 16, warmupSteps: 1, evalEvery: 2, seed: 5 };
      const run = async () => { const m = createModel(name, {}, { seed: 3 }); const r = await train(m, data, cfg, {}); m.dispose(); return JSON.stringify(withoutWallTime(r)); };
      const a = await run(), b = await run();
      expect(a).toBe(b);
      // …and a different data seed changes it (the test can fail).
      const m = createModel(name, {}, { seed: 3 });
      const c = JSON.stringify(withoutWallTime(await train(m, data, { ...cfg, seed: 6 }, {})));
      m.dispose();
      expect(c).not.toBe(a);
    });
  }

  const hasFm = hasFashionMnist('for the engine-smoke determinism test');
  it.skipIf(!hasFm)('an experiment unit run twice writes the same record (engine-smoke, quick)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'atlas-det-'));
    process.env.ATLAS_RESULTS_DIR = root;
    try {
      const [task] = await plan({ profile: 'quick', only: ['engine-smoke'] });
      const { cache: _c, ...t } = task!;
      const stamp = runStamp();
      await runTask(t, stamp);
      const first = JSON.parse(readFileSync(t.path, 'utf8'));
      await runTask(t, stamp);
      const second = JSON.parse(readFileSync(t.path, 'utf8'));
      expect(withoutWallTime(second)).toEqual(withoutWallTime(first));
      expect(first.result.testAccuracy).toBeGreaterThan(0);
    } finally {
      delete process.env.ATLAS_RESULTS_DIR;
      rmSync(root, { recursive: true, force: true });
    }
  });
});
