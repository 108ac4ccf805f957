/**
 * LeViT — Graham et al. 2021, "LeViT: a Vision Transformer in ConvNet's Clothing for Faster
 * Inference", arXiv 2104.01136.
 *
 * A 4-conv stem (3×3/2 each, 224 → 14×14), then three attention stages on BN-normalised
 * tokens: Linear+BN everywhere (no LayerNorm), Hardswish, learned per-head attention biases
 * over |Δ| offsets, value width 2·key dim, and "shrink" attention between stages (queries
 * subsampled by 2, value width 4·key dim). Two heads (class, distillation) averaged at test.
 * Taps: stem, stage1…3, stageS.blockNN.attn.
 */
import type { Graph, T } from './nn/graph';
import { attend, batchNorm, blockName, conv, linear } from './layers';
import { zeros } from './nn/rng';
import { defineFamily, IN1K, type BaseConfig } from './common';

export interface LevitConfig extends BaseConfig {
  embedDims: number[]; // D per stage
  keyDim: number; // per head
  numHeads: number[];
  depths: number[];
  attnRatio: number; // value width / key width in stage blocks (2)
  mlpRatio: number; // 2
  downAttnRatio: number; // in the shrink attention (4)
  distillation: boolean;
}

/** Linear (no bias) + BatchNorm over tokens: LeViT's basic projection. */
function linearNorm(g: Graph, x: T, out: number): T {
  return batchNorm(g.at('bn'), linear(g.at('linear'), x, out, { bias: false }));
}

/** Learned bias per head and |Δy|·W + |Δx| offset between query and key positions: [h, Nq, Nk]. */
function attentionBias(g: Graph, heads: number, res: number, qStride: number): T {
  const qRes = Math.ceil(res / qStride);
  const table = g.param('attention_biases', [res * res, heads], zeros);
  const idx = g.constant(`levit_bias${res}s${qStride}`, [qRes * qRes * res * res], 'int32', () => {
    const out = new Int32Array(qRes * qRes * res * res);
    let n = 0;
    for (let qi = 0; qi < qRes * qRes; qi++) {
      const qy = Math.floor(qi / qRes) * qStride;
      const qx = (qi % qRes) * qStride;
      for (let ki = 0; ki < res * res; ki++) out[n++] = Math.abs(qy - Math.floor(ki / res)) * res + Math.abs(qx - (ki % res));
    }
    return out;
  });
  const b = g.reshape(g.gather(table, idx), [qRes * qRes, res * res, heads]); // [Nq, Nk, h]
  return g.transpose(b, [2, 0, 1]); // [h, Nq, Nk]
}

function levitAttention(g: Graph, x: T, heads: number, keyDim: number, valDim: number, res: number, out: number): T {
  const qkv = linearNorm(g.at('qkv'), x, heads * (2 * keyDim + valDim)); // [B, N, h·(2·kd + vd)]
  const [B, N] = qkv.shape as [number, number, number];
  const part = (start: number, width: number) => g.slice(qkv, [0, 0, start], [B, N, width]);
  const q = part(0, heads * keyDim);
  const k = part(heads * keyDim, heads * keyDim);
  const v = part(2 * heads * keyDim, heads * valDim);
  const bias = attentionBias(g, heads, res, 1);
  const y = attend(g, q, k, v, heads, { bias: (gg, logits) => gg.add(logits, bias) });
  return linearNorm(g.at('proj'), g.act(y, 'hardswish'), out);
}

