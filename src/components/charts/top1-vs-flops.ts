import { getCollection } from 'astro:content';
import type { ChartDef } from './types';
import { chartConfig, PALETTE } from './theme';
import { GROUPS, type Group } from '~/lib/models/schema';
import { formatNumber } from '~/lib/i18n/t';

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
    return {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: t('atlas.chart.top1Flops.title'),
      description: t('atlas.chart.top1Flops.caption'),
      width: 560,
      height: 340,
      config: chartConfig,
      data: { values: rows.map((r) => ({ ...r, groupLabel: label(String(r.group)) })) },
      layer: [
        {
          mark: { type: 'point', size: 70, strokeWidth: 2, tooltip: true },
          encoding: {
            x: { field: 'gmacs', type: 'quantitative', title: t('atlas.chart.top1Flops.x'), scale: { type: 'log' } },
            y: { field: 'top1', type: 'quantitative', title: t('atlas.chart.top1Flops.y'), scale: { zero: false } },
            color: {
              field: 'groupLabel',
              type: 'nominal',
              title: t('atlas.facts.groups'),
              scale: { domain: groups.map(label), range: groups.map((g) => PALETTE[GROUPS.indexOf(g) % PALETTE.length]!) },
            },
            fill: {
              condition: { test: 'datum.pretrained', value: 'white' },
              field: 'groupLabel',
              type: 'nominal',
              legend: null,
              scale: { domain: groups.map(label), range: groups.map((g) => PALETTE[GROUPS.indexOf(g) % PALETTE.length]!) },
            },
            tooltip: [
              { field: 'name', type: 'nominal', title: t('atlas.list.model') },
              { field: 'gmacs', type: 'quantitative', title: 'GMACs' },
              { field: 'top1', type: 'quantitative', title: 'top-1' },
            ],
          },
        },
        {
          mark: { type: 'text', align: 'left', dx: 6, dy: -6, fontSize: 9, color: '#555' },
          encoding: {
            x: { field: 'gmacs', type: 'quantitative' },
            y: { field: 'top1', type: 'quantitative' },
            text: { field: 'name' },
          },
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
