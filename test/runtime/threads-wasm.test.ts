// The two binary rewrites of the kernel module (src/threads/wasm-patch.ts): the worker variant
// writes nothing when instantiated (no static data re-copied over a live heap), the unshared
// variant imports a plain memory (the single-thread fallback).
import { expect, test } from 'vitest';
import { wasmBase64 } from '../../src/generated/kernels.ts';
import { importsSharedMemory, passiveData, unshareMemory } from '../../src/threads/wasm-patch.ts';
import { workerSource } from '../../src/threads/worker.ts';

const bytes = Uint8Array.from(atob(wasmBase64), (c) => c.charCodeAt(0));
const env = (memory: WebAssembly.Memory) => ({ env: { memory, abort: () => {} } });
const shared = () => new WebAssembly.Memory({ initial: 16, maximum: 64, shared: true });

test('the module as built imports a shared memory and has static data', () => {
  expect(importsSharedMemory(bytes)).toBe(true);
  const memory = shared();
  const k = new WebAssembly.Instance(new WebAssembly.Module(bytes), env(memory)).exports as { heapBase(): number };
  const head = new Uint8Array(memory.buffer, 0, k.heapBase());
  expect(head.some((b) => b !== 0), 'the data segments were written').toBe(true);
});

test('the worker variant writes nothing into the memory it joins, and computes the same', () => {
  const memory = shared();
  const view = new Uint8Array(memory.buffer);
  view.fill(0xab);
  const worker = new WebAssembly.Instance(new WebAssembly.Module(passiveData(bytes)), env(memory)).exports as { heapBase(): number; gemm_f32: (...a: number[]) => void };
  expect(view.every((b) => b === 0xab), 'no byte changed').toBe(true);
  expect(passiveData(bytes).length).toBeLessThan(bytes.length); // the offset expressions are gone
  // a heap written by the first instance survives a second instance of the worker variant
  const main = new WebAssembly.Instance(new WebAssembly.Module(bytes), env(memory)).exports as { heapBase(): number; activation_forward: (...a: number[]) => void };
  const at = Math.ceil(main.heapBase() / 16) * 16;
  const f = new Float32Array(memory.buffer, at, 8);
  f.set([-3, -1, 0.5, 2, 0.25, -0.5, 4, 1]);
  main.activation_forward(6, at, at + 32, 8, 0); // sigmoid: Math.exp reads the static tables
  const want = Array.from(new Float32Array(memory.buffer, at + 32, 8));
  new WebAssembly.Instance(new WebAssembly.Module(passiveData(bytes)), env(memory));
  main.activation_forward(6, at, at + 32, 8, 0);
  expect(Array.from(new Float32Array(memory.buffer, at + 32, 8))).toEqual(want);
  expect(worker.heapBase()).toBe(main.heapBase());
});

test('the unshared variant takes a plain memory, which the module as built refuses', () => {
  const plain = new WebAssembly.Memory({ initial: 16, maximum: 64 });
  expect(() => new WebAssembly.Instance(new WebAssembly.Module(bytes), env(plain))).toThrow(WebAssembly.LinkError);
  const un = unshareMemory(bytes);
  expect(importsSharedMemory(un)).toBe(false);
  expect(un.length).toBe(bytes.length);
  const k = new WebAssembly.Instance(new WebAssembly.Module(un), env(plain)).exports as { heapBase(): number };
  expect(k.heapBase()).toBeGreaterThan(0);
});

test('the worker source parses in both environments', () => {
  for (const node of [true, false]) expect(() => new Function(workerSource(node))).not.toThrow();
});
