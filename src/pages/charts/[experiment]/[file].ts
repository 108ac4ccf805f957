/**
 * Downloads under each chart: /charts/<experiment>/<chart>.json (data), .csv, and
 * .<lang>.vl.json (the localized Vega-Lite spec with its data inline). Heavy charts also get
 * .<lang>.<theme>.svg, the files their pages show as lazily loaded images (charts/svg-file.ts).
 */
import type { APIRoute, GetStaticPaths } from 'astro';
import { CHARTS, getChart, toCsv } from '~/components/charts/registry';
import { LANGS, makeT, type Lang } from '~/lib/i18n/t';
import { chartSvg, isHeavy, svgFileName, themedSvg, THEMES, type Theme } from '~/components/charts/svg-file';
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

/** The SVG files of a heavy chart, with the language and theme of each. */
async function svgFiles(id: string): Promise<{ file: string; lang: Lang; theme: Theme }[]> {
  const def = getChart(id);
  const data = await def.load();
  const chart = id.split('/')[1]!;
  const files = [];
  for (const lang of LANGS) {
    if (!isHeavy(await chartSvg(def, data, lang))) continue;
    for (const theme of THEMES) files.push({ file: svgFileName(chart, lang, theme), lang, theme });
  }
  return files;
}

export const getStaticPaths = (async () => {
  const paths = [];
  for (const id of await availableCharts()) {
    const [experiment, chart] = id.split('/') as [string, string];
    const files = [`${chart}.json`, `${chart}.csv`, ...LANGS.map((l) => `${chart}.${l}.vl.json`)];
    paths.push(...files.map((file) => ({ params: { experiment, file }, props: { id } })));
    for (const svg of await svgFiles(id)) paths.push({ params: { experiment, file: svg.file }, props: { id, lang: svg.lang, theme: svg.theme } });
  }
  return paths;
}) satisfies GetStaticPaths;

export const GET: APIRoute = async ({ params, props }) => {
  const def = getChart((props as { id: string }).id);
  const data = await def.load();
  const rows = def.rows(data);
  const file = params.file!;
  const { lang, theme } = props as { lang?: Lang; theme?: Theme };
  if (lang && theme) {
    return new Response(themedSvg(await chartSvg(def, data, lang), theme), { headers: { 'Content-Type': 'image/svg+xml' } });
  }
  if (file.endsWith('.csv')) return new Response(toCsv(rows), { headers: { 'Content-Type': 'text/csv; charset=utf-8' } });
  const spec = LANGS.find((l) => file.endsWith(`.${l}.vl.json`));
  const body = spec ? def.spec(rows, makeT(spec), spec) : data;
  return new Response(JSON.stringify(body, null, 2), { headers: { 'Content-Type': 'application/json' } });
};
