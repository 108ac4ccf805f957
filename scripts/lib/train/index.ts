// The training package: data batches and the augmenter, the optimiser and schedule, the loop, the weights cache.
export * from './batches';
export * from './optim';
export * from './loop';
