// conv1d kernels against the direct-loop references over batch, length, channels, filters,
// kernel size, stride, dilation and valid/same/causal padding, then at the workload sizes with a
// small batch. Outputs carry guard regions that must survive; backward outputs start non-zero.
// Geometries without an output (T < 1: 'valid' with L shorter than the kernel span) never reach
// the kernels: the Conv1D layer refuses them when built, which is asserted instead.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { ConfigError, layers, sequential } from '../../src/index.ts';
import { withScratch, assertClose, Random, putGuarded, getGuarded } from '../helpers/wasm.ts';
import { conv1dPad, conv1dUnpadAdd, conv1dForward, conv1dBackwardInput, conv1dBackwardKernel } from '../../src/reference/conv1d.ts';
import { transposeF32 } from '../../src/reference/gemm.ts';

type Padding = 'valid' | 'same' | 'causal';

/** Output length T, padded length Lp and left padding, as the Conv1D layer computes them. */
function geometry(L: number, K: number, S: number, D: number, padding: Padding): { T: number; Lp: number; padLeft: number } {
  const span = (K - 1) * D + 1;
  if (padding === 'valid') return { T: Math.floor((L - span) / S) + 1, Lp: L, padLeft: 0 };
  if (padding === 'causal') return { T: Math.floor((L - 1) / S) + 1, Lp: L + span - 1, padLeft: span - 1 };
  const T = Math.ceil(L / S);
  const total = Math.max((T - 1) * S + span - L, 0);
  return { T, Lp: L + total, padLeft: Math.floor(total / 2) };
}

const rng = new Random(11);

interface Case {
  B: number; L: number; C: number; F: number; K: number; S: number; D: number; padding: Padding; bias: boolean;
}

/** Building layers.conv1d on an input shorter than its span throws a ConfigError naming the layer,
 *  the input length and the minimum length (the span). */
function assertRefused({ L, C, F, K, S, D, padding, bias }: Case, label: string): void {
  const model = sequential({ layers: [layers.conv1d({ filters: F, kernelSize: K, strides: S, dilationRate: D, padding, useBias: bias, inputShape: [L, C] })] });
  try {
    assert.throws(() => model.build(), (e: unknown) => {
      assert.ok(e instanceof ConfigError, `${label}: expected a ConfigError, got ${String(e)}`);
      for (const part of ['Conv1D layer "conv1d', `input length ${L}`, `kernel span ${(K - 1) * D + 1}`]) assert.ok(e.message.includes(part), `${label}: "${e.message}" does not name ${part}`);
      return true;
    }, `${label}: T < 1 but the layer built`);
  } finally {
    model.dispose();
  }
}

/** Checks every kernel of one geometry; returns false when it has no output (T < 1) and the
 *  layer refused it instead. */
