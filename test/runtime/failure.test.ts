// A failed allocation changes nothing: the arena (bump pointer, free list, memory size), a
// WorkPlan (all of its blocks or none) and a model's weight blocks (both or neither).
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { Arena, OutOfMemoryError, MAX_MEMORY_BYTES } from '../../src/runtime/arena.ts';
import { WorkPlan } from '../../src/runtime/plan.ts';
import { runtime, type Runtime } from '../../src/runtime/runtime.ts';
import { ModelMemory } from '../../src/models/ownership.ts';

const PAGE = 65536;

test('an allocation the memory refuses to grow for leaves the arena unchanged', () => {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 2 });
  const arena = new Arena(memory, 1024);
  const a = arena.alloc(1000);
  const b = arena.alloc(1000);
  arena.release(a);
  assert.throws(() => arena.alloc(3 * PAGE), (e: Error) => e instanceof OutOfMemoryError && e instanceof RangeError && /cannot allocate 0.2 MiB: .*use a smaller batch size or model/.test(e.message));
  assert.equal(memory.buffer.byteLength, PAGE, 'the memory did not grow');
  assert.equal(arena.bytesInUse, 1024, 'regions are whole cache lines (64 bytes)');
  assert.equal(arena.alloc(1000), a, 'the free list is intact: the released region comes back first');
  const c = arena.alloc(16);
  assert.equal(c, b + 1024, 'the bump pointer did not move');
  assert.equal(c % 64, 0, 'regions start on a cache line');
  const d = arena.alloc(PAGE); // growing within the maximum still works
  assert.equal(memory.buffer.byteLength, 2 * PAGE);
  assert.equal(d, c + 64);
});

test('requests past the 4 GiB of wasm32 are refused before the memory is touched', () => {
  const rt = runtime();
  const before = rt.memory.buffer.byteLength;
  const inUse = rt.arena.bytesInUse;
  for (const bytes of [MAX_MEMORY_BYTES, 2 ** 40]) {
    assert.throws(() => rt.arena.alloc(bytes), /past the 4096 MiB limit of 32-bit WebAssembly/);
  }
  for (const bytes of [-1, 1.5, NaN, Infinity, 2 ** 60]) assert.throws(() => rt.arena.alloc(bytes), /bytes must be a non-negative integer/);
  assert.equal(rt.memory.buffer.byteLength, before);
  assert.equal(rt.arena.bytesInUse, inUse);
  assert.equal(rt.arena.fits(MAX_MEMORY_BYTES), false);
  assert.equal(rt.arena.fits(1024), true);
});

test('arena.holds accepts only ranges inside one allocated region', () => {
  const rt = runtime();
  const p = rt.allocF32(16); // one 64-byte region
  assert.ok(rt.arena.holds(p, 64) && rt.arena.holds(p + 16, 48) && rt.arena.holds(p, 0));
  assert.ok(!rt.arena.holds(p + 16, 64), 'runs past the end');
  assert.ok(!rt.arena.holds(0, 4) && !rt.arena.holds(p - 4, 8) && !rt.arena.holds(NaN, 4) && !rt.arena.holds(p, -4));
  rt.release(p);
  assert.ok(!rt.arena.holds(p, 4), 'released');
});

/** A runtime whose arena refuses the n-th allocation and records releases. */
function failingRuntime(failAt: number) {
  let calls = 0;
  const released: number[] = [];
  const arena = {
    fits: () => true,
    alloc: () => {
      if (++calls === failAt) throw new OutOfMemoryError('refused');
      return calls * 1024;
    },
    release: (ptr: number) => void released.push(ptr),
  };
  return { rt: { arena, allocF32: (n: number) => arena.alloc(), release: arena.release } as unknown as Runtime, released };
}

test('WorkPlan.allocate is all or nothing: a refused block releases the blocks made before it', () => {
  for (const failAt of [1, 2, 3]) {
    const { rt, released } = failingRuntime(failAt);
    const plan = new WorkPlan(rt, 4);
    const slots = [plan.act(10), plan.grad(10), plan.scratch(10)];
    assert.throws(() => plan.allocate(), OutOfMemoryError);
    assert.deepEqual(released, [1024, 2048].slice(0, failAt - 1), `block ${failAt} refused`);
    assert.equal(plan.live, false);
    assert.deepEqual(plan.regions, []);
    assert.ok(slots.every((s) => s.ptr === 0));
    assert.throws(() => plan.zeroGrads(), /not allocated/);
    plan.dispose(); // nothing to release twice
    assert.equal(released.length, failAt - 1);
  }
  const rt = runtime();
  const huge = new WorkPlan(rt, 1);
  huge.act(2 ** 30);
  huge.grad(2 ** 30);
  const inUse = rt.arena.bytesInUse;
  assert.throws(() => huge.allocate(), /8589934592 bytes cannot fit in 32-bit WebAssembly memory/);
  assert.equal(rt.arena.bytesInUse, inUse);
});

test('a disposed WorkPlan is not live, clears its slots and releases once', () => {
  const rt = runtime();
  const inUse = rt.arena.bytesInUse;
  const plan = new WorkPlan(rt, 2);
  const s = plan.act(5);
  plan.allocate();
  assert.ok(plan.live && s.ptr !== 0 && plan.regions.length === 3);
  plan.dispose();
  plan.dispose();
  assert.ok(!plan.live && s.ptr === 0);
  assert.equal(rt.arena.bytesInUse, inUse);
});

test('ModelMemory allocates the parameter and state blocks both or neither, and releases once', () => {
  const { rt, released } = failingRuntime(2);
  const mem = new ModelMemory(rt);
  assert.throws(() => mem.allocWeights(10, 10), OutOfMemoryError);
  assert.deepEqual(released, [1024], 'the parameter block is given back when the state block is refused');
  assert.equal(mem.params, 0);
  const real = new ModelMemory(runtime());
  const inUse = runtime().arena.bytesInUse;
  real.allocWeights(10, 3);
  real.release();
  real.release();
  assert.equal(runtime().arena.bytesInUse, inUse);
  assert.throws(() => real.check('m', 'predict'), /model "m": predict\(\) called after dispose\(\)/);
});

test('zeroGrads zeroes the whole gradient block but the slots declared unused', () => {
  const rt = runtime();
  const plan = new WorkPlan(rt, 1);
  const [a, b, c, d] = [plan.grad(5), plan.grad(20), plan.grad(16), plan.grad(3)];
  const act = plan.act(8);
  assert.throws(() => plan.skipZero(act), /not a gradient slot/);
  plan.skipZero(b);
  plan.skipZero(d);
  plan.skipZero(d); // once is enough
  // slots are 16-float aligned: a [0, 16), b [16, 48), c [48, 64), d [64, 80)
  assert.deepEqual(plan.zeroRanges(), [[0, 16], [48, 16]]);
  plan.allocate();
  for (const s of [a, b, c, d]) rt.f32(s.ptr, s.floats).fill(7);
  plan.zeroGrads();
  assert.deepEqual([a, b, c, d].map((s) => Array.from(rt.f32(s.ptr, s.floats)).every((v) => v === 0)), [true, false, true, false]);
  assert.ok(Array.from(rt.f32(b.ptr, b.floats)).every((v) => v === 7) && Array.from(rt.f32(d.ptr, d.floats)).every((v) => v === 7), 'skipped slots untouched');
  plan.dispose();
});
