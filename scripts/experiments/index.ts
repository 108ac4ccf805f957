// The experiments the runner knows, in one explicit list (no discovery by file name). Add a new
// experiment module here; `npm run experiments -- --list-units` shows its units.
import type { Experiment } from '../lib/experiments/types';
import * as attentionDistance from './attention-distance';
import * as cka from './cka';
import * as dataEfficiency from './data-efficiency';
import * as engineSmoke from './engine-smoke';
import * as frequencyNoise from './frequency-noise';
import * as hessian from './hessian';
import * as lossLandscape from './loss-landscape';
import * as pool from './pool';
import * as receptiveField from './receptive-field';
import * as robustness from './robustness';
import * as shapeBias from './shape-bias';

export const EXPERIMENTS: readonly Experiment[] = [
  attentionDistance, cka, dataEfficiency, engineSmoke, frequencyNoise, hessian, lossLandscape, pool, receptiveField, robustness, shapeBias,
] as unknown as readonly Experiment[];
