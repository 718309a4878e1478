export type Floats = Float32Array | Float64Array;
