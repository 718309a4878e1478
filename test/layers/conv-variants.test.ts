// Grouped, depthwise, separable and transposed Conv1D through the public layers: float32 WASM
// against the float64 oracles of conv-variants-ref.ts (output shape, outputs, dx and every weight
// gradient, batches below the planned capacity), over padding, stride, dilation, groups, depth
// multipliers and Keras' transposed output lengths.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { layers } from '../../src/index.ts';
import { Random } from '../../src/runtime/random.ts';
import { checkLayer } from './check-layer.ts';
import { deconvOutputLength, depthwiseRef, groupedRef, transposeRef } from './conv-variants-ref.ts';

const rng = new Random(808);
const PADDINGS = ['valid', 'same', 'causal'] as const;

test('conv1d with groups: groups x channels and filters per group x padding x stride x dilation', () => {
  let n = 0;
  for (const [C, F, groups] of [[4, 6, 2], [6, 3, 3], [8, 8, 4], [5, 10, 5], [9, 3, 3], [6, 12, 6]] as const)
    for (const padding of PADDINGS)
      for (const [kernelSize, strides, dilationRate] of [[3, 1, 1], [2, 2, 1], [3, 1, 2]] as const) {
        n++;
        const L = 9 + (n % 4);
        const useBias = n % 3 !== 0;
        const activation = n % 4 === 0 ? 'tanh' : 'linear';
        const args = { filters: F, kernelSize, strides, dilationRate, padding, groups, useBias, activation } as const;
        checkLayer({
          label: `conv1d groups ${groups} C${C} F${F} K${kernelSize} S${strides} D${dilationRate} ${padding}`,
          make: () => layers.conv1d({ ...args, inputShape: [L, C] }),
          shape: [L, C],
          ref: groupedRef(args),
        }, rng);
      }
  assert.equal(n, 54);
});

test('depthwiseConv1d: channels x depth multiplier x padding x stride x dilation', () => {
  let n = 0;
  for (const [C, depthMultiplier] of [[1, 1], [3, 1], [4, 2], [5, 3], [8, 1], [9, 4]] as const)
    for (const padding of PADDINGS)
      for (const [kernelSize, strides, dilationRate] of [[3, 1, 1], [4, 2, 1], [2, 1, 3]] as const) {
        n++;
        const L = 10 + (n % 3);
        const args = { kernelSize, strides, dilationRate, padding, depthMultiplier, useBias: n % 2 === 0, activation: n % 3 === 0 ? 'sigmoid' : 'linear' } as const;
        checkLayer({
          label: `depthwiseConv1d C${C} M${depthMultiplier} K${kernelSize} S${strides} D${dilationRate} ${padding}`,
          make: () => layers.depthwiseConv1d({ ...args, inputShape: [L, C] }),
          shape: [L, C],
          ref: depthwiseRef(args),
        }, rng);
      }
  assert.equal(n, 54);
});

test('separableConv1d: depthwise then pointwise, over channels, multipliers, filters and padding', () => {
  let n = 0;
  for (const [C, depthMultiplier, filters] of [[1, 1, 4], [3, 2, 5], [4, 1, 8], [6, 3, 2]] as const)
    for (const padding of PADDINGS)
      for (const [kernelSize, strides, dilationRate] of [[3, 1, 1], [3, 2, 1], [2, 1, 2]] as const) {
        n++;
        const L = 11;
        const args = { filters, kernelSize, strides, dilationRate, padding, depthMultiplier, useBias: n % 2 === 1, activation: n % 2 === 0 ? 'elu' : 'linear' } as const;
        checkLayer({
          label: `separableConv1d C${C} M${depthMultiplier} F${filters} K${kernelSize} S${strides} D${dilationRate} ${padding}`,
          make: () => layers.separableConv1d({ ...args, inputShape: [L, C] }),
          shape: [L, C],
          ref: depthwiseRef(args),
        }, rng);
      }
  assert.equal(n, 36);
});

test('conv1dTranspose: Keras output lengths, strides above and below the kernel, outputPadding, dilation', () => {
  const cases: [number, number, number, number, number, 'valid' | 'same', number | undefined][] = [
    // L, C, F, K, S, padding, outputPadding
    [5, 3, 4, 3, 1, 'valid', undefined],
    [5, 3, 4, 3, 2, 'valid', undefined],
    [4, 2, 5, 2, 3, 'valid', undefined], // K < S: zeros (bias) between the scatters
    [6, 4, 3, 4, 2, 'same', undefined],
    [6, 4, 3, 3, 2, 'same', undefined],
    [3, 1, 8, 5, 4, 'same', undefined],
    [5, 3, 2, 3, 2, 'valid', 1],
    [5, 3, 2, 3, 2, 'same', 1],
    [5, 3, 2, 4, 3, 'same', 2],
    [7, 2, 9, 1, 2, 'same', undefined],
    [1, 5, 3, 3, 2, 'same', undefined],
  ];
  for (const [L, C, F, kernelSize, strides, padding, outputPadding] of cases) {
    for (const dilationRate of [1, 2]) {
      const args = { filters: F, kernelSize, strides, padding, dilationRate, ...(outputPadding !== undefined ? { outputPadding } : {}), activation: (dilationRate === 2 ? 'tanh' : 'linear') as 'tanh' | 'linear' };
      const label = `conv1dTranspose L${L} C${C} F${F} K${kernelSize} S${strides} D${dilationRate} ${padding} op ${outputPadding}`;
      const T = deconvOutputLength(L, kernelSize, padding, strides, dilationRate, outputPadding ?? null);
      if (padding === 'same' && outputPadding !== undefined && Math.ceil(T / strides) !== L) continue; // refused (tested below)
      checkLayer({ label, make: () => layers.conv1dTranspose({ ...args, inputShape: [L, C] }), shape: [L, C], ref: transposeRef(args) }, rng);
    }
  }
});

test('conv1dTranspose output lengths are the Keras ones (T = L*S for same, (L-1)*S + K for valid)', () => {
  const outLen = (L: number, K: number, S: number, padding: 'valid' | 'same', outputPadding?: number) =>
    layers.conv1dTranspose({ filters: 1, kernelSize: K, strides: S, padding, ...(outputPadding !== undefined ? { outputPadding } : {}) }).computeOutputShape([L, 2])[0];
  assert.equal(outLen(10, 3, 2, 'same'), 20);
  assert.equal(outLen(10, 3, 2, 'valid'), 21);
  assert.equal(outLen(10, 2, 4, 'valid'), 40);
  assert.equal(outLen(10, 3, 2, 'valid', 1), 22);
  assert.equal(outLen(10, 3, 2, 'same', 1), 20);
  assert.equal(outLen(10, 3, 2, 'same', 0), 19);
});
