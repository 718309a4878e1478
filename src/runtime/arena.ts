// The arena: one allocator over the kernel module's linear memory. A model plans all its regions
// (parameters, gradients, optimizer state, activations, scratch) when it is built, so training
// steps allocate nothing. Addresses are byte offsets, 64-byte aligned (v128 loads need 16; a whole
// cache line per region keeps threads that write neighbouring regions off each other's lines).
// A failed alloc() changes nothing: the new top is computed and the memory grown first, and only
// then is the region recorded, so a caught OutOfMemoryError leaves every other model intact.
//
// Owners dropped without dispose() (models, stream sessions: track()) give their regions back
// once garbage collected. A FinalizationRegistry alone is late: its cleanup runs only between
// tasks, so a synchronous loop that drops owners never sees it, and 100,000 dropped sessions
// reached 2 GiB. So an allocation that would grow the memory first frees the regions of every
// owner the collector has already taken (its WeakRef is empty), then tries the free blocks
// again. That happens whenever the memory would grow past a mark, which then doubles. No
// global.gc is needed: each owner is a JS object, and V8 collects short-lived objects often on
// its own. (A WeakRef read keeps its target alive until the current job ends, so an owner found
// alive at one scan is freed at a scan after that job; the doubling mark keeps such scans few.)

const ALIGN = 64; // a cache line: threads writing neighbouring regions (or row ranges) never share one
const PAGE = 65536;
/** wasm32 addresses end at 4 GiB (65536 pages); engines may refuse to grow earlier. */
export const MAX_MEMORY_BYTES = 2 ** 32;

/** The WebAssembly memory cannot hold a request (a RangeError, so `instanceof RangeError` holds).
 *  Nothing was allocated; a smaller batch size or model may still fit. */
export class OutOfMemoryError extends RangeError {
  override name = 'OutOfMemoryError';
}

interface FreeBlock {
  ptr: number;
  bytes: number;
}

/** An owner of regions, freed when collected: `free` must not reach the owner. */
interface Owned {
  owner: WeakRef<object>;
  free: () => void;
}

export class Arena {
  private readonly free: FreeBlock[] = []; // sorted by ptr, coalesced
  private readonly used = new Map<number, number>(); // ptr -> bytes
  private top: number; // first byte never handed out
  private readonly owned = new Map<object, Owned>(); // by token
  private readonly finalizer = new FinalizationRegistry<object>((token) => this.collected(token));
  private reclaimAt = 0; // the memory size past which an allocation first reclaims (doubles)

  constructor(
    private readonly memory: WebAssembly.Memory,
    base: number,
  ) {
    this.top = roundUp(Math.max(base, ALIGN), ALIGN);
  }

  /** The high-water mark: the first byte address never handed out. */
  get highWater(): number {
    return this.top;
  }

  /** Bytes currently handed out. */
  get bytesInUse(): number {
    let total = 0;
    for (const bytes of this.used.values()) total += bytes;
    return total;
  }

  /** Whether `bytes` more could be handed out past the current top without passing the 4 GiB
   *  address limit (conservative: free blocks are not counted; the engine may still refuse to
   *  grow). For rejecting absurd plans before allocating any part of them. */
  fits(bytes: number): boolean {
    return Number.isFinite(bytes) && bytes >= 0 && this.top + roundUp(bytes, ALIGN) <= MAX_MEMORY_BYTES;
  }

  /** Calls `free` once `owner` is garbage collected (or, earlier, when an allocation would grow
   *  the memory and the owner is already collected), unless untrack(token) came first. `free`
   *  and `token` must not reach the owner. */
  track(owner: object, free: () => void, token: object): void {
    this.owned.set(token, { owner: new WeakRef(owner), free });
    this.finalizer.register(owner, token, token);
  }

  /** Forgets an owner tracked with `token` (it was disposed). */
  untrack(token: object): void {
    this.owned.delete(token);
    this.finalizer.unregister(token);
  }

  private collected(token: object): void {
    const o = this.owned.get(token);
    if (!o) return;
    this.untrack(token);
    o.free();
  }

  /** Frees the regions of every tracked owner already collected; whether any were. */
  private reclaim(): boolean {
    let any = false;
    for (const [token, o] of this.owned) {
      if (o.owner.deref() !== undefined) continue;
      this.collected(token);
      any = true;
    }
    return any;
  }

  /** Allocates `bytes` (rounded up to 64), zero-filled; grows the memory when needed (after
   *  freeing the regions of collected owners: track()). Throws an OutOfMemoryError, with the
   *  arena unchanged, when the memory cannot hold it. */
  alloc(bytes: number): number {
    if (!Number.isSafeInteger(bytes) || bytes < 0) throw new RangeError(`Arena.alloc: bytes must be a non-negative integer, got ${bytes}`);
    const size = Math.max(ALIGN, roundUp(bytes, ALIGN));
    const fresh = this.memory.buffer.byteLength; // bytes past this are zero from memory.grow
    let ptr = -1;
    let i = this.free.findIndex((b) => b.bytes >= size);
    if (i < 0 && this.top + size > Math.max(fresh, this.reclaimAt)) {
      // the memory would grow past the mark: free collected owners first (the mark doubles, so
      // the scan costs O(owners) per doubling of the memory, not per growth)
      this.reclaimAt = 2 * (this.top + size);
      if (this.reclaim()) i = this.free.findIndex((b) => b.bytes >= size);
    }
    if (i >= 0) {
      const block = this.free[i];
      ptr = block.ptr;
      if (block.bytes === size) this.free.splice(i, 1);
      else {
        block.ptr += size;
        block.bytes -= size;
      }
    } else {
      ptr = this.top;
      this.ensure(ptr + size, bytes); // throws before anything changed
      this.top = ptr + size;
    }
    this.used.set(ptr, size);
    if (ptr < fresh) new Uint8Array(this.memory.buffer, ptr, Math.min(size, fresh - ptr)).fill(0);
    return ptr;
  }

  /** Whether [ptr, ptr + bytes) lies inside one region handed out by alloc(). */
  holds(ptr: number, bytes: number): boolean {
    if (!Number.isSafeInteger(ptr) || !Number.isSafeInteger(bytes) || bytes < 0) return false;
    for (const [start, size] of this.used) if (ptr >= start && ptr + bytes <= start + size) return true;
    return false;
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

  /** Grows the memory to at least `end` bytes; `wanted` is the request, for the message. */
  private ensure(end: number, wanted: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    const mib = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;
    const fail = (why: string) =>
      new OutOfMemoryError(`cnn1d: cannot allocate ${mib(wanted)}: the WebAssembly memory would grow to ${mib(end)} (${why}); use a smaller batch size or model`);
    if (end > MAX_MEMORY_BYTES) throw fail('past the 4096 MiB limit of 32-bit WebAssembly');
    try {
      this.memory.grow(Math.ceil((end - have) / PAGE));
    } catch (e) {
      throw fail((e as Error).message);
    }
  }
}

function roundUp(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}
