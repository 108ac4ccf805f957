// Same-process A/B of convolution paths on the ResNet-mini shapes (batch 128), interleaved rounds:
//   npm exec -- tsx bench/conv-ab.ts [rounds=5]
// A = XNNPACK (the stock wasm Conv2D), B = the project's implicit GEMM (wasm/conv-grid.ts), both
// for the forward conv and for dX of a stride-1 same-conv (a same-conv of dY with the rotated,
// channel-swapped filter). Prints ms per call (fastest round) with GFLOP/s, and A/B.
import * as tf from '@tensorflow/tfjs';
import { backend_util } from '@tensorflow/tfjs';
import os from 'node:os';
import { initWasm } from '../scripts/lib/engine/wasm';
import { implicitConvForward, sameConv } from '../scripts/lib/engine/wasm/conv-grid';
import { be, stock } from '../scripts/lib/engine/wasm/state';

const ROUNDS = +(process.argv[2] ?? 5);
await initWasm();
const shapes: Array<[number, number, number, number]> = [[128, 28, 28, 16], [128, 14, 14, 32], [128, 7, 7, 64]]; // [B, H, W, C], 3×3 C→C
// The fastest round estimates the unloaded time on a shared machine.
const best = (v: number[]) => Math.min(...v);
function time(f: () => tf.Tensor): number {
  const t = performance.now();
  const y = f();
  y.dataSync();
  const ms = performance.now() - t;
  y.dispose();
  return ms;
}
console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
for (const [B, H, W, C] of shapes) {
  const x = tf.randomNormal([B, H, W, C]) as tf.Tensor4D, w = tf.randomNormal([3, 3, C, C]) as tf.Tensor4D;
  const info = backend_util.computeConv2DInfo(x.shape, w.shape, 1, 1, 'same');
  const c = sameConv(info)!;
  const wrap = (t: tf.TensorInfo) => tf.engine().makeTensorFromTensorInfo(t);
  const xnn = (inp: tf.Tensor, filter: tf.Tensor) => wrap(stock.get('Conv2D')!({ inputs: { x: inp, filter }, attrs: { strides: 1, pad: 'same', dataFormat: 'NHWC', dilations: 1 }, backend: be }) as tf.TensorInfo);
  const gemm = () => wrap(implicitConvForward(x, w, c, C, C));
  const dyT = tf.randomNormal([B, H, W, C]) as tf.Tensor4D;
  const wT = tf.transpose(tf.reverse(w, [0, 1]), [0, 1, 3, 2]);
  const gemmDx = () => wrap(implicitConvForward(dyT, wT, c, C, C));
  const ref = xnn(x, w), got = gemm();
  const err = tf.max(tf.abs(tf.sub(ref, got))).dataSync()[0]! / tf.max(tf.abs(ref)).dataSync()[0]!;
  const refDx = xnn(dyT, wT), gotDx = gemmDx();
  const errDx = tf.max(tf.abs(tf.sub(refDx, gotDx))).dataSync()[0]! / tf.max(tf.abs(refDx)).dataSync()[0]!;
  tf.dispose([ref, got, refDx, gotDx]);
  const t = { fwdA: [] as number[], fwdB: [] as number[], dxA: [] as number[], dxB: [] as number[] };
  for (let r = 0; r < ROUNDS; r++) {
    t.fwdA.push(time(() => xnn(x, w)));
    t.fwdB.push(time(gemm));
    t.dxA.push(time(() => xnn(dyT, wT)));
    t.dxB.push(time(gemmDx));
  }
  const m = (k: keyof typeof t) => best(t[k]);
  const gf = (ms: number) => ((2 * B * H * W * C * C * 9) / ms / 1e6).toFixed(1);
  console.log(`[${B},${H},${W},${C}] 3×3: forward ${m('fwdA').toFixed(1)} → ${m('fwdB').toFixed(1)} ms (${gf(m('fwdA'))} → ${gf(m('fwdB'))} GFLOP/s ×${(m('fwdA') / m('fwdB')).toFixed(2)}, rel.err ${err.toExponential(1)}); dX ${m('dxA').toFixed(1)} → ${m('dxB').toFixed(1)} ms (${gf(m('dxA'))} → ${gf(m('dxB'))} GFLOP/s, ×${(m('dxA') / m('dxB')).toFixed(2)}, rel.err ${errDx.toExponential(1)})`);
  tf.dispose([x, w, dyT, wT]);
}
