/**
 * What the lab reads at /lab/models.json (src/pages/lab/models.json.ts writes it from the pool's
 * manifest): for each of its models, the pool weights it runs, or nulls while the pool has none.
 * The lab never runs a model without weights: untrained answers would only mislead.
 */
export interface LabModel {
  /** Registry name (models/index.ts). */
  arch: string;
  /** The pool unit (`resnet-full-s0`), or null while the pool has no model for this architecture. */
  id: string | null;
  /** URL of the tf.io weights manifest; its shard sits beside it. */
  weights: string | null;
  /** sha256 of the shard, checked before the weights are used. */
  sha256: string | null;
}
export interface LabModels { models: LabModel[] }

/** The lab's models, in column order: the three families the articles compare. */
export const LAB_ARCHS = ['resnet_mini_28', 'vit_mini_patch4_28', 'hybrid_mini_28'] as const;

/** The input sample (scripts/lab-sample.ts): count×28×28 uint8 images, then count labels. */
export const LAB_SAMPLE_URL = '/lab/fmnist-sample.bin';
export const LAB_MODELS_URL = '/lab/models.json';
/** Where the site serves tfjs-backend-wasm's .wasm files (src/pages/lab/tfjs/[file].ts). */
export const LAB_WASM_PATH = '/lab/tfjs/';
