/** The zoo's parameter/module core: one op set, run on tfjs or walked for counting. */
export * from './types';
export { Graph, Recorder, Sym, numel, type T, type Act, type Unary, type Pad, type OpEvent, type TapInfo } from './graph';
export { ParamStore, paramPath } from './store';
export { makeModel, countBuilder, type Builder, type ModelSpec, type ZooModel } from './model';
export * as init from './rng';
