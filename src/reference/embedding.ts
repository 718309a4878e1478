// Reference of assembly/kernels/embedding.ts.   ids [N]   table, dtable [V, D]   y, dy [N, D]
import type { Floats } from './types.ts';

/** -1, or the index of the first id that is not an integer in [0, V). */
export function embeddingForward(ids: Floats, table: Floats, y: Floats, N: number, V: number, D: number): number {
  for (let n = 0; n < N; n++) {
    const v = ids[n];
    if (!(v >= 0 && v < V && Number.isInteger(v))) return n;
    for (let d = 0; d < D; d++) y[n * D + d] = table[v * D + d];
  }
  return -1;
}

export function embeddingBackward(ids: Floats, dy: Floats, dtable: Floats, N: number, D: number): void {
  for (let n = 0; n < N; n++) for (let d = 0; d < D; d++) dtable[ids[n] * D + d] += dy[n * D + d];
}
