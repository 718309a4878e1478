// Embedding: a lookup of rows of a table by integer token ids (given as floats).
//   ids [N]   table, dtable [V, D]   y, dy [N, D]
// forward:  y[n, :] = table[ids[n], :]
// backward: dtable[ids[n], :] += dy[n, :]   (no gradient reaches the ids)

/** Copies the rows; returns -1, or the index n of the first id that is not an integer in [0, V)
 *  (nothing is read for it or after it). */
export function embedding_forward(ids: usize, table: usize, y: usize, N: i32, V: i32, D: i32): i32 {
  const bytes = <usize>D << 2;
  for (let n = 0; n < N; n++) {
    const v = load<f32>(ids + (<usize>n << 2));
    if (!(v >= 0 && v < <f32>V) || v != Mathf.floor(v)) return n;
    memory.copy(y + <usize>n * bytes, table + <usize><i32>v * bytes, bytes);
  }
  return -1;
}

/** Accumulates dtable; ids were checked by the forward. */
export function embedding_backward(ids: usize, dy: usize, dtable: usize, N: i32, D: i32): void {
  const D4 = D & ~3;
  for (let n = 0; n < N; n++) {
    const row = dtable + ((<usize><i32>load<f32>(ids + (<usize>n << 2)) * <usize>D) << 2);
    const src = dy + ((<usize>n * <usize>D) << 2);
    let d = 0;
    for (; d < D4; d += 4) {
      const p = <usize>d << 2;
      v128.store(row + p, f32x4.add(v128.load(row + p), v128.load(src + p)));
    }
    for (; d < D; d++) {
      const p = <usize>d << 2;
      store<f32>(row + p, load<f32>(row + p) + load<f32>(src + p));
    }
  }
}
