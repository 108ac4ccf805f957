/**
 * MLP-Mixer — Tolstikhin et al. 2021, "MLP-Mixer: An all-MLP Architecture for Vision", arXiv 2105.01601.
 *
 * Patches → layers of token-mixing MLP (across patches, per channel) and channel-mixing MLP
 * (per patch) → LN → mean over patches → head. No attention. Taps: stem, blockNN, pre_logits.
 */
import type { Graph, T } from './nn/graph';
import { blockName, dropPath, dropPathRates, layerNorm, linear, mlp, patchEmbed } from './layers';
import { defineFamily, IN1K, type BaseConfig } from './common';

export interface MixerConfig extends BaseConfig {
  patchSize: number;
  hiddenDim: number; // C
  depth: number;
  tokensMlpDim: number; // D_S
  channelsMlpDim: number; // D_C
  dropPath: number;
}

function mixerBlock(g: Graph, x: T, cfg: MixerConfig, dp: number): T {
  // Token mixing: MLP over the patch axis, shared across channels (Eq. 1, first line).
  const t = g.transpose(layerNorm(g.at('norm1'), x, 1e-6), [0, 2, 1]); // [B, C, N]
  const mixed = g.mixed(g.transpose(mlp(g.at('mlp_tokens'), t, cfg.tokensMlpDim), [0, 2, 1]), 'global'); // [B, N, C]
  x = g.add(x, dropPath(g, mixed, dp));
  return g.add(x, dropPath(g, mlp(g.at('mlp_channels'), layerNorm(g.at('norm2'), x, 1e-6), cfg.channelsMlpDim), dp));
}

function buildMixer(cfg: MixerConfig) {
  return (g: Graph, x: T): T => {
    let { tokens } = patchEmbed(g.at('stem'), x, cfg.hiddenDim, cfg.patchSize);
    g.tap(tokens, 'stem');
    const rates = dropPathRates(cfg.dropPath, cfg.depth);
    for (let i = 0; i < cfg.depth; i++) {
      const b = g.at(blockName(i));
      tokens = b.tap(mixerBlock(b, tokens, cfg, rates[i]!));
    }
    const pre = g.tap(g.mean(layerNorm(g.at('norm'), tokens, 1e-6), 1), 'pre_logits');
    return linear(g.at('head'), pre, cfg.numClasses);
  };
}

export const MIXER = defineFamily<MixerConfig>({
  family: 'MLP-Mixer (Tolstikhin et al. 2021)',
  variants: {
    // Table 1, B/16: 12 layers, patch 16, hidden C=768, D_S=384, D_C=3072.
    mixer_b16_224: { ...IN1K, patchSize: 16, hiddenDim: 768, depth: 12, tokensMlpDim: 384, channelsMlpDim: 3072, dropPath: 0 },
  },
  build: buildMixer,
  admits: (cfg, side) => side % cfg.patchSize === 0,
  admitsRule: 'multiples of the patch size (16)',
});
