// One WebAssembly.Memory, the kernel instance that imports it, and the arena that plans it.
// Views over memory.buffer go stale after memory.grow, so they are made on demand by f32()/i32()
// and never cached by callers across an allocation.

import { wasmBase64, type KernelExports } from '../generated/kernels.ts';
import { Arena } from './arena.ts';

export type { KernelExports };

/** The cnn1d runtime: memory, kernels, arena. */
export class Runtime {
  readonly arena: Arena;

  constructor(
    readonly memory: WebAssembly.Memory,
    readonly kernels: KernelExports,
  ) {
    this.arena = new Arena(memory, kernels.heapBase());
  }

  /** A fresh Float32Array view of `n` floats at byte address `ptr`. */
  f32(ptr: number, n: number): Float32Array {
    return new Float32Array(this.memory.buffer, ptr, n);
  }

  /** A fresh Int32Array view of `n` ints at byte address `ptr`. */
  i32(ptr: number, n: number): Int32Array {
    return new Int32Array(this.memory.buffer, ptr, n);
  }

  /** Allocates n floats (zeroed) and returns the byte address. */
  allocF32(n: number): number {
    return this.arena.alloc(n * 4);
  }

  /** Allocates n floats and copies `data` in. */
  upload(data: ArrayLike<number>): number {
    const ptr = this.allocF32(data.length);
    this.f32(ptr, data.length).set(data);
    return ptr;
  }

  /** Copies n floats out of memory. */
  download(ptr: number, n: number): Float32Array {
    return this.f32(ptr, n).slice();
  }

  release(ptr: number): void {
    this.arena.release(ptr);
  }
}

let module: WebAssembly.Module | undefined;
let current: Runtime | undefined;

function wasmBytes(): Uint8Array<ArrayBuffer> {
  const bin = atob(wasmBase64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

function imports(memory: WebAssembly.Memory): WebAssembly.Imports {
  return {
    env: {
      memory,
      abort: () => {
        throw new Error('cnn1d: kernel abort');
      },
    },
  };
}

function newMemory(): WebAssembly.Memory {
  return new WebAssembly.Memory({ initial: 16 });
}

/** The shared runtime, instantiated synchronously on first use (Node, workers, browsers for a
 *  module of this size). Call `ready()` first in a browser main thread to compile asynchronously. */
export function runtime(): Runtime {
  if (!current) {
    module ??= new WebAssembly.Module(wasmBytes());
    const memory = newMemory();
    const instance = new WebAssembly.Instance(module, imports(memory));
    current = new Runtime(memory, instance.exports as unknown as KernelExports);
  }
  return current;
}

/** Compiles and instantiates the kernels asynchronously; resolves to the shared runtime. */
export async function ready(): Promise<Runtime> {
  if (!current) {
    module ??= await WebAssembly.compile(wasmBytes());
    const memory = newMemory();
    const instance = await WebAssembly.instantiate(module, imports(memory));
    current ??= new Runtime(memory, instance.exports as unknown as KernelExports);
  }
  return current;
}
