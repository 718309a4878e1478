// The WASM ABI of cnn1d: free functions over raw pointers into the one imported memory.
// Kernels never allocate; sizes are validated in TypeScript before any call (src/layers).
//
// Dimension legend used in every shape comment:
//   B batch, L input length, Lp padded input length, T output length, C input channels,
//   F filters / output channels, K kernel size, S stride, D dilation, P pool size,
//   I dense input units, U dense output units, N element count, R rows.
// Tensors are row-major, channels last: an activation [B, L, C] has x[b, l, c] at ((b*L)+l)*C+c.
// Backward kernels ACCUMULATE (+=) into gradient buffers; the model zeroes all gradients once
// per step, as in llm.c. Forward kernels overwrite their outputs.

export function heapBase(): usize {
  return __heap_base;
}

export * from './kernels/gemm';
export * from './kernels/bias';
export * from './kernels/conv1d';
export * from './kernels/conv_grouped';
export * from './kernels/conv_transpose';
export * from './kernels/dense';
export * from './kernels/pool1d';
export * from './kernels/activations';
export * from './kernels/relu_general';
export * from './kernels/losses';
export * from './kernels/optimizers';
export * from './kernels/batchnorm';
export * from './kernels/dropout';
export * from './kernels/merge';
export * from './kernels/shape';
export * from './kernels/check';
export * from './kernels/layernorm';
export * from './kernels/noise';
export * from './kernels/embedding';
export * from './kernels/regularizers';
export * from './kernels/peak';
export * from './kernels/buffers';
export * from './kernels/winograd';