/** Shrink attention (§4.2 "Downsampling"): queries from the 2×-subsampled grid, keys/values from all. */
function levitSubsample(g: Graph, x: T, heads: number, keyDim: number, valDim: number, res: number, out: number): T {
  const [B, , C] = x.shape as [number, number, number];
  const kv = linearNorm(g.at('kv'), x, heads * (keyDim + valDim));
  const k = g.slice(kv, [0, 0, 0], [B, res * res, heads * keyDim]);
  const v = g.slice(kv, [0, 0, heads * keyDim], [B, res * res, heads * valDim]);
  const qRes = Math.ceil(res / 2);
  const map = g.reshape(x, [B, res, res, C]);
  const sub = g.reshape(g.maxPool(map, 1, 2, 0), [B, qRes * qRes, C]); // x[:, ::2, ::2]: a 1×1 stride-2 pick
  const q = linearNorm(g.at('q'), sub, heads * keyDim);
  const bias = attentionBias(g, heads, res, 2);
  const y = attend(g, q, k, v, heads, { bias: (gg, logits) => gg.add(logits, bias) });
  return linearNorm(g.at('proj'), g.act(y, 'hardswish'), out);
}

function levitMlp(g: Graph, x: T, hidden: number): T {
  const C = x.shape[2]!;
  return linearNorm(g.at('ln2'), g.act(linearNorm(g.at('ln1'), x, hidden), 'hardswish'), C);
}

function buildLevit(cfg: LevitConfig) {
  return (g: Graph, x: T): T => {
    // Stem b16: four 3×3/2 conv+BN, Hardswish between (§4.2 "Patch embedding").
    const D0 = cfg.embedDims[0]!;
    let y = x;
    [D0 / 8, D0 / 4, D0 / 2, D0].forEach((c, i) => {
      const s = g.at('stem').at(`conv${i + 1}`);
      y = batchNorm(s.at('bn'), conv(s.at('conv'), y, c, 3, { stride: 2, pad: 1, bias: false }));
      if (i < 3) y = g.act(y, 'hardswish');
    });
    g.tap(y, 'stem');
    let res = y.shape[1]!;
    const [B] = y.shape as [number];
    let t = g.reshape(y, [B, res * res, D0]); // [B, N, D]
    let k = 0;
    cfg.depths.forEach((depth, s) => {
      const st = g.at(`stage${s + 1}`);
      const D = cfg.embedDims[s]!;
      if (s > 0) {
        const prev = cfg.embedDims[s - 1]!;
        const heads = prev / cfg.keyDim;
        t = levitSubsample(st.at('downsample').at('attn'), t, heads, cfg.keyDim, cfg.downAttnRatio * cfg.keyDim, res, D);
        res = Math.ceil(res / 2);
        t = g.add(t, levitMlp(st.at('downsample').at('mlp'), t, cfg.mlpRatio * D));
      }
      for (let j = 0; j < depth; j++, k++) {
        const b = st.at(blockName(k));
        t = g.add(t, levitAttention(b.at('attn'), t, cfg.numHeads[s]!, cfg.keyDim, cfg.attnRatio * cfg.keyDim, res, D));
        t = g.add(t, levitMlp(b.at('mlp'), t, cfg.mlpRatio * D));
      }
      g.tap(g.reshape(t, [B, res, res, D]), `stage${s + 1}`);
    });
    const pre = g.tap(g.mixed(g.mean(t, 1), 'global'), 'pre_logits'); // [B, D]
    const head = (name: string) => linear(g.at(name).at('linear'), batchNorm(g.at(name).at('bn'), pre), cfg.numClasses);
    if (!cfg.distillation) return head('head');
    return g.mul(g.add(head('head'), head('head_dist')), 0.5); // the two heads, averaged at test time
  };
}

export const LEVIT = defineFamily<LevitConfig>({
  family: 'LeViT (Graham et al. 2021)',
  variants: {
    // Table 2, LeViT-256: D=256/384/512, heads 4/6/8, 4 blocks per stage, key dim 32; distillation head.
    levit_256: { ...IN1K, embedDims: [256, 384, 512], keyDim: 32, numHeads: [4, 6, 8], depths: [4, 4, 4], attnRatio: 2, mlpRatio: 2, downAttnRatio: 4, distillation: true },
  },
  build: buildLevit,
  admits: (_cfg, side) => side % 16 === 0,
  admitsRule: 'multiples of 16 (four stride-2 stem convs)',
});
