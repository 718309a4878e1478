// Float64 oracles of the layers of layernorm.ts, noise.ts, spatial-dropout.ts, rrelu.ts,
// embedding.ts and flatten.ts (channelsFirst), in the RefLayer form of reference-layers.ts.
// The random layers draw the seed of each training step as the layer does, from Random(seed):
// one draw per training forward, none at inference.

import * as ln from '../../src/reference/layernorm.ts';
import * as noise from '../../src/reference/noise.ts';
import * as emb from '../../src/reference/embedding.ts';
import { Random } from '../../src/runtime/random.ts';
import type { RefLayer, Weights } from './reference-layers.ts';

const prod = (a: readonly number[]) => a.reduce((p, d) => p * d, 1);

/** Normalisation of every row over the last axis; training and inference alike. */
export const layernormRef = (epsilon: number): RefLayer => (x, B, shape, w) => {
  const C = shape[shape.length - 1];
  const R = (B * prod(shape)) / C;
  const gamma = w.gamma ?? new Float64Array(C).fill(1);
  const beta = w.beta ?? new Float64Array(C);
  const [y, mean, rstd] = [new Float64Array(x.length), new Float64Array(R), new Float64Array(R)];
  ln.layernormForward(x, gamma, beta, y, mean, rstd, R, C, epsilon);
  return {
    outShape: shape,
    y,
    state: {},
    backward(dy) {
      const [dx, dg, db] = [new Float64Array(x.length), new Float64Array(C), new Float64Array(C)];
      ln.layernormBackward(x, gamma, mean, rstd, dy, dx, dg, db, R, C);
      const grads: Weights = {};
      if (w.gamma) grads.gamma = dg;
      if (w.beta) grads.beta = db;
      return { dx, grads };
    },
  };
};

/** y = x * m with a per-element multiplier m (dx = dy * m). */
function multiplied(x: Float64Array, shape: number[], m: Float64Array) {
  const y = x.map((v, i) => v * m[i]);
  return { outShape: shape, y, state: {}, backward: (dy: Float64Array) => ({ dx: dy.map((v, i) => v * m[i]), grads: {} }) };
}

const identity = (x: Float64Array, shape: number[]) => multiplied(x, shape, new Float64Array(x.length).fill(1));

export const gaussianNoiseRef = (stddev: number, seed: number): RefLayer => {
  const rng = new Random(seed);
  return (x, _B, shape, _w, training) => {
    if (!training) return identity(x, shape);
    const y = new Float64Array(x.length);
    noise.gaussianNoiseForward(x, y, x.length, Math.fround(stddev), rng.int(2 ** 32));
    return { outShape: shape, y, state: {}, backward: (dy) => ({ dx: dy.slice(), grads: {} }) };
  };
};

export const gaussianDropoutRef = (rate: number, seed: number): RefLayer => {
  const rng = new Random(seed);
  return (x, _B, shape, _w, training) => {
    if (!training || rate === 0) return identity(x, shape);
    const m = new Float64Array(x.length);
    noise.gaussianDropoutForward(x, new Float64Array(x.length), m, x.length, Math.fround(Math.sqrt(rate / (1 - rate))), rng.int(2 ** 32));
    return multiplied(x, shape, m);
  };
};

/** Training: slopes drawn in [lower, upper); inference: slope (lower + upper) / 2 (PyTorch RReLU). */
export const rreluRef = (lower: number, upper: number, seed: number): RefLayer => {
  const rng = new Random(seed);
  return (x, _B, shape, _w, training) => {
    const m = new Float64Array(x.length);
    if (training) noise.rreluForward(x, new Float64Array(x.length), m, x.length, Math.fround(lower), Math.fround(upper), rng.int(2 ** 32));
    else for (let i = 0; i < x.length; i++) m[i] = x[i] >= 0 ? 1 : Math.fround((lower + upper) / 2);
    return multiplied(x, shape, m);
  };
};

/** The channel mask [B, C] spread over the length. */
export const spatialDropoutRef = (rate: number, seed: number): RefLayer => {
  const rng = new Random(seed);
  return (x, B, shape, _w, training) => {
    if (!training) return identity(x, shape);
    const [L, C] = shape;
    const mask = new Float64Array(B * C);
    noise.spatialDropoutForward(x, new Float64Array(x.length), mask, B, L, C, rate, rng.int(2 ** 32));
    const m = x.map((_, i) => mask[Math.floor(i / (L * C)) * C + (i % C)]);
    return multiplied(x, shape, m);
  };
};

/** Rows of the table by id; no input gradient. */
export const embeddingRef = (V: number, D: number): RefLayer => (x, _B, shape, w) => {
  const y = new Float64Array(x.length * D);
  emb.embeddingForward(x, w.embeddings, y, x.length, V, D);
  return {
    outShape: [...shape, D],
    y,
    state: {},
    backward(dy) {
      const dt = new Float64Array(V * D);
      emb.embeddingBackward(x, dy, dt, x.length, D);
      return { dx: new Float64Array(x.length), grads: { embeddings: dt } };
    },
  };
};

/** Column-major flatten (eq. 11 of the tutorial): y[b, c*L + l] = x[b, l, c]; for [d1, ...rest]
 *  the first axis moves last. */
export const flattenChannelsFirstRef: RefLayer = (x, B, shape) => {
  const A = shape[0];
  const N = prod(shape) / A;
  const at = (b: number, a: number, n: number) => b * A * N + a * N + n; // x index of y[b, n*A + a]
  const y = new Float64Array(x.length);
  for (let b = 0; b < B; b++) for (let a = 0; a < A; a++) for (let n = 0; n < N; n++) y[b * A * N + n * A + a] = x[at(b, a, n)];
  return {
    outShape: [A * N],
    y,
    state: {},
    backward(dy) {
      const dx = new Float64Array(x.length);
      for (let b = 0; b < B; b++) for (let a = 0; a < A; a++) for (let n = 0; n < N; n++) dx[at(b, a, n)] = dy[b * A * N + n * A + a];
      return { dx, grads: {} };
    },
  };
};
