/** Route parameters of the static model-list pages per group and per year (both languages share them). */
import { getModels } from './load';
import { GROUPS } from './schema';

export async function groupPaths() {
  const models = await getModels();
  return GROUPS.filter((g) => models.some((m) => m.data.groups.includes(g))).map((group) => ({ params: { group }, props: { group } }));
}

export async function yearPaths() {
  const models = await getModels();
  return [...new Set(models.map((m) => m.data.paper.year))].sort().map((year) => ({ params: { year: String(year) }, props: { year } }));
}
