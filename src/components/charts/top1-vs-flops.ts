import { getCollection } from 'astro:content';
import type { ChartDef } from './types';
import { chartConfig, PALETTE, INK, MIN_FONT } from './theme';
import { GROUPS, type Group } from '~/lib/models/schema';
import { formatNumber } from '~/lib/i18n/t';
import { frontier } from './frontier';

interface Point {
  slug: string;
  name: string;
  year: number;
  group: Group;
  gmacs: number;
  top1: number;
  pretrained: boolean;
}

/** The group a point is coloured by: the most specific tag (hybrid patterns before cnn/vit). */
const COLOUR_ORDER: Group[] = ['conv-stem', 'kv-downsampling', 'conv-in-block', 'local-attention', 'no-attention', 'cnn', 'vit', 'hierarchical'];
export const primaryGroup = (groups: readonly Group[]): Group => COLOUR_ORDER.find((g) => groups.includes(g)) ?? groups[0]!;

const ROWS_WITH_LABELS = (points: Point[]) => {
  const onFrontier = frontier(points);
  return points.map((p, i) => ({ ...p, label: onFrontier[i] || p.pretrained ? p.name : '' }));
};

export const top1VsFlops: ChartDef<Point[]> = {
  id: 'model-list/top1-vs-flops',
  titleKey: 'atlas.chart.top1Flops.title',
  captionKey: 'atlas.chart.top1Flops.caption',
  source: 'src/content/models/*.yaml',
  async load() {
    const models = await getCollection('models');
    return models
      .filter((m) => m.data.facts.flops_g && m.data.facts.top1)
      .map((m) => ({
        slug: m.id,
        name: m.data.name,
        year: m.data.paper.year,
        group: primaryGroup(m.data.groups),
        // GFLOPs reported as real FLOPs are halved so every point is in multiply-adds.
        gmacs: m.data.facts.flops_g!.counts === 'macs' ? m.data.facts.flops_g!.value : m.data.facts.flops_g!.value / 2,
        top1: m.data.facts.top1!.value,
        pretrained: Boolean(m.data.facts.pretrain),
      }))
      .sort((a, b) => a.slug.localeCompare(b.slug));
  },
  rows(points) {
    return points.map((p) => ({ ...p }));
  },
  spec(rows, t) {
    const groups = COLOUR_ORDER.filter((g) => rows.some((r) => r.group === g));
    const label = (g: string) => t(`atlas.group.${g}`);
    const data = ROWS_WITH_LABELS(rows as unknown as Point[]).map((r) => ({
      ...r,
      groupLabel: label(r.group),
      data: r.pretrained ? t('atlas.chart.top1Flops.pretrained') : t('atlas.facts.pretrainDefault'),
    }));
    const xs = data.map((d) => d.gmacs);
    const colour = { domain: groups.map(label), range: groups.map((g) => PALETTE[GROUPS.indexOf(g) % PALETTE.length]!) };
    return {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: t('atlas.chart.top1Flops.title'),
      description: t('atlas.chart.top1Flops.caption'),
      width: 600,
      height: 380,
      config: chartConfig,
      data: { values: data },
      encoding: {
        x: {
          field: 'gmacs',
          type: 'quantitative',
          title: t('atlas.chart.top1Flops.x'),
          scale: { type: 'log', domain: [Math.min(...xs) / 1.5, Math.max(...xs) * 1.5], nice: false },
        },
        y: { field: 'top1', type: 'quantitative', title: t('atlas.chart.top1Flops.y'), scale: { zero: false } },
      },
      layer: [
        {
          mark: { type: 'point', size: 80, filled: true, opacity: 0.9, stroke: INK, strokeWidth: 0.5 },
          encoding: {
            color: { field: 'groupLabel', type: 'nominal', title: t('atlas.facts.groups'), scale: colour },
            shape: {
              field: 'data',
              type: 'nominal',
              title: t('atlas.facts.pretrain'),
              scale: { domain: [t('atlas.facts.pretrainDefault'), t('atlas.chart.top1Flops.pretrained')], range: ['circle', 'diamond'] },
            },
            tooltip: [
              { field: 'name', type: 'nominal', title: t('atlas.list.model') },
              { field: 'groupLabel', type: 'nominal', title: t('atlas.facts.groups') },
              { field: 'gmacs', type: 'quantitative', title: 'GMACs' },
              { field: 'top1', type: 'quantitative', title: 'top-1 (%)' },
            ],
          },
        },
        {
          // Names only on the accuracy/compute frontier and for extra-data models: the dense middle stays readable.
          transform: [{ filter: "datum.label != ''" }],
          mark: { type: 'text', align: 'left', dx: 7, dy: -7, fontSize: MIN_FONT, color: INK },
          encoding: { text: { field: 'label' } },
        },
      ],
    };
  },
  describe(points, t, lang) {
    const list = [...points]
      .sort((a, b) => a.gmacs - b.gmacs)
      .map((p) => `${p.name}: ${formatNumber(p.gmacs, lang, 1)} GMACs, ${formatNumber(p.top1, lang, 1)}%`)
      .join(lang === 'ja' ? '、' : '; ');
    return lang === 'ja' ? `${points.length} モデル（計算量の小さい順）: ${list}。` : `${points.length} models, by compute: ${list}.`;
  },
};
