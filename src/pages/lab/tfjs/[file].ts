/**
 * tfjs-backend-wasm's WebAssembly files, served by the site itself (/lab/tfjs/<file>.wasm), so the
 * lab needs no other origin. Copied from the installed package, whose version matches the JS that loads them.
 */
import type { APIRoute, GetStaticPaths } from 'astro';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const DIR = join(process.cwd(), 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
const FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];

export const getStaticPaths = (() => FILES.map((file) => ({ params: { file } }))) satisfies GetStaticPaths;

export const GET: APIRoute = ({ params }) =>
  new Response(readFileSync(join(DIR, params.file!)), { headers: { 'Content-Type': 'application/wasm' } });
