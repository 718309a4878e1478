import { test } from 'vitest';
import { concatBackward, concatForward, mergeBackward, mergeForward } from '../../src/reference/merge.ts';
import { MergeKind } from '../../src/runtime/codes.ts';
import { Random, assertClose, withScratch, guardedBuffer, CHANNELS } from '../helpers/wasm.ts';

const rng = new Random(31);

test('merge_forward/backward match the reference for every kind, broadcast on either side, over SIMD tails', () => {
  for (const [name, kind] of Object.entries(MergeKind)) {
    for (const C of [...CHANNELS, 16, 17]) {
      for (const [L0, L1] of [[5, 5], [5, 1], [1, 5], [1, 1], [3, 3]]) {
        withScratch((s) => {
          const B = 2;
          const L = Math.max(L0, L1);
          const label = `${name} C=${C} L0=${L0} L1=${L1}`;
          // a grid with exact ties, so maximum/minimum's tie rule is exercised
          const x0 = rng.uniformArray(B * L0 * C, -2, 2).map((v) => Math.round(v * 4) / 4);
          const x1 = rng.uniformArray(B * L1 * C, -2, 2).map((v) => Math.round(v * 4) / 4);
          const dy = rng.uniformArray(B * L * C, -1, 1);
          const y = guardedBuffer(s, new Float32Array(B * L * C));
          const p0 = s.put(x0);
          const p1 = s.put(x1);
          s.k.merge_forward(kind, p0, p1, y.ptr, B, L0, L1, C);
          const ry = new Float32Array(B * L * C);
          mergeForward(kind, x0, x1, ry, B, L0, L1, C);
          assertClose(y.read(), ry, `${label} y`, 0, 1e-6);
          y.check(`${label} y`);
          const d0 = rng.uniformArray(x0.length, -1, 1);
          const d1 = rng.uniformArray(x1.length, -1, 1);
          const g0 = guardedBuffer(s, d0);
          const g1 = guardedBuffer(s, d1);
          const sc = kind === MergeKind.add ? 0.5 : 1;
          s.k.merge_backward(kind, p0, p1, s.put(dy), g0.ptr, g1.ptr, B, L0, L1, C, sc);
          const r0 = Float32Array.from(d0);
          const r1 = Float32Array.from(d1);
          mergeBackward(kind, x0, x1, dy, r0, r1, B, L0, L1, C, sc);
          assertClose(g0.read(), r0, `${label} dx0`, 1e-6, 1e-5);
          assertClose(g1.read(), r1, `${label} dx1`, 1e-6, 1e-5);
          g0.check(`${label} dx0`);
          g1.check(`${label} dx1`);
          // a 0 address skips that gradient
          const only = guardedBuffer(s, d0);
          s.k.merge_backward(kind, p0, p1, s.put(dy), only.ptr, 0, B, L0, L1, C, sc);
          assertClose(only.read(), r0, `${label} dx0 alone`, 1e-6, 1e-5);
        });
      }
    }
  }
});

test('scale_f32 and concat_forward/backward match the reference over tails', () => {
  for (const N of [1, 3, 4, 5, 7, 8, 15, 16, 17, 33]) {
    withScratch((s) => {
      const x = rng.uniformArray(N, -3, 3);
      const y = guardedBuffer(s, new Float32Array(N));
      s.k.scale_f32(s.put(x), y.ptr, N, 0.25);
      assertClose(y.read(), x.map((v) => v * 0.25), `scale N=${N}`, 0, 0);
      y.check(`scale N=${N}`);
    });
  }
  for (const R of [1, 3, 6]) {
    for (const [Ci, Co, off] of [[1, 4, 0], [3, 8, 5], [4, 9, 4], [5, 5, 0], [8, 17, 9], [17, 33, 16]]) {
      withScratch((s) => {
        const label = `concat R=${R} Ci=${Ci} Co=${Co} offset=${off}`;
        const x = rng.uniformArray(R * Ci, -1, 1);
        const init = rng.uniformArray(R * Co, -1, 1);
        const y = guardedBuffer(s, init);
        s.k.concat_forward(s.put(x), y.ptr, R, Ci, Co, off);
        const ry = Float32Array.from(init);
        concatForward(x, ry, R, Ci, Co, off);
        assertClose(y.read(), ry, `${label} y`, 0, 0);
        y.check(`${label} y`);
        const dy = rng.uniformArray(R * Co, -1, 1);
        const dx0 = rng.uniformArray(R * Ci, -1, 1);
        const dx = guardedBuffer(s, dx0);
        s.k.concat_backward(s.put(dy), dx.ptr, R, Ci, Co, off);
        const rdx = Float32Array.from(dx0);
        concatBackward(dy, rdx, R, Ci, Co, off);
        assertClose(dx.read(), rdx, `${label} dx`, 0, 0);
        dx.check(`${label} dx`);
      });
    }
  }
});
