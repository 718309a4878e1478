import { test } from 'vitest';
import { stridedCopy, stridedZero } from '../../src/reference/shape.ts';
import { Random, assertClose, withScratch, guardedBuffer } from '../helpers/wasm.ts';

const rng = new Random(37);

// The geometries the shape layers use, per sample x [L, C]: [A, R, N, xA, xR, xN, yA, yR, yN, x0, y0, ySize]
function geometries(B: number, L: number, C: number): [string, number[]][] {
  const s = 3;
  return [
    ['pad', [B, 1, L * C, L * C, 0, 1, (L + 3) * C, 0, 1, 0, 2 * C, B * (L + 3) * C]],
    ['crop', [B, 1, (L - 1) * C, L * C, 0, 1, (L - 1) * C, 0, 1, C, 0, B * (L - 1) * C]],
    ['upsample', [B * L, s, C, C, 0, 1, s * C, C, 1, 0, 0, B * L * s * C]],
    ['upsample grad', [B * L, s, C, s * C, C, 1, C, 0, 1, 0, 0, B * L * C]],
    ['transpose', [B, L, C, L * C, C, 1, L * C, 1, L, 0, 0, B * L * C]],
    ['transpose grad', [B, L, C, L * C, 1, L, L * C, C, 1, 0, 0, B * L * C]],
  ];
}

test('strided_copy matches the reference, copying and accumulating, over SIMD tails', () => {
  for (const C of [1, 2, 3, 4, 5, 7, 8, 9, 16, 17]) {
    for (const [B, L] of [[1, 2], [2, 5], [3, 4]]) {
      for (const [name, [A, R, N, xA, xR, xN, yA, yR, yN, x0, y0, ySize]] of geometries(B, L, C)) {
        for (const acc of [0, 1]) {
          withScratch((s) => {
            const label = `${name} C=${C} B=${B} L=${L} acc=${acc}`;
            const x = rng.uniformArray(B * L * C * 3, -1, 1);
            const init = rng.uniformArray(ySize, -1, 1);
            const y = guardedBuffer(s, init);
            s.k.strided_copy(s.put(x) + x0 * 4, y.ptr + y0 * 4, A, R, N, xA, xR, xN, yA, yR, yN, acc);
            const ry = Float32Array.from(init);
            stridedCopy(x, x0, ry, y0, A, R, N, xA, xR, xN, yA, yR, yN, acc === 1);
            assertClose(y.read(), ry, label, 1e-6, 1e-6);
            y.check(label);
          });
        }
      }
    }
  }
});

test('strided_zero clears only its rows', () => {
  for (const N of [1, 3, 4, 5, 8, 17]) {
    withScratch((s) => {
      const A = 3;
      const yA = N + 2;
      const init = rng.uniformArray(A * yA, 1, 2);
      const y = guardedBuffer(s, init);
      s.k.strided_zero(y.ptr + 4, A, N, yA);
      const ry = Float32Array.from(init);
      stridedZero(ry, 1, A, N, yA);
      assertClose(y.read(), ry, `zero N=${N}`, 0, 0);
      y.check(`zero N=${N}`);
    });
  }
});
