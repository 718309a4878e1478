// Max and average pooling (valid/same, overlapping windows) and the global pools through the
// public layers, float32 WASM against float64 references (check-layer.ts). Max pooling also runs
// on inputs with many ties, where the gradient must go to the first maximum of each window.
import { test } from 'vitest';
import { layers } from '../../src/index.ts';
import { Random } from '../../src/runtime/random.ts';
import { checkLayer } from './check-layer.ts';
import { globalPoolRef, pool1dRef } from './reference-layers.ts';

const rng = new Random(707);

/** Five levels only: most windows hold several equal maxima. */
const ties = (n: number, r: Random) => Float32Array.from({ length: n }, () => (r.int(5) - 2) * 0.5);

test('max and average pooling: valid/same, pool sizes 1-5, strides 1-3 (overlapping windows)', () => {
  let n = 0;
  for (const kind of ['max', 'avg'] as const)
    for (const padding of ['valid', 'same'] as const)
      for (const poolSize of [1, 2, 3, 5])
        for (const strides of [1, 2, 3]) {
          n++;
          const [L, C] = [[7, 3], [10, 5], [12, 1], [9, 8]][n % 4];
          const make = () => (kind === 'max' ? layers.maxPooling1d : layers.averagePooling1d)({ poolSize, strides, padding, inputShape: [L, C] });
          const label = `${kind}Pooling1d ${padding} size ${poolSize} stride ${strides} on [${L}, ${C}]`;
          checkLayer({ label, make, shape: [L, C], ref: pool1dRef(kind, poolSize, strides, padding) }, rng);
          if (kind === 'max') checkLayer({ label: `${label}, tied inputs`, make, shape: [L, C], ref: pool1dRef(kind, poolSize, strides, padding), input: ties }, rng);
        }
});

test('global max and average pooling, including length 1 and tied inputs', () => {
  for (const [L, C] of [[13, 6], [1, 3], [5, 9]]) {
    for (const kind of ['max', 'avg'] as const) {
      const make = () => (kind === 'max' ? layers.globalMaxPooling1d : layers.globalAveragePooling1d)({ inputShape: [L, C] });
      checkLayer({ label: `global ${kind} on [${L}, ${C}]`, make, shape: [L, C], ref: globalPoolRef(kind) }, rng);
      checkLayer({ label: `global ${kind} on [${L}, ${C}], tied inputs`, make, shape: [L, C], ref: globalPoolRef(kind), input: ties }, rng);
    }
  }
});
