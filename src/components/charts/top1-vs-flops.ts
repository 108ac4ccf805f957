import { getCollection } from 'astro:content';
import type { ChartDef } from './types';
import { chartConfig, INK, MIN_FONT, PALETTE } from './theme';
import { GROUPS, type Group } from '~/lib/models/schema';
import { formatNumber, type Lang, type Translate } from '~/lib/i18n/t';
import { frontier } from './frontier';
import { placeLabels } from './label-placement';

/** One colour per point needs one value per model: its family, from its groups. */
export const FAMILIES = ['cnn', 'vit', 'hybrid', 'no-attention'] as const;
export type Family = (typeof FAMILIES)[number];
const HYBRID_PATTERNS: Group[] = ['conv-stem', 'kv-downsampling', 'conv-in-block', 'local-attention', 'hierarchical'];

/** CNN or ViT alone; any hybrid pattern makes a hybrid; MLP/pooling mixers are their own family. */
export function familyOf(groups: readonly Group[]): Family {
  if (groups.includes('no-attention')) return 'no-attention';
  if (groups.some((g) => HYBRID_PATTERNS.includes(g))) return 'hybrid';
  if (groups.includes('vit')) return 'vit';
  if (groups.includes('cnn')) return 'cnn';
  throw new Error(`a model with groups [${groups.join(', ')}] has no family: extend familyOf in src/components/charts/top1-vs-flops.ts`);
}
const FAMILY_COLOUR: Record<Family, string> = {
  cnn: PALETTE[GROUPS.indexOf('cnn') % PALETTE.length]!,
  vit: PALETTE[GROUPS.indexOf('vit') % PALETTE.length]!,
  hybrid: PALETTE[GROUPS.indexOf('conv-in-block') % PALETTE.length]!,
  'no-attention': PALETTE[GROUPS.indexOf('no-attention') % PALETTE.length]!,
};
const familyLabel = (t: Translate, f: Family) => (f === 'hybrid' ? t('atlas.chart.top1Flops.hybrid') : t(`atlas.group.${f}`));

interface Point {
  slug: string;
  name: string;
  year: number;
  family: Family;
  groups: string;
  gmacs: number;
  top1: number;
  pretrained: boolean;
}
/** A model that cannot be plotted, and which fact it lacks. */
interface Missing {
  slug: string;
  name: string;
  lacks: ('top1' | 'flops')[];
}
interface ModelList {
  points: Point[];
  missing: Missing[];
}

const WIDTH = 600;
const HEIGHT = 380;
const POINT_SIZE = 80; // area in px²

/** Names on the accuracy/compute frontier and for extra-data models, where they fit without overlapping. */
function labelled(points: Point[]) {
  const xs = points.map((p) => p.gmacs);
  const ys = points.map((p) => p.top1);
  const x0 = Math.min(...xs) / 1.5;
  const x1 = Math.max(...xs) * 1.5;
  const y0 = Math.floor(Math.min(...ys)) - 1;
  const y1 = Math.ceil(Math.max(...ys)) + 1;
  const px = (x: number) => (WIDTH * Math.log(x / x0)) / Math.log(x1 / x0);
  const py = (y: number) => HEIGHT * (1 - (y - y0) / (y1 - y0));
  const onFrontier = frontier(points);
  const wanted = points
    .map((p, i) => ({ p, i, rank: onFrontier[i] ? 0 : p.pretrained ? 1 : 2 }))
    .filter((w) => w.rank < 2)
    .sort((a, b) => a.rank - b.rank || a.p.gmacs - b.p.gmacs);
  const placed = placeLabels(
    points.map((p) => ({ x: px(p.gmacs), y: py(p.top1) })),
    wanted.map((w) => ({ x: px(w.p.gmacs), y: py(w.p.top1), text: w.p.name })),
    { width: WIDTH, height: HEIGHT, fontSize: MIN_FONT, pointRadius: Math.sqrt(POINT_SIZE) / 2 + 1 },
  );
  // Back to data units, so the labels sit on the same scales as the points.
  const labels = placed.flatMap((l) =>
    l ? [{ text: l.text, lx: x0 * Math.exp((l.x / WIDTH) * Math.log(x1 / x0)), ly: y0 + (1 - l.y / HEIGHT) * (y1 - y0) }] : [],
  );
  return { labels, x: [x0, x1], y: [y0, y1] };
}

function missingNote(missing: Missing[], t: Translate, lang: Lang): string {
  if (!missing.length) return '';
  const why = (m: Missing) => m.lacks.map((k) => t(`atlas.chart.top1Flops.lacks.${k}`)).join(lang === 'ja' ? '・' : ', ');
  const list = missing.map((m) => (lang === 'ja' ? `${m.name}（${why(m)}）` : `${m.name} (${why(m)})`)).join(lang === 'ja' ? '、' : '; ');
  return t('atlas.chart.top1Flops.missing', { count: missing.length, list });
}

