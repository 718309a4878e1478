// Dense and Conv1D through the public layers, float32 WASM against float64 references
// (check-layer.ts): every input rank, fused activations, with and without bias; conv1d over
// valid/same/causal with strides and dilation.
import { test } from 'vitest';
import { layers } from '../../src/index.ts';
import { Random } from '../../src/runtime/random.ts';
import { checkLayer } from './check-layer.ts';
import { conv1dRef, denseRef, type ActSpec } from './reference-layers.ts';

const rng = new Random(606);

test('dense on [features], [length, channels] and [a, length, channels], fused activations', () => {
  const cases: [number[], number, ActSpec['name'], boolean][] = [
    // shape, units, activation, useBias
    [[6], 5, 'linear', true],
    [[9], 17, 'tanh', false],
    [[13], 4, 'softmax', true],
    [[7, 4], 3, 'linear', true],
    [[5, 8], 9, 'relu', true],
    [[3, 1], 2, 'sigmoid', false],
    [[11, 5], 6, 'softmax', true],
    [[2, 5, 3], 4, 'elu', true],
  ];
  for (const [shape, units, activation, useBias] of cases) {
    checkLayer({
      label: `dense ${units} ${activation}${useBias ? '' : ' no bias'} on [${shape}]`,
      make: () => layers.dense({ units, activation, useBias, inputShape: shape }),
      shape,
      ref: denseRef(units, { name: activation }),
    }, rng);
  }
});

test('conv1d: valid/same/causal x kernel size x stride x dilation, with and without bias', () => {
  let n = 0;
  for (const padding of ['valid', 'same', 'causal'] as const)
    for (const kernelSize of [1, 2, 3, 4])
      for (const strides of [1, 2, 3])
        for (const dilationRate of [1, 2]) {
          n++;
          const L = [9, 10, 13][n % 3];
          const [C, filters] = [[1, 3], [3, 5], [4, 9]][n % 3];
          const activation: ActSpec['name'] = (['linear', 'tanh', 'relu', 'softmax'] as const)[n % 4];
          const useBias = n % 5 !== 0;
          checkLayer({
            label: `conv1d ${padding} k${kernelSize} s${strides} d${dilationRate} [${L}, ${C}] -> ${filters} ${activation}${useBias ? '' : ' no bias'}`,
            make: () => layers.conv1d({ filters, kernelSize, strides, dilationRate, padding, activation, useBias, inputShape: [L, C] }),
            shape: [L, C],
            ref: conv1dRef({ filters, kernelSize, strides, dilationRate, padding, activation: { name: activation } }),
          }, rng);
        }
});
