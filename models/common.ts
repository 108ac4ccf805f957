/** What every family file exports: a config type, a variants table and one builder. */
import type { Builder } from './nn/model';

/** Fields every config has; the rest are the paper table's columns. */
export interface BaseConfig {
  imgSize: number; // square input side, px
  inChans: number;
  numClasses: number;
}

export interface Family<C extends BaseConfig> {
  /** Display name of the family, with the paper: "Swin Transformer (Liu et al. 2021)". */
  family: string;
  variants: Record<string, C>;
  build: (cfg: C) => Builder;
  /** Input sides the architecture admits, for resolution sweeps (e.g. multiples of 32). */
  admits?: (cfg: C, side: number) => boolean;
  /** The same rule in words, recorded with the sweep. */
  admitsRule?: string;
}

/** ImageNet-1k classifier defaults. */
export const IN1K = { imgSize: 224, inChans: 3, numClasses: 1000 } as const;
/** Fashion-MNIST minis: 28×28 grey, 10 classes. */
export const FMNIST = { imgSize: 28, inChans: 1, numClasses: 10 } as const;

export const defineFamily = <C extends BaseConfig>(f: Family<C>): Family<C> => f;
