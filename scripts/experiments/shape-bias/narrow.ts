// The narrow minis: the zoo's 28×28 minis with width and depth cut so that the shape-bias and
// data-efficiency grids (18 and 90 trainings, ≥3 seeds each) fit about 20 minutes on 2 CPU cores.
// Each keeps its family's defining parts: ResNet's residual 3×3 stages, ConvNeXt's 7×7 depthwise
// blocks, ViT's 4×4 patchify + global attention, the hybrid's 3-conv stem before the same
// Transformer, Swin's shifted 7×7 windows and patch merging, PVT v2's overlapping patch embedding
// and spatial-reduction attention. They have 20k–40k parameters, the Swin 137k (the minis 175k–256k).
//
//   createModel(name, { ...NARROW[name], numClasses: 8 }, { seed })
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

/** Which family a mini belongs to, for charts and verdicts. */
export const KIND: Readonly<Record<string, 'cnn' | 'vit' | 'hybrid' | 'hierarchical'>> = {
  resnet_mini_28: 'cnn',
  convnext_mini_28: 'cnn',
  vit_mini_patch4_28: 'vit',
  hybrid_mini_28: 'hybrid',
  swin_mini_28: 'hierarchical',
  pvt_mini_28: 'hierarchical',
};

export function narrowOverrides(model: string): Record<string, number | number[]> {
  const o = NARROW[model];
  if (!o) throw new Error(`no narrow setting for '${model}'; known: ${Object.keys(NARROW).join(', ')}`);
  return o;
}
