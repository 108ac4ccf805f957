/** /lab/models.json: the pool weights the lab runs (src/lib/lab/types.ts). */
import type { APIRoute } from 'astro';
import { labModels } from '~/lib/lab/models';

export const GET: APIRoute = () => new Response(`${JSON.stringify(labModels())}\n`, { headers: { 'Content-Type': 'application/json' } });
