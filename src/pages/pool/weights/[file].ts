/**
 * The pool's committed weights as downloads: /pool/weights/<id>.weights.json (the tf.io weights
 * manifest) and <id>.weights.bin (its one float32 shard), copied from generated/pool/weights/.
 * A browser loads them with `tf.io.loadWeights(manifest, '/pool/weights/')`. The .bin must match the
 * sha256 the pool manifest records, or the build fails naming the file.
 */
import type { APIRoute, GetStaticPaths } from 'astro';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATED_DIR } from '~/lib/generated';
import { loadPool } from '~/lib/experiments/load-pool';

export const getStaticPaths = (() => {
  const pool = loadPool();
  if (!pool) return [];
  return pool.models.flatMap((m) => [
    { params: { file: m.weights.split('/').at(-1)! }, props: { path: m.weights, sha256: null } },
    { params: { file: m.bin.split('/').at(-1)! }, props: { path: m.bin, sha256: m.sha256 } },
  ]);
}) satisfies GetStaticPaths;

export const GET: APIRoute = ({ props }) => {
  const { path, sha256 } = props as { path: string; sha256: string | null };
  const full = join(GENERATED_DIR, 'pool', path);
  const bytes = readFileSync(full);
  if (sha256) {
    const got = createHash('sha256').update(bytes).digest('hex');
    if (got !== sha256) throw new Error(`generated/pool/${path}: sha256 ${got}, the pool manifest says ${sha256}. Fix: \`git checkout -- generated/pool/${path}\` (or rerun its unit).`);
  }
  const type = path.endsWith('.json') ? 'application/json' : 'application/octet-stream';
  return new Response(bytes, { headers: { 'Content-Type': type } });
};
