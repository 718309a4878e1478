// Embedding kernels vs src/reference/embedding.ts over row widths hitting every SIMD tail, with
// repeated ids (their gradients add up), guard floats, and the refusal of bad ids.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import * as ref from '../../src/reference/embedding.ts';
import { withScratch, assertClose, Random, guardedBuffer, SIMD_TAIL_SIZES } from '../helpers/wasm.ts';

test('embedding_forward/backward match the reference over every tail', () => {
  const rng = new Random(51);
  for (const D of SIMD_TAIL_SIZES) {
    for (const [N, V] of [[1, 1], [7, 3], [20, 11]]) {
      withScratch((s) => {
        const at = `N=${N} V=${V} D=${D}`;
        const ids = Float32Array.from({ length: N }, () => rng.int(V));
        const table = rng.uniformArray(V * D);
        const pids = s.put(ids);
        const y = guardedBuffer(s, new Float32Array(N * D));
        assert.equal(s.k.embedding_forward(pids, s.put(table), y.ptr, N, V, D), -1, at);
        const ry = new Float32Array(N * D);
        assert.equal(ref.embeddingForward(ids, table, ry, N, V, D), -1);
        assert.deepEqual([...y.read()], [...ry], `y ${at}`);
        y.check(at);
        const dy = rng.uniformArray(N * D);
        const dt0 = rng.uniformArray(V * D);
        const dt = guardedBuffer(s, dt0);
        s.k.embedding_backward(pids, s.put(dy), dt.ptr, N, D);
        const rdt = Float64Array.from(dt0);
        ref.embeddingBackward(ids, dy, rdt, N, D);
        assertClose(dt.read(), rdt, `dtable ${at}`, 1e-6, 1e-5);
        dt.check(at);
      });
    }
  }
});

test('embedding_forward returns the index of the first id that is not an integer in [0, V)', () => {
  withScratch((s) => {
    const table = s.put(new Float32Array(3 * 2));
    const y = s.zeros(4 * 2);
    for (const [bad, want] of [[-1, 2], [3, 2], [1.5, 2], [NaN, 2], [Infinity, 2], [2, -1]] as const) {
      const ids = Float32Array.of(0, 1, bad, 0);
      assert.equal(s.k.embedding_forward(s.put(ids), table, y, 4, 3, 2), want, `id ${bad}`);
      assert.equal(ref.embeddingForward(ids, new Float32Array(6), new Float32Array(8), 4, 3, 2), want, `reference, id ${bad}`);
    }
  });
});
