// The minis (contracts/minis.ts: name, short name, family, kind, order) and their narrow versions: the
// zoo's 28×28 minis with width and depth cut so that the shape-bias and data-efficiency grids (18 and 90
// trainings, ≥3 seeds each) fit about 20 minutes on 2 CPU cores. Each narrow mini keeps its family's
// defining parts: ResNet's residual 3×3 stages, ConvNeXt's 7×7 depthwise blocks, ViT's 4×4 patchify +
// global attention, the hybrid's 3-conv stem before the same Transformer, Swin's shifted 7×7 windows and
// patch merging, PVT v2's overlapping patch embedding and spatial-reduction attention. They have 20k–40k
// parameters, the Swin 137k (the minis 175k–256k).
//
//   createModel(name, { ...narrowOverrides(name), numClasses: 8 }, { seed })
import { mini, type MiniKind } from '../contracts/minis';

export { MINIS, MINI_ORDER, mini, type Mini, type MiniKind } from '../contracts/minis';

export const NARROW: Readonly<Record<string, Record<string, number | number[]>>> = {
  resnet_mini_28: { stemWidth: 8, widths: [8, 16, 32], layers: [1, 1, 1] },
  convnext_mini_28: { dims: [20, 40], depths: [1, 1] },
  vit_mini_patch4_28: { embedDim: 32, depth: 3, numHeads: 2 },
  // One Transformer block fewer than the ViT: the conv stem takes its place (Xiao et al. 2021).
  hybrid_mini_28: { embedDim: 32, depth: 2, numHeads: 2, backboneWidths: [8, 16, 32] },
  // Width 32 as in the mini: at 16 or 24 it learned too slowly in a pilot (27% vs 43% on Fashion-MNIST
  // after 100 steps), which leaves it with more parameters than the others (137k).
  swin_mini_28: { embedDim: 32, depths: [2, 2], numHeads: [2, 4] },
  pvt_mini_28: { embedDims: [24, 48], depths: [1, 1], numHeads: [1, 2] },
};

export function narrowOverrides(model: string): Record<string, number | number[]> {
  const o = NARROW[model];
  if (!o) throw new Error(`no narrow setting for '${model}'; known: ${Object.keys(NARROW).join(', ')}`);
  return o;
}

/** The short name of a mini (`vit`), or a key-safe form of any other model name. */
export const shortName = (model: string): string => (isMini(model) ? mini(model).short : model.replace(/[^a-z0-9]+/gi, '_'));
/** The family name of a mini ('ViT'), or the model name itself. */
export const familyName = (model: string): string => (isMini(model) ? mini(model).family : model);
/** The kind of a mini, 'other' for any other model. */
export const kindOf = (model: string): MiniKind | 'other' => (isMini(model) ? mini(model).kind : 'other');
function isMini(model: string): boolean {
  try { mini(model); return true; } catch { return false; }
}
