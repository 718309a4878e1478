/** The arrays the reference kernels accept: float32 to mirror the WASM kernels, float64 for gradient checks. */
export type Floats = Float32Array | Float64Array;
