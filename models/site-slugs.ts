/**
 * Model pages (src/content/models/<slug>.yaml) ↔ zoo registry names. `resolution` is the input
 * side at which the page's facts were measured, so a page compares like with like (ViT-B/16's
 * page quotes its 384 px fine-tuned model; MobileViT runs at 256).
 */
export interface SiteModel {
  model: string; // registry name (models/index.ts)
  resolution: number;
}

export const SITE_SLUGS: Readonly<Record<string, SiteModel>> = {
  'resnet-50': { model: 'resnet50', resolution: 224 },
  'convnext-t': { model: 'convnext_tiny', resolution: 224 },
  'vit-b16-in1k': { model: 'vit_base_patch16_224', resolution: 384 },
  'vit-b16-in21k': { model: 'vit_base_patch16_224', resolution: 384 },
  'vit-l16': { model: 'vit_large_patch16_224', resolution: 384 },
  'deit-ti': { model: 'deit_tiny_patch16_224', resolution: 224 },
  'deit-s': { model: 'deit_small_patch16_224', resolution: 224 },
  'deit-b': { model: 'deit_base_patch16_224', resolution: 224 },
  'r50-vit-b16': { model: 'vit_base_r50_s16_224', resolution: 384 },
  'pvt-s': { model: 'pvt_small', resolution: 224 },
  'pvtv2-b2': { model: 'pvt_v2_b2', resolution: 224 },
  'swin-t': { model: 'swin_tiny_patch4_window7_224', resolution: 224 },
  'swin-s': { model: 'swin_small_patch4_window7_224', resolution: 224 },
  'swin-b': { model: 'swin_base_patch4_window7_224', resolution: 224 },
  'cvt-13': { model: 'cvt_13', resolution: 224 },
  'coatnet-0': { model: 'coatnet_0_224', resolution: 224 },
  'mobilevit-s': { model: 'mobilevit_s', resolution: 256 },
  'levit-256': { model: 'levit_256', resolution: 224 },
  'twins-svt-s': { model: 'twins_svt_small', resolution: 224 },
  'poolformer-s24': { model: 'poolformer_s24', resolution: 224 },
  'mlp-mixer-b16': { model: 'mixer_b16_224', resolution: 224 },
  'maxvit-t': { model: 'maxvit_tiny_tf_224', resolution: 224 },
  'convit-s': { model: 'convit_small', resolution: 224 },
  'pit-s': { model: 'pit_s_224', resolution: 224 },
  't2t-vit-14': { model: 't2t_vit_14', resolution: 224 },
  'efficientnet-b0': { model: 'efficientnet_b0', resolution: 224 },
  'cait-s24': { model: 'cait_s24_224', resolution: 224 },
};

/** Slugs whose page shows this registry model. */
export function slugsFor(model: string): string[] {
  return Object.entries(SITE_SLUGS)
    .filter(([, m]) => m.model === model)
    .map(([slug]) => slug);
}
