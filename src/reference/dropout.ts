// Reference of assembly/kernels/dropout.ts: the same counter hash (lowbias32), scalar.
import type { Floats } from './types.ts';

export function dropoutHash(x: number): number {
  x = (x ^ (x >>> 16)) >>> 0;
  x = Math.imul(x, 0x7feb352d) >>> 0;
  x = (x ^ (x >>> 15)) >>> 0;
  x = Math.imul(x, 0x846ca68b) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

export function dropoutForward(x: Floats, y: Floats, mask: Floats, N: number, rate: number, seed: number): void {
  const r = Math.fround(rate); // the kernel takes rate as f32
  const scale = r < 1 ? Math.fround(1 / Math.fround(1 - r)) : 0;
  for (let i = 0; i < N; i++) {
    const u = (dropoutHash((seed + i) >>> 0) >>> 8) / 16777216;
    mask[i] = u >= r ? scale : 0;
    y[i] = x[i] * mask[i];
  }
}

export function dropoutBackward(dy: Floats, mask: Floats, dx: Floats, N: number): void {
  for (let i = 0; i < N; i++) dx[i] += dy[i] * mask[i];
}
