/**
 * Downloads under each chart: /charts/<experiment>/<chart>.json (data), .csv, and
 * .<lang>.vl.json (the localized Vega-Lite spec with its data inline).
 */
import type { APIRoute, GetStaticPaths } from 'astro';
import { CHARTS, getChart, toCsv } from '~/components/charts/registry';
import { LANGS, makeT } from '~/lib/i18n/t';
import { MissingGeneratedError } from '~/lib/generated';

/** Charts whose data exists; an experiment that has not run yet has no downloads. */
async function availableCharts(): Promise<string[]> {
  const ids: string[] = [];
  for (const [id, def] of CHARTS) {
    try {
      await def.load();
      ids.push(id);
    } catch (err) {
      if (!(err instanceof MissingGeneratedError)) throw err;
    }
  }
  return ids;
}

export const getStaticPaths = (async () =>
  (await availableCharts()).flatMap((id) => {
    const [experiment, chart] = id.split('/') as [string, string];
    const files = [`${chart}.json`, `${chart}.csv`, ...LANGS.map((l) => `${chart}.${l}.vl.json`)];
    return files.map((file) => ({ params: { experiment, file }, props: { id } }));
  })) satisfies GetStaticPaths;

export const GET: APIRoute = async ({ params, props }) => {
  const def = getChart((props as { id: string }).id);
  const data = await def.load();
  const rows = def.rows(data);
  const file = params.file!;
  if (file.endsWith('.csv')) return new Response(toCsv(rows), { headers: { 'Content-Type': 'text/csv; charset=utf-8' } });
  const spec = LANGS.find((l) => file.endsWith(`.${l}.vl.json`));
  const body = spec ? def.spec(rows, makeT(spec), spec) : data;
  return new Response(JSON.stringify(body, null, 2), { headers: { 'Content-Type': 'application/json' } });
};
