/**
 * The model interface shared by the zoo (issue 5) and the engine (issue 4).
 * The zoo implements it (models/*); the training loop and the bench consume it.
 * Verbatim from the nn contract; change it only together with the engine.
 */
import type * as tf from '@tensorflow/tfjs';

export interface ForwardOptions { training: boolean; taps?: boolean }  // taps: also return named intermediates
export interface ForwardResult { logits: tf.Tensor2D; taps: Record<string, tf.Tensor> }
export interface Model {
  name: string;                         // registry name, e.g. 'vit_mini_patch4_28'
  config: Readonly<Record<string, unknown>>;  // the merged config (plain data; goes into provenance)
  inputShape: readonly [number, number, number];  // [H, W, C], NHWC
  numClasses: number;
  variables(): tf.Variable[];           // trainable parameters, stable order
  forward(x: tf.Tensor4D, opts: ForwardOptions): ForwardResult;   // x: [B, H, W, C]
  dispose(): void;
}
// registry (models/index.ts):
//   createModel(name: string, overrides?: Record<string, unknown>, opts?: { seed?: number }): Model
//   listModels(): string[]
