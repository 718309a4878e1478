// Padding geometry of the window layers against an independent formula (TF/Keras
// conv_utils.conv_output_length and the explicit left/right zeros of 'same'/'causal', see
// reference-layers.ts), over a grid: the layer's outputShape, and its values and gradients
// against the reference that pads explicitly. Inputs too short for 'valid' must be refused.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { ConfigError, layers, sequential, type Layer } from '../../src/index.ts';
import { windowGeometry } from '../../src/layers/conv1d.ts';
import { Random } from '../../src/runtime/random.ts';
import { checkLayer } from './check-layer.ts';
import { conv1dRef, convOutputLength, explicitPads, pool1dRef } from './reference-layers.ts';

const rng = new Random(909);
const LENGTHS = Array.from({ length: 12 }, (_, i) => i + 1);

/** Builds a one-layer model; returns the error it throws, or null. */
function buildError(layer: Layer): unknown {
  const model = sequential({ layers: [layer] });
  try {
    model.build();
    return null;
  } catch (e) {
    return e;
  } finally {
    model.dispose();
  }
}

test('conv1d: output length, explicit padding and values over L 1-12, K 1-5, S 1-3, D 1-3, valid/same/causal', () => {
  let checked = 0;
  let refused = 0;
  for (const L of LENGTHS)
    for (const K of [1, 2, 3, 4, 5])
      for (const S of [1, 2, 3])
        for (const D of [1, 2, 3])
          for (const padding of ['valid', 'same', 'causal'] as const) {
            const label = `conv1d L${L} K${K} S${S} D${D} ${padding}`;
            const span = (K - 1) * D + 1;
            const make = () => layers.conv1d({ filters: 3, kernelSize: K, strides: S, dilationRate: D, padding, inputShape: [L, 2] });
            const T = convOutputLength(L, K, padding, S, D);
            if (T < 1) {
              const e = buildError(make());
              assert.ok(e instanceof ConfigError, `${label}: expected a ConfigError, got ${String(e)}`);
              for (const part of ['Conv1D layer "conv1d', `input length ${L}`, `kernel span ${span}`]) assert.ok(e.message.includes(part), `${label}: "${e.message}" does not name ${part}`);
              refused++;
              continue;
            }
            const g = windowGeometry(L, span, S, padding);
            assert.deepEqual([g.T, g.padLeft], [T, explicitPads(L, K, padding, S, D)[0]], `${label}: windowGeometry [T, padLeft]`);
            checkLayer({ label, make, shape: [L, 2], ref: conv1dRef({ filters: 3, kernelSize: K, strides: S, dilationRate: D, padding }) }, rng);
            checked++;
          }
  assert.equal(checked + refused, 12 * 5 * 3 * 3 * 3);
  // valid refuses exactly L < span: sum over K, D of max(span - 1, 0) lengths in 1..12, times 3 strides
  let expected = 0;
  for (const K of [1, 2, 3, 4, 5]) for (const D of [1, 2, 3]) expected += 3 * Math.min((K - 1) * D, 12);
  assert.equal(refused, expected);
});

test('pooling: output length, explicit padding and values over L 1-12, pool 1-5, stride 1-4, valid/same', () => {
  let refused = 0;
  for (const L of LENGTHS)
    for (const P of [1, 2, 3, 4, 5])
      for (const S of [1, 2, 3, 4])
        for (const padding of ['valid', 'same'] as const)
          for (const kind of ['max', 'avg'] as const) {
            const label = `${kind}Pooling1d L${L} P${P} S${S} ${padding}`;
            const make = () => (kind === 'max' ? layers.maxPooling1d : layers.averagePooling1d)({ poolSize: P, strides: S, padding, inputShape: [L, 3] });
            if (convOutputLength(L, P, padding, S) < 1) {
              const e = buildError(make());
              assert.ok(e instanceof ConfigError, `${label}: expected a ConfigError, got ${String(e)}`);
              for (const part of [`Pooling1D layer "${kind === 'max' ? 'max' : 'average'}_pooling1d`, `input length ${L}`, `poolSize ${P}`]) assert.ok(e.message.includes(part), `${label}: "${e.message}" does not name ${part}`);
              refused++;
              continue;
            }
            checkLayer({ label, make, shape: [L, 3], ref: pool1dRef(kind, P, S, padding) }, rng);
          }
  // valid refuses L < P: (P - 1) lengths per P, for 4 strides and 2 kinds
  assert.equal(refused, (0 + 1 + 2 + 3 + 4) * 4 * 2);
});
