/**
 * /lab/fmnist-sample.bin: the lab's input sample (scripts/lab-sample.ts), copied from generated/lab/.
 * The build fails when the file's sha256 differs from the one its JSON records.
 */
import type { APIRoute } from 'astro';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATED_DIR } from '~/lib/generated';

export const GET: APIRoute = () => {
  const bin = join(GENERATED_DIR, 'lab', 'fmnist-sample.bin');
  const meta = JSON.parse(readFileSync(join(GENERATED_DIR, 'lab', 'fmnist-sample.json'), 'utf8')) as { sha256: string };
  const bytes = readFileSync(bin);
  const got = createHash('sha256').update(bytes).digest('hex');
  if (got !== meta.sha256) throw new Error(`generated/lab/fmnist-sample.bin: sha256 ${got}, fmnist-sample.json says ${meta.sha256}. Fix: \`git checkout -- generated/lab/\` (or rerun \`npx tsx scripts/lab-sample.ts\`).`);
  return new Response(bytes, { headers: { 'Content-Type': 'application/octet-stream' } });
};
