// A plain host-side tensor: float32 values in row-major order with a shape. Model inputs and
// outputs cross into the kernel memory once per batch; a Tensor never points into it.

import { ConfigError, showValue } from './layers/args.ts';

export type NestedArray = number | NestedArray[];

export class Tensor {
  readonly shape: number[];
  readonly data: Float32Array;

  constructor(data: Float32Array, shape: number[]) {
    const n = shape.reduce((a, b) => a * b, 1);
    if (!shape.every((d) => Number.isInteger(d) && d >= 0)) throw new ConfigError(`tensor: shape must be non-negative integers, got ${showValue(shape)}`);
    if (data.length !== n) throw new ConfigError(`tensor: shape [${shape}] needs ${n} values, got ${data.length}`);
    this.data = data;
    this.shape = shape.slice();
  }

  get rank(): number {
    return this.shape.length;
  }

  get size(): number {
    return this.data.length;
  }

  /** The values as nested arrays of the tensor's shape. */
  toArray(): NestedArray[] {
    const build = (offset: number, dim: number): NestedArray[] => {
      const n = this.shape[dim];
      const stride = this.shape.slice(dim + 1).reduce((a, b) => a * b, 1);
      const out: NestedArray[] = [];
      for (let i = 0; i < n; i++) out.push(dim === this.shape.length - 1 ? this.data[offset + i] : build(offset + i * stride, dim + 1));
      return out;
    };
    return this.shape.length === 0 ? [this.data[0]] : build(0, 0);
  }

  /** Samples [start, end) along the first axis (a copy). */
  slice(start: number, end: number): Tensor {
    const per = this.shape.slice(1).reduce((a, b) => a * b, 1);
    return new Tensor(this.data.slice(start * per, end * per), [end - start, ...this.shape.slice(1)]);
  }

  /** Samples at the given indices along the first axis (a copy). */
  gather(indices: ArrayLike<number>): Tensor {
    const per = this.shape.slice(1).reduce((a, b) => a * b, 1);
    const out = new Float32Array(indices.length * per);
    for (let i = 0; i < indices.length; i++) out.set(this.data.subarray(indices[i] * per, (indices[i] + 1) * per), i * per);
    return new Tensor(out, [indices.length, ...this.shape.slice(1)]);
  }

  reshape(shape: number[]): Tensor {
    return new Tensor(this.data, shape);
  }
}

function inferShape(v: NestedArray): number[] {
  const shape: number[] = [];
  let cur: NestedArray = v;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    cur = cur[0] as NestedArray;
  }
  return shape;
}

function flattenInto(v: NestedArray, shape: number[], dim: number, out: number[], path: number[]): void {
  if (dim === shape.length) {
    if (typeof v !== 'number') throw new ConfigError(`tensor: expected a number at [${path}], got ${showValue(v)}`);
    out.push(v);
    return;
  }
  if (!Array.isArray(v) || v.length !== shape[dim]) {
    throw new ConfigError(`tensor: ragged nested array: at [${path}] expected an array of length ${shape[dim]}, got ${Array.isArray(v) ? `length ${v.length}` : showValue(v)}`);
  }
  v.forEach((e, i) => flattenInto(e, shape, dim + 1, out, [...path, i]));
}

/** tensor(nestedArray), tensor(flatValues, shape), or tensor(Float32Array, shape). */
export function tensor(values: NestedArray | ArrayLike<number>, shape?: number[]): Tensor {
  if (values instanceof Tensor) return values;
  if (ArrayBuffer.isView(values) || (Array.isArray(values) && shape !== undefined && values.every((v) => typeof v === 'number'))) {
    const data = values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
    return new Tensor(data, shape ?? [data.length]);
  }
  if (typeof values === 'number') return new Tensor(Float32Array.of(values), shape ?? []);
  if (!Array.isArray(values)) throw new ConfigError(`tensor: expected a nested array, a typed array or a Tensor, got ${showValue(values)}`);
  const inferred = inferShape(values as NestedArray);
  const flat: number[] = [];
  flattenInto(values as NestedArray, inferred, 0, flat, []);
  const t = new Tensor(Float32Array.from(flat), inferred);
  return shape ? t.reshape(shape) : t;
}
