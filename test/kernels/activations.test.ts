// Activation, softmax and PReLU kernels vs src/reference/activations.ts: every kind code, sizes
// hitting every SIMD tail, guard floats on both sides of each output, accumulation into non-zero dx.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { withScratch, assertClose, Random, guardedBuffer, SIMD_TAIL_SIZES, CHANNELS } from '../helpers/wasm.ts';
import * as ref from '../../src/reference/activations.ts';
import { ActivationKind } from '../../src/runtime/codes.ts';

/** Parameter passed in `alpha` per kind (leakyRelu slope, elu alpha, swish beta). */
const ALPHAS: Partial<Record<keyof typeof ActivationKind, number[]>> = { leakyRelu: [0.3, 0.01], elu: [1, 0.5], swish: [1, 1.5] };

test('reference: hand-computed activation values', () => {
  const f = (k: keyof typeof ActivationKind, x: number, a = 0) => ref.activation(ActivationKind[k], x, a);
  const close = (a: number, b: number, label: string) => assert.ok(Math.abs(a - b) < 1e-12, `${label}: ${a} != ${b}`);
  assert.equal(f('relu6', 7), 6);
  assert.equal(f('relu6', 3), 3);
  assert.equal(f('relu', -2), 0);
  close(f('leakyRelu', -2, 0.3), -0.6, 'leakyRelu');
  close(f('elu', -1, 0.5), 0.5 * (Math.exp(-1) - 1), 'elu');
  close(f('selu', -1), -1.1113307378125628, 'selu(-1)');
  close(f('selu', 2), 2 * 1.0507009873554805, 'selu(2)');
  close(f('sigmoid', 0), 0.5, 'sigmoid');
  close(f('softplus', 0), Math.LN2, 'softplus');
  close(f('softsign', 1), 0.5, 'softsign');
  close(f('swish', 1, 1), 0.7310585786300049, 'swish');
  close(ref.erf(1), 0.8427007929497149, 'erf(1)');
  close(ref.erf(-0.5), -0.5204998778130465, 'erf(-0.5)');
  close(ref.erf(3.5), 0.9999992569016276, 'erf(3.5)');
  close(f('gelu', 1), 0.8413447460685429, 'gelu(1)');
  assert.ok(Math.abs(f('gelu', -10) / -7.619853024160527e-23 - 1) < 1e-10, 'gelu keeps relative accuracy in the left tail');
  close(f('hardSigmoid', 1), 0.7, 'hardSigmoid');
  close(f('hardSigmoid', 3), 1, 'hardSigmoid saturates');
  close(f('mish', 1), 0.8650983882673103, 'mish(1)');
  const y = new Float64Array(2);
  ref.softmaxForward(Float64Array.of(0, Math.LN2), y, 1, 2);
  close(y[0], 1 / 3, 'softmax[0]');
  close(y[1], 2 / 3, 'softmax[1]');
});

test('reference: derivatives agree with central differences of the forward', () => {
  const rng = new Random(3);
  for (const [name, kind] of Object.entries(ActivationKind))
    for (const alpha of ALPHAS[name as keyof typeof ActivationKind] ?? [0]) {
      for (let i = 0; i < 50; i++) {
        const x = rng.uniform(-7, 7);
        // Kinks: relu/leakyRelu/elu/selu at 0, relu6 at 0 and 6, hardSigmoid at +-2.5.
        if ([0, 6, 2.5, -2.5].some((k) => Math.abs(x - k) < 1e-3)) continue;
        const h = 1e-6;
        const fd = (ref.activation(kind, x + h, alpha) - ref.activation(kind, x - h, alpha)) / (2 * h);
        const d = ref.activationDerivative(kind, x, alpha);
        assert.ok(Math.abs(fd - d) <= 1e-7 + 1e-6 * Math.abs(d), `${name}(alpha ${alpha})'(${x}) = ${d}, finite difference ${fd}`);
      }
    }
});

