/**
 * Parameters within 2% and multiply-adds within 5% of the published figures, counted from our
 * own graphs. Each row cites where its number comes from; `slug` ties it to the model page whose
 * facts file quotes the same number (checked below, so the page and this table cannot drift).
 */
import { readFileSync, existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { countModel, listModels } from '../../models/index';
import { SITE_SLUGS } from '../../models/site-slugs';

interface PaperRow {
  model: string;
  resolution: number;
  params?: number; // millions
  gmacs?: number; // multiply-adds, billions
  source: string;
  slug?: string;
  /** A documented mismatch (the row is checked to still deviate, within `bound`). */
  deviation?: { why: string; bound: number };
}

export const PAPER: PaperRow[] = [
  { model: 'resnet50', resolution: 224, params: 25.6, gmacs: 3.8, slug: 'resnet-50', source: 'He et al. 2016, Table 1 (3.8×10⁹ FLOPs = multiply-adds, §3.3); params: torchvision docs (25,557,032)' },
  { model: 'convnext_tiny', resolution: 224, params: 29, gmacs: 4.5, slug: 'convnext-t', source: 'Liu et al. 2022, Table 1 (ConvNeXt-T)' },
  { model: 'vit_base_patch16_224', resolution: 224, params: 86, gmacs: 17.5, source: 'Dosovitskiy et al. 2021, Table 1 (ViT-Base); FLOPs: Liu et al. 2021 (Swin), Table 1(a), DeiT-B row (the same network)' },
  { model: 'deit_base_patch16_224', resolution: 224, params: 86, gmacs: 17.5, slug: 'deit-b', source: 'Touvron et al. 2021, Tables 1 and 5; FLOPs: Liu et al. 2021 (Swin), Table 1(a), DeiT-B row' },
  { model: 'vit_base_patch16_224', resolution: 384, params: 86, gmacs: 55.4, slug: 'vit-b16-in1k', source: 'Dosovitskiy et al. 2021, Table 1; FLOPs at 384: Liu et al. 2021 (Swin), Table 1(a), ViT-B/16 row' },
  { model: 'vit_large_patch16_224', resolution: 384, params: 307, gmacs: 190.7, slug: 'vit-l16', source: 'Dosovitskiy et al. 2021, Table 1 (ViT-Large); FLOPs at 384: Liu et al. 2021 (Swin), Table 1(b), ViT-L/16 row' },
  { model: 'deit_tiny_patch16_224', resolution: 224, params: 5.7, gmacs: 1.3, slug: 'deit-ti', source: 'Wang et al. 2021 (PVT), Table 2, DeiT-Tiny/16 row' },
  { model: 'deit_small_patch16_224', resolution: 224, params: 22, gmacs: 4.6, slug: 'deit-s', source: 'Touvron et al. 2021, Table 1; FLOPs: Liu et al. 2021 (Swin), Table 1(a), DeiT-S row' },
  { model: 'vit_base_r50_s16_224', resolution: 384, params: 98.95, gmacs: 67.43, slug: 'r50-vit-b16', source: 'timm model card vit_base_r50_s16_384 (the ViT paper gives no count for R50+ViT-B/16)' },
  { model: 'pvt_small', resolution: 224, params: 24.5, gmacs: 3.8, slug: 'pvt-s', source: 'Wang et al. 2021, Table 2 (PVT-Small)' },
  { model: 'pvt_v2_b2', resolution: 224, params: 25.4, gmacs: 4.0, slug: 'pvtv2-b2', source: 'Wang et al. 2022, Table 2 (PVTv2-B2)' },
  { model: 'swin_tiny_patch4_window7_224', resolution: 224, params: 28, gmacs: 4.5, slug: 'swin-t', source: 'Liu et al. 2021, Table 1(a) (Swin-T)' },
  { model: 'swin_small_patch4_window7_224', resolution: 224, params: 50, gmacs: 8.7, slug: 'swin-s', source: 'Liu et al. 2021, Table 1(a) (Swin-S)' },
  { model: 'swin_base_patch4_window7_224', resolution: 224, params: 88, gmacs: 15.4, slug: 'swin-b', source: 'Liu et al. 2021, Table 1(a) (Swin-B)' },
  { model: 'cvt_13', resolution: 224, params: 20, gmacs: 4.5, slug: 'cvt-13', source: 'Wu et al. 2021, Table 2 (CvT-13); official repo README (microsoft/CvT)' },
  { model: 'coatnet_0_224', resolution: 224, params: 25, gmacs: 4.2, slug: 'coatnet-0', source: 'Dai et al. 2021, Table 4 (CoAtNet-0, ImageNet-1K only)' },
  { model: 'mobilevit_s', resolution: 256, params: 5.6, gmacs: 2.0, slug: 'mobilevit-s', source: 'Mehta & Rastegari 2022, Appendix A, Table 4; GMACs: timm model card mobilevit_s (256×256)' },
  { model: 'levit_256', resolution: 224, params: 19, gmacs: 1.12, slug: 'levit-256', source: 'Graham et al. 2021, Table 1 (LeViT-256: 1120 M FLOPs); official repo README' },
  { model: 'twins_svt_small', resolution: 224, params: 24, gmacs: 2.9, slug: 'twins-svt-s', source: 'Chu et al. 2021, Table 1 (Twins-SVT-S)' },
  { model: 'poolformer_s24', resolution: 224, params: 21, gmacs: 3.4, slug: 'poolformer-s24', source: 'Yu et al. 2022, Table 1 / official repo README (PoolFormer-S24, MACs)' },
  { model: 'mixer_b16_224', resolution: 224, params: 59, gmacs: 12.7, slug: 'mlp-mixer-b16', source: 'Tolstikhin et al. 2021, Table 1 (Mixer-B/16); FLOPs: Liu et al. 2021 (gMLP), ImageNet-1K table' },
  { model: 'maxvit_tiny_tf_224', resolution: 224, params: 31, gmacs: 5.6, slug: 'maxvit-t', source: 'Tu et al. 2022, Table 1 (MaxViT-T); official repo README' },
  { model: 'pit_s_224', resolution: 224, params: 23.5, gmacs: 2.9, slug: 'pit-s', source: 'Heo et al. 2021, Table 3 (PiT-S); official repo README (naver-ai/pit)' },
  { model: 't2t_vit_14', resolution: 224, params: 21.5, gmacs: 4.8, slug: 't2t-vit-14', source: 'Yuan et al. 2021, Tables 1 and 2 (T2T-ViT-14, MACs)' },
  { model: 'efficientnet_b0', resolution: 224, params: 5.3, gmacs: 0.39, slug: 'efficientnet-b0', source: 'Tan & Le 2019, Table 2 (EfficientNet-B0)' },
  { model: 'cait_s24_224', resolution: 224, params: 47, gmacs: 9.4, slug: 'cait-s24', source: 'Touvron et al. 2021 (CaiT), Table 1; official repo README (README_cait.md)' },
  {
    model: 'convit_small',
    resolution: 224,
    params: 27,
    gmacs: 5.4,
    slug: 'convit-s',
    source: "d'Ascoli et al. 2021, Table 1 (ConViT-S)",
    deviation: {
      why: 'Table 1 rounds ConViT-S to 27 M / 5.4 G; the released architecture (432 wide, 12 layers, 10 GPSA) has 27.78 M and 5.75 GMACs, as timm reports too',
      bound: 0.07,
    },
  },
];

const counted = new Map<string, { params: number; gmacs: number }>();
function ours(model: string, resolution: number) {
  const key = `${model}@${resolution}`;
  if (!counted.has(key)) {
    const r = countModel(model, { resolution });
    counted.set(key, { params: r.paramCount / 1e6, gmacs: r.macs / 1e9 });
  }
  return counted.get(key)!;
}
const rel = (a: number, b: number) => Math.abs(a / b - 1);

describe('paper tolerances (params ±2%, multiply-adds ±5%)', () => {
  it.each(PAPER.filter((r) => !r.deviation))('$model @$resolution', (row) => {
    const o = ours(row.model, row.resolution);
    if (row.params !== undefined) expect(rel(o.params, row.params), `params ${o.params.toFixed(2)} M vs ${row.params} M`).toBeLessThanOrEqual(0.02);
    if (row.gmacs !== undefined) expect(rel(o.gmacs, row.gmacs), `MACs ${o.gmacs.toFixed(2)} G vs ${row.gmacs} G`).toBeLessThanOrEqual(0.05);
  });

  it.each(PAPER.filter((r) => r.deviation))('$model @$resolution: documented deviation still holds', (row) => {
    const o = ours(row.model, row.resolution);
    const worst = Math.max(row.params ? rel(o.params, row.params) : 0, row.gmacs ? rel(o.gmacs, row.gmacs) : 0);
    expect(worst).toBeGreaterThan(0.02); // if this fails, the deviation is gone: move the row up
    expect(worst).toBeLessThanOrEqual(row.deviation!.bound);
  });

  it('at least 20 architectures match their published parameter count within 2%', () => {
    const ok = new Set(PAPER.filter((r) => !r.deviation && r.params !== undefined && rel(ours(r.model, r.resolution).params, r.params) <= 0.02).map((r) => r.model));
    expect(ok.size).toBeGreaterThanOrEqual(20);
  });

  it('every row names a registered model', () => {
    for (const r of PAPER) expect(listModels()).toContain(r.model);
  });
});

describe('the table agrees with the model pages (src/content/models)', () => {
  const fact = (text: string, key: 'params_m' | 'flops_g') => {
    const m = new RegExp(`^\\s*${key}:\\s*\\{\\s*value:\\s*([0-9.]+)`, 'm').exec(text);
    return m ? Number(m[1]) : undefined;
  };
  it.each(PAPER.filter((r) => r.slug))('$slug', (row) => {
    const path = `src/content/models/${row.slug}.yaml`;
    expect(SITE_SLUGS[row.slug!]).toEqual({ model: row.model, resolution: row.resolution });
    if (!existsSync(path)) return; // page not written yet
    const text = readFileSync(path, 'utf8');
    const p = fact(text, 'params_m');
    const f = fact(text, 'flops_g');
    if (p !== undefined) expect(p).toBe(row.params);
    if (f !== undefined) expect(f).toBe(row.gmacs);
  });
});
