// The minis: every small model the experiments train on 28×28 Fashion-MNIST-sized inputs, in one table
// that both sides read. models/minis.ts adds what only training needs (the narrow overrides);
// the site names them through the i18n keys atlas.miniModel.<name> and orders and colours them by `order`.
//
//   MINIS.find((m) => m.name === 'vit_mini_patch4_28')   // { short: 'vit', family: 'ViT', kind: 'vit', order: 1 }

/** What a mini is built from: convolutions, global attention, a conv stem feeding attention, or attention in stages. */
export type MiniKind = 'cnn' | 'vit' | 'hybrid' | 'hierarchical';

export interface Mini {
  /** Registry name (models/index.ts). */
  name: string;
  /** Key part for values.json and unit keys: `bias_vit`, `vit-n1000-s0`. */
  short: string;
  /** The family as prose names it: 'ResNet', 'ViT'. */
  family: string;
  kind: MiniKind;
  /** Position in charts and tables (and colour index). */
  order: number;
}

export const MINIS: readonly Mini[] = [
  { name: 'resnet_mini_28', short: 'resnet', family: 'ResNet', kind: 'cnn', order: 0 },
  { name: 'vit_mini_patch4_28', short: 'vit', family: 'ViT', kind: 'vit', order: 1 },
  { name: 'hybrid_mini_28', short: 'hybrid', family: 'Hybrid', kind: 'hybrid', order: 2 },
  { name: 'swin_mini_28', short: 'swin', family: 'Swin', kind: 'hierarchical', order: 3 },
  { name: 'convnext_mini_28', short: 'convnext', family: 'ConvNeXt', kind: 'cnn', order: 4 },
  { name: 'pvt_mini_28', short: 'pvt', family: 'PVT', kind: 'hierarchical', order: 5 },
  { name: 'cvt_mini_28', short: 'cvt', family: 'CvT', kind: 'hybrid', order: 6 },
];

/** Registry names in chart order. */
export const MINI_ORDER: readonly string[] = [...MINIS].sort((a, b) => a.order - b.order).map((m) => m.name);

/** The table row of a mini; throws naming the known minis for any other name. */
export function mini(name: string): Mini {
  const m = MINIS.find((x) => x.name === name);
  if (!m) throw new Error(`'${name}' is not a mini; known: ${MINIS.map((x) => x.name).join(', ')} (contracts/minis.ts)`);
  return m;
}