function checkConv(c: Case): boolean {
  const { B, L, C, F, K, S, D, padding, bias } = c;
  const { T, Lp, padLeft } = geometry(L, K, S, D, padding);
  const label = `B=${B} L=${L} C=${C} F=${F} K=${K} S=${S} D=${D} ${padding}`;
  if (T < 1) {
    assertRefused(c, label);
    return false;
  }
  const tol = (n: number) => 1e-5 * Math.sqrt(n);
  withScratch((s) => {
    const x = rng.uniformArray(B * L * C);
    const w = rng.uniformArray(K * C * F);
    const bv = bias ? rng.uniformArray(F) : null;
    const dy = rng.uniformArray(B * T * F);

    // pad
    const xp = new Float32Array(B * Lp * C);
    conv1dPad(x, xp, B, L, C, Lp, padLeft);
    const pxp = putGuarded(s, rng.uniformArray(B * Lp * C)); // garbage: pad must overwrite all of it
    s.k.conv1d_pad(s.put(x), pxp, B, L, C, Lp, padLeft);
    assert.deepEqual(getGuarded(s, pxp, xp.length, `${label} pad`), xp);

    // forward (overwrites y)
    const y = new Float32Array(B * T * F);
    conv1dForward(xp, w, bv, y, B, Lp, C, T, F, K, S, D);
    const pw = s.put(w);
    const py = putGuarded(s, rng.uniformArray(y.length));
    s.k.conv1d_forward(pxp, pw, bv ? s.put(bv) : 0, py, B, Lp, C, T, F, K, S, D);
    assertClose(getGuarded(s, py, y.length, `${label} forward`), y, `${label} forward`, tol(K * C), 1e-4);

    // backward input (accumulates into dxp), with wt from the transpose kernel
    const pwt = s.zeros(F * K * C);
    s.k.transpose_f32(K * C, F, pw, pwt);
    const wt = new Float32Array(F * K * C);
    transposeF32(K * C, F, w, wt);
    const dxp0 = rng.uniformArray(B * Lp * C);
    const dxp = dxp0.slice();
    conv1dBackwardInput(dy, wt, dxp, B, Lp, C, T, F, K, S, D);
    const pdy = s.put(dy);
    const pdxp = putGuarded(s, dxp0);
    s.k.conv1d_backward_input(pdy, pwt, pdxp, B, Lp, C, T, F, K, S, D);
    assertClose(getGuarded(s, pdxp, dxp.length, `${label} backward_input`), dxp, `${label} backward_input`, tol(F * K), 1e-4);

    // unpad (accumulates into dx)
    const dx0 = rng.uniformArray(B * L * C);
    const dx = dx0.slice();
    conv1dUnpadAdd(dxp, dx, B, L, C, Lp, padLeft);
    const pdx = putGuarded(s, dx0);
    s.k.conv1d_unpad_add(s.put(dxp), pdx, B, L, C, Lp, padLeft);
    assertClose(getGuarded(s, pdx, dx.length, `${label} unpad_add`), dx, `${label} unpad_add`);

    // backward kernel (accumulates into dw)
    const dw0 = rng.uniformArray(K * C * F);
    const dw = dw0.slice();
    conv1dBackwardKernel(xp, dy, dw, B, Lp, C, T, F, K, S, D);
    const pdw = putGuarded(s, dw0);
    s.k.conv1d_backward_kernel(pxp, pdy, pdw, B, Lp, C, T, F, K, S, D);
    assertClose(getGuarded(s, pdw, dw.length, `${label} backward_kernel`), dw, `${label} backward_kernel`, tol(B * T), 1e-4);
  });
  return true;
}

test('conv1d kernels match the references over the size grid', () => {
  const Ls = [1, 2, 4, 7, 9, 13];
  let n = 0;
  let refused = 0;
  for (const C of [1, 3, 4, 5, 8]) for (const F of [1, 3, 4, 7, 8, 9, 16, 17]) for (const K of [1, 2, 3, 5]) {
    for (const S of [1, 2, 3]) for (const D of [1, 2, 3]) for (const padding of ['valid', 'same', 'causal'] as const) {
      n++;
      if (!checkConv({ B: 1 + (n % 3), L: Ls[n % Ls.length], C, F, K, S, D, padding, bias: n % 2 === 0 })) refused++;
    }
  }
  // 4320 geometries; the 560 'valid' ones with L < (K-1)*D + 1 are refused by the layer
  assert.deepEqual([n, refused], [4320, 560]);
});

test('conv1d kernels over every length at one shape per padding', () => {
  let refused = 0;
  for (let L = 1; L <= 12; L++) for (const padding of ['valid', 'same', 'causal'] as const) {
    if (!checkConv({ B: 2, L, C: 3, F: 5, K: 3, S: 2, D: 2, padding, bias: true })) refused++;
    if (!checkConv({ B: 1, L, C: 4, F: 9, K: 5, S: 1, D: 1, padding, bias: false })) refused++;
  }
  // both spans are 5: 'valid' refuses L = 1..4 for each shape
  assert.equal(refused, 8);
});

test('conv1d kernels at the workload sizes (small batch)', () => {
  checkConv({ B: 2, L: 100, C: 1, F: 32, K: 3, S: 1, D: 1, padding: 'valid', bias: true }); // keras-seed
  checkConv({ B: 2, L: 500, C: 1, F: 64, K: 3, S: 1, D: 1, padding: 'same', bias: true }); // fcn-500 layer 1
  checkConv({ B: 1, L: 500, C: 64, F: 64, K: 3, S: 1, D: 1, padding: 'same', bias: true }); // fcn-500 layer 2
  checkConv({ B: 1, L: 8000, C: 1, F: 32, K: 3, S: 3, D: 1, padding: 'valid', bias: true }); // samplecnn-8k layer 1
  checkConv({ B: 1, L: 888, C: 32, F: 64, K: 3, S: 1, D: 1, padding: 'same', bias: true }); // samplecnn-8k middle
  checkConv({ B: 2, L: 18, C: 1, F: 4, K: 3, S: 1, D: 1, padding: 'valid', bias: true }); // tutorial-18 layer 1
  checkConv({ B: 2, L: 8, C: 4, F: 6, K: 3, S: 1, D: 1, padding: 'valid', bias: true }); // tutorial-18 layer 2
});
