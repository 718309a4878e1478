import { test } from 'vitest';
import assert from 'node:assert/strict';
import { runtime } from '../../src/runtime/runtime.ts';

test('arena hands out aligned, disjoint, zeroed regions and reuses released ones', () => {
  const rt = runtime();
  const a = rt.allocF32(5);
  const b = rt.allocF32(7);
  assert.equal(a % 16, 0);
  assert.equal(b % 16, 0);
  assert.ok(b >= a + 5 * 4, 'regions must not overlap');
  rt.f32(a, 5).fill(3);
  rt.release(a);
  const c = rt.allocF32(4);
  assert.equal(c, a, 'a released region of sufficient size is reused');
  assert.deepEqual([...rt.f32(c, 4)], [0, 0, 0, 0], 'reused regions are zeroed');
  rt.release(b);
  rt.release(c);
});

test('arena grows the memory and fresh views see the grown buffer', () => {
  const rt = runtime();
  const before = rt.memory.buffer.byteLength;
  const big = rt.allocF32(before); // 4x the current size
  assert.ok(rt.memory.buffer.byteLength > before);
  const view = rt.f32(big, before);
  view[before - 1] = 42;
  assert.equal(rt.f32(big, before)[before - 1], 42);
  rt.release(big);
});

test('arena rejects releasing an address it did not hand out', () => {
  assert.throws(() => runtime().release(12345), /not an allocated region/);
});
