// The arena: one allocator over the kernel module's linear memory. A model plans all its regions
// (parameters, gradients, optimizer state, activations, scratch) when it is built, so training
// steps allocate nothing. Addresses are byte offsets, 16-byte aligned for v128 loads.

const ALIGN = 16;
const PAGE = 65536;

interface FreeBlock {
  ptr: number;
  bytes: number;
}

export class Arena {
  private readonly free: FreeBlock[] = []; // sorted by ptr, coalesced
  private readonly used = new Map<number, number>(); // ptr -> bytes
  private top: number; // first byte never handed out

  constructor(
    private readonly memory: WebAssembly.Memory,
    base: number,
  ) {
    this.top = roundUp(Math.max(base, ALIGN), ALIGN);
  }

  /** Bytes currently handed out. */
  get bytesInUse(): number {
    let total = 0;
    for (const bytes of this.used.values()) total += bytes;
    return total;
  }

  /** Allocates `bytes` (rounded up to 16), zero-filled; grows the memory when needed. */
  alloc(bytes: number): number {
    if (!Number.isInteger(bytes) || bytes < 0) throw new RangeError(`Arena.alloc: bytes must be a non-negative integer, got ${bytes}`);
    const size = Math.max(ALIGN, roundUp(bytes, ALIGN));
    let ptr = -1;
    for (let i = 0; i < this.free.length; i++) {
      const block = this.free[i];
      if (block.bytes >= size) {
        ptr = block.ptr;
        if (block.bytes === size) this.free.splice(i, 1);
        else {
          block.ptr += size;
          block.bytes -= size;
        }
        break;
      }
    }
    if (ptr < 0) {
      ptr = this.top;
      this.top += size;
      this.ensure(this.top);
    }
    this.used.set(ptr, size);
    new Uint8Array(this.memory.buffer, ptr, size).fill(0);
    return ptr;
  }

  /** Returns a region from alloc() to the arena. */
  release(ptr: number): void {
    const size = this.used.get(ptr);
    if (size === undefined) throw new Error(`Arena.release: ${ptr} is not an allocated region`);
    this.used.delete(ptr);
    let i = 0;
    while (i < this.free.length && this.free[i].ptr < ptr) i++;
    this.free.splice(i, 0, { ptr, bytes: size });
    // coalesce with the next, then the previous block
    const cur = this.free[i];
    const next = this.free[i + 1];
    if (next && cur.ptr + cur.bytes === next.ptr) {
      cur.bytes += next.bytes;
      this.free.splice(i + 1, 1);
    }
    const prev = this.free[i - 1];
    if (prev && prev.ptr + prev.bytes === cur.ptr) {
      prev.bytes += cur.bytes;
      this.free.splice(i, 1);
    }
    // give the tail back to the bump pointer
    const last = this.free[this.free.length - 1];
    if (last && last.ptr + last.bytes === this.top) {
      this.top = last.ptr;
      this.free.pop();
    }
  }

  private ensure(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    const pages = Math.ceil((end - have) / PAGE);
    try {
      this.memory.grow(pages);
    } catch (e) {
      throw new RangeError(`cnn1d: cannot grow WebAssembly memory to ${(end / 2 ** 20).toFixed(1)} MiB (${(e as Error).message}); use a smaller batch size or model`);
    }
  }
}

function roundUp(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}
