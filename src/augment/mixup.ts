// mixup (Zhang, Cisse, Dauphin & Lopez-Paz 2018, "mixup: Beyond empirical risk minimization",
// ICLR; their reference code draws one lambda per batch and pairs the batch with a permutation of
// itself):  x' = lambda x + (1 - lambda) x[perm],  y' = lambda y + (1 - lambda) y[perm],
// lambda ~ Beta(alpha, alpha). The targets become soft (each row still sums to 1 for one-hot
// rows), which categorical cross-entropy takes as they are: -sum_j y'_j log p_j, gradient
// (p sum_j y'_j - y') / B through the fused softmax. Sparse (class-index) targets cannot hold a
// mixture: fit refuses mixup with sparseCategoricalCrossentropy (use categoricalCrossentropy,
// which one-hot encodes class indices).
//   x [n, L, C]   ys[o] [n, yPer[o]]

import { beta, num, options, type Augmenter } from './augmenter.ts';

export interface MixupArgs {
  /** Beta(alpha, alpha) concentration (default 0.2, as Zhang et al. for ImageNet); 0 leaves the batch as it is. */
  alpha?: number;
}

export interface MixupAugmenter extends Augmenter {
  /** The last lambda drawn (for tests and logging). */
  readonly lastLambda: number;
}

export function mixup(args?: MixupArgs): MixupAugmenter {
  const o = options('mixup', args, ['alpha']);
  const alpha = num('mixup', 'alpha', o.alpha, 0.2, 0);
  let lastLambda = 1;
  return {
    name: 'mixup',
    mixesTargets: true,
    get lastLambda() {
      return lastLambda;
    },
    check: () => {},
    getConfig: () => ({ alpha }),
    apply(b, rng) {
      if (alpha === 0 || b.n < 2) return;
      const lambda = beta(rng, alpha, alpha);
      lastLambda = lambda;
      const perm = rng.shuffle(Int32Array.from({ length: b.n }, (_, i) => i));
      const mix = (data: Float32Array, per: number, copy: Float32Array) => {
        copy.set(data.subarray(0, b.n * per));
        for (let i = 0; i < b.n; i++) {
          const p = perm[i] * per;
          for (let j = 0; j < per; j++) data[i * per + j] = lambda * copy[i * per + j] + (1 - lambda) * copy[p + j];
        }
      };
      mix(b.x, b.length * b.channels, b.scratch(b.n * b.length * b.channels));
      b.ys.forEach((y, o) => mix(y, b.yPer[o], new Float32Array(b.n * b.yPer[o])));
    },
  };
}