test('activation_forward/backward match the reference for every kind code', () => {
  const rng = new Random(4);
  withScratch((s) => {
    for (const [name, kind] of Object.entries(ActivationKind))
      for (const alpha of ALPHAS[name as keyof typeof ActivationKind] ?? [0])
        for (const N of SIMD_TAIL_SIZES) {
          const label = `${name}(alpha ${alpha}) N${N}`;
          const x = rng.uniformArray(N, -8, 8);
          const dy = rng.uniformArray(N);
          const dx0 = rng.uniformArray(N);
          const xp = s.put(x);
          const y = guardedBuffer(s, new Float32Array(N).fill(777));
          const dx = guardedBuffer(s, dx0);
          s.k.activation_forward(kind, xp, y.ptr, N, alpha);
          s.k.activation_backward(kind, xp, y.ptr, s.put(dy), dx.ptr, N, alpha);
          const ry = new Float64Array(N);
          const rdx = Float64Array.from(dx0);
          ref.activationForward(kind, x, ry, N, Math.fround(alpha));
          ref.activationBackward(kind, x, ry, dy, rdx, N, Math.fround(alpha));
          assertClose(y.read(), ry, `forward ${label}`, 1e-6, 2e-6);
          assertClose(dx.read(), rdx, `backward ${label}`, 2e-6, 1e-5);
          y.check(`forward ${label}`);
          dx.check(`backward ${label}`);
        }
  });
});

test('softmax_forward/backward match the reference, including large logits', () => {
  const rng = new Random(5);
  withScratch((s) => {
    for (const R of [1, 2, 3])
      for (const C of SIMD_TAIL_SIZES)
        for (const scale of [3, 80]) {
          const label = `R${R} C${C} scale ${scale}`;
          const x = rng.uniformArray(R * C, -scale, scale);
          const dy = rng.uniformArray(R * C);
          const dx0 = rng.uniformArray(R * C);
          const y = guardedBuffer(s, new Float32Array(R * C).fill(777));
          const dx = guardedBuffer(s, dx0);
          s.k.softmax_forward(s.put(x), y.ptr, R, C);
          const yk = y.read();
          s.k.softmax_backward(y.ptr, s.put(dy), dx.ptr, R, C);
          const ry = new Float64Array(R * C);
          const rdx = Float64Array.from(dx0);
          ref.softmaxForward(x, ry, R, C);
          ref.softmaxBackward(yk, dy, rdx, R, C);
          assertClose(yk, ry, `softmax y ${label}`, 1e-7, 1e-5);
          assertClose(dx.read(), rdx, `softmax dx ${label}`, 1e-6, 1e-5);
          y.check(`softmax y ${label}`);
          dx.check(`softmax dx ${label}`);
        }
  });
});

test('prelu_forward/backward match the reference; dalpha accumulates over row blocks', () => {
  const rng = new Random(6);
  withScratch((s) => {
    for (const R of [1, 2, 3, 70, 130])
      for (const C of CHANNELS) {
        const label = `R${R} C${C}`;
        const x = rng.uniformArray(R * C, -2, 2);
        const alpha = rng.uniformArray(C, 0, 0.5);
        const dy = rng.uniformArray(R * C);
        const dx0 = rng.uniformArray(R * C);
        const da0 = rng.uniformArray(C);
        const xp = s.put(x);
        const ap = s.put(alpha);
        const y = guardedBuffer(s, new Float32Array(R * C).fill(777));
        const dx = guardedBuffer(s, dx0);
        const da = guardedBuffer(s, da0);
        s.k.prelu_forward(xp, ap, y.ptr, R, C);
        s.k.prelu_backward(xp, ap, s.put(dy), dx.ptr, da.ptr, R, C);
        const ry = new Float64Array(R * C);
        const rdx = Float64Array.from(dx0);
        const rda = Float64Array.from(da0);
        ref.preluForward(x, alpha, ry, R, C);
        ref.preluBackward(x, alpha, dy, rdx, rda, R, C);
        assertClose(y.read(), ry, `prelu y ${label}`, 1e-7, 1e-6);
        assertClose(dx.read(), rdx, `prelu dx ${label}`, 1e-6, 1e-6);
        assertClose(da.read(), rda, `prelu dalpha ${label}`, 1e-5, 1e-5);
        for (const b of [y, dx, da]) b.check(`prelu ${label}`);
      }
  });
});
