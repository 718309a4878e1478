// Integer codes passed to the kind-dispatching kernels (assembly/kernels/activations.ts, losses.ts).
// The AssemblyScript side mirrors these numbers; test/kernels checks every code against its reference.

export const ActivationKind = {
  linear: 0,
  relu: 1,
  relu6: 2,
  leakyRelu: 3,
  elu: 4,
  selu: 5,
  sigmoid: 6,
  tanh: 7,
  softplus: 8,
  softsign: 9,
  swish: 10,
  gelu: 11,
  hardSigmoid: 12,
  mish: 13,
} as const;
export type ElementwiseActivation = keyof typeof ActivationKind;

export const LossKind = {
  meanSquaredError: 0,
  meanAbsoluteError: 1,
  huber: 2,
  logCosh: 3,
  categoricalCrossentropy: 4,
  categoricalCrossentropyFromLogits: 5,
  binaryCrossentropy: 6,
  binaryCrossentropyFromLogits: 7,
  hinge: 8,
  exponential: 9,
  sparseCategoricalCrossentropy: 10,
  sparseCategoricalCrossentropyFromLogits: 11,
  squaredHinge: 12,
  categoricalHinge: 13,
  kullbackLeiblerDivergence: 14,
  poisson: 15,
  meanAbsolutePercentageError: 16,
  meanSquaredLogarithmicError: 17,
} as const;
export type LossKindName = keyof typeof LossKind;

/** Mirrors the kinds of assembly/kernels/merge.ts. */
export const MergeKind = {
  add: 0,
  subtract: 1,
  multiply: 2,
  maximum: 3,
  minimum: 4,
} as const;
export type MergeKindName = keyof typeof MergeKind;
