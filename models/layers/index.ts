/** Shared blocks of the zoo (timm's `layers/`): import from here, don't copy into families. */
export * from './core';
export * from './mlp';
export * from './embed';
export * from './attention';
export * from './blocks';
export * from './transformer';