export const top1VsFlops: ChartDef<ModelList> = {
  id: 'model-list/top1-vs-flops',
  titleKey: 'atlas.chart.top1Flops.title',
  captionKey: 'atlas.chart.top1Flops.caption',
  source: 'src/content/models/*.yaml',
  // One "name: GMACs, top-1" entry per model: the model table above the chart, again.
  indexDescription: false,
  async load() {
    const models = (await getCollection('models')).sort((a, b) => a.id.localeCompare(b.id));
    const points: Point[] = [];
    const missing: Missing[] = [];
    for (const m of models) {
      const { flops_g: flops, top1, pretrain } = m.data.facts;
      if (!flops || !top1) {
        missing.push({ slug: m.id, name: m.data.name, lacks: [...(top1 ? [] : ['top1' as const]), ...(flops ? [] : ['flops' as const])] });
        continue;
      }
      points.push({
        slug: m.id,
        name: m.data.name,
        year: m.data.paper.year,
        family: familyOf(m.data.groups),
        groups: m.data.groups.join(' '),
        // GFLOPs reported as real FLOPs are halved so every point is in multiply-adds.
        gmacs: flops.counts === 'macs' ? flops.value : flops.value / 2,
        top1: top1.value,
        pretrained: Boolean(pretrain),
      });
    }
    return { points, missing };
  },
  rows(data) {
    return data.points.map((p) => ({ ...p }));
  },
  spec(rows, t) {
    const points = rows as unknown as Point[];
    const families = FAMILIES.filter((f) => points.some((p) => p.family === f));
    const { labels, x, y } = labelled(points);
    const data = points.map((p) => ({
      ...p,
      familyLabel: familyLabel(t, p.family),
      groupLabels: p.groups.split(' ').map((g) => t(`atlas.group.${g}`)).join(', '),
      data: p.pretrained ? t('atlas.chart.top1Flops.pretrained') : t('atlas.facts.pretrainDefault'),
    }));
    const xEnc = { type: 'quantitative', title: t('atlas.chart.top1Flops.x'), scale: { type: 'log', domain: x, nice: false } } as const;
    const yEnc = { type: 'quantitative', title: t('atlas.chart.top1Flops.y'), scale: { domain: y, nice: false, zero: false } } as const;
    return {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: t('atlas.chart.top1Flops.title'),
      description: t('atlas.chart.top1Flops.caption'),
      width: WIDTH,
      height: HEIGHT,
      config: chartConfig,
      layer: [
        {
          data: { values: data },
          mark: { type: 'point', size: POINT_SIZE, filled: true, opacity: 0.9, stroke: INK, strokeWidth: 0.5 },
          encoding: {
            x: { field: 'gmacs', ...xEnc },
            y: { field: 'top1', ...yEnc },
            color: {
              field: 'familyLabel',
              type: 'nominal',
              title: t('atlas.chart.top1Flops.family'),
              scale: { domain: families.map((f) => familyLabel(t, f)), range: families.map((f) => FAMILY_COLOUR[f]) },
            },
            shape: {
              field: 'data',
              type: 'nominal',
              title: t('atlas.facts.pretrain'),
              scale: { domain: [t('atlas.facts.pretrainDefault'), t('atlas.chart.top1Flops.pretrained')], range: ['circle', 'diamond'] },
              // Filled like the points (a legend symbol is hollow by default).
              legend: { symbolFillColor: INK, symbolStrokeColor: INK, symbolOpacity: 0.9 },
            },
            tooltip: [
              { field: 'name', type: 'nominal', title: t('atlas.list.model') },
              { field: 'groupLabels', type: 'nominal', title: t('atlas.facts.groups') },
              { field: 'gmacs', type: 'quantitative', title: 'GMACs' },
              { field: 'top1', type: 'quantitative', title: 'top-1 (%)' },
            ],
          },
        },
        {
          data: { values: labels },
          mark: { type: 'text', align: 'left', baseline: 'middle', fontSize: MIN_FONT, color: INK },
          encoding: { x: { field: 'lx', ...xEnc }, y: { field: 'ly', ...yEnc }, text: { field: 'text' } },
        },
      ],
    };
  },
  describe(data, t, lang) {
    const list = [...data.points]
      .sort((a, b) => a.gmacs - b.gmacs)
      .map((p) => `${p.name}: ${formatNumber(p.gmacs, lang, 1)} GMACs, ${formatNumber(p.top1, lang, 1)}%`)
      .join(lang === 'ja' ? '、' : '; ');
    const main = lang === 'ja' ? `${data.points.length} モデル（計算量の小さい順）: ${list}。` : `${data.points.length} models, by compute: ${list}.`;
    const note = missingNote(data.missing, t, lang);
    return note ? `${main} ${note}` : main;
  },
  note(data, t, lang) {
    return missingNote(data.missing, t, lang);
  },
};
