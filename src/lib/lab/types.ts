/**
 * What the lab reads at /lab/models.json (src/pages/lab/models.json.ts writes it from the pool's
 * manifest): for each of its columns, the pool weights it runs with their regime and test accuracy,
 * or nulls while the pool has none. The lab never runs a model without weights: untrained answers
 * would only mislead.
 */
export interface LabModel {
  /** The column: the registry name, or the registry name with a weights tag (`vit_mini_patch4_28.small`) for an optional column. */
  key: string;
  /** Registry name (models/index.ts). */
  arch: string;
  /** The pool unit (`resnet-full-s0`), or null while the pool has no model for this column. */
  id: string | null;
  /** URL of the tf.io weights manifest; its shard sits beside it. */
  weights: string | null;
  /** sha256 of the shard, checked before the weights are used. */
  sha256: string | null;
  /** The pool regime of these weights, the images they were trained on and their test accuracy (null while pending). */
  regime: 'full' | 'small' | null;
  trainImages: number | null;
  testAccuracy: number | null;
  /** Shown only when the reader asks for it (state `smallVit`); an optional column is listed only when its weights exist. */
  optional: boolean;
}
export interface LabModels { models: LabModel[] }

/** The lab's main columns, in order: the three families the articles compare. Each column's key is its registry name. */
export const LAB_ARCHS = ['resnet_mini_28', 'vit_mini_patch4_28', 'hybrid_mini_28'] as const;

/**
 * The optional column: the ViT-mini trained on the small subset, beside the main ViT-mini, for the
 * data-hunger story. Offered only while the main ViT column runs full-regime weights (otherwise it
 * would show the same model twice).
 */
export const LAB_OPTIONAL = { key: 'vit_mini_patch4_28.small', arch: 'vit_mini_patch4_28', regime: 'small' } as const;

/** The input sample (scripts/lab-sample.ts): count×28×28 uint8 images, then count labels. */
export const LAB_SAMPLE_URL = '/lab/fmnist-sample.bin';
export const LAB_MODELS_URL = '/lab/models.json';
/** Where the site serves tfjs-backend-wasm's .wasm files (src/pages/lab/tfjs/[file].ts). */
export const LAB_WASM_PATH = '/lab/tfjs/';
