// Memory planning. Parameters and non-trainable state get one region each when a model is built;
// everything that scales with the batch (activations, their gradients, scratch) is planned for a
// batch capacity in one WorkPlan: layers request Slots, then one arena region per block is made.
// The gradient block holds [parameter gradients | activation gradients] so a training step zeroes
// every gradient with a single fill (backward kernels accumulate, as in llm.c).

import { OutOfMemoryError } from './arena.ts';
import type { Runtime } from './runtime.ts';

export type BlockName = 'act' | 'grad' | 'scratch';

/** A planned buffer; `ptr` (byte address) is valid while its plan is live (allocated, not disposed). */
export class Slot {
  ptr = 0;
  constructor(
    readonly block: BlockName,
    readonly offset: number, // in floats from the block start
    readonly floats: number,
  ) {}
}

const BLOCKS: readonly BlockName[] = ['act', 'grad', 'scratch'];
const round16 = (n: number) => Math.ceil(n / 16) * 16; // every slot 64-byte aligned (a cache line; the arena aligns blocks so)

export class WorkPlan {
  private readonly sizes: Record<BlockName, number> = { act: 0, grad: 0, scratch: 0 };
  private readonly slots: Slot[] = [];
  private readonly bases: Record<BlockName, number> = { act: 0, grad: 0, scratch: 0 };
  private allocated = false;
  private readonly skipped: Slot[] = [];
  private ranges: [number, number][] | null = null;

  constructor(
    private readonly rt: Runtime,
    readonly batchCapacity: number,
  ) {}

  /** Requests `floats` floats in a block (ints for index buffers use the same width). */
  request(block: BlockName, floats: number): Slot {
    if (this.allocated) throw new Error('WorkPlan: cannot request after allocation');
    const slot = new Slot(block, this.sizes[block], floats);
    this.sizes[block] += round16(Math.max(floats, 1));
    this.slots.push(slot);
    return slot;
  }

  act(floats: number): Slot {
    return this.request('act', floats);
  }
  grad(floats: number): Slot {
    return this.request('grad', floats);
  }
  scratch(floats: number): Slot {
    return this.request('scratch', floats);
  }

  /** Makes the arena regions and resolves every slot's address: all or nothing. A plan too large
   *  for the memory is refused before any region is made; a region refused later releases the
   *  ones made before it. Either way the plan stays unallocated and its slots keep no address. */
  allocate(): void {
    if (this.allocated) throw new Error('WorkPlan: already allocated');
    if (!this.rt.arena.fits(this.bytes)) throw new OutOfMemoryError(`WorkPlan: ${this.bytes} bytes cannot fit in 32-bit WebAssembly memory (4 GiB)`);
    const got: number[] = [];
    try {
      for (const b of BLOCKS) got.push((this.bases[b] = this.rt.arena.alloc(this.sizes[b] * 4)));
    } catch (e) {
      for (const ptr of got) this.rt.arena.release(ptr);
      throw e;
    }
    for (const s of this.slots) s.ptr = this.bases[s.block] + s.offset * 4;
    this.allocated = true;
  }

  /** Whether the regions exist (allocated and not disposed): slot addresses are usable. */
  get live(): boolean {
    return this.allocated;
  }

  /** The arena regions of a live plan (empty otherwise), for an owner that frees them. */
  get regions(): number[] {
    return this.allocated ? BLOCKS.map((b) => this.bases[b]) : [];
  }

  /** Leaves a gradient that nothing writes or reads out of zeroGrads (the output gradient of a
   *  batch norm whose ReLU runs inside it: layers/activation.ts). */
  skipZero(slot: Slot): void {
    if (slot.block !== 'grad' || !this.slots.includes(slot)) throw new Error('WorkPlan.skipZero: not a gradient slot of this plan');
    if (!this.skipped.includes(slot)) this.skipped.push(slot);
  }

  /** The [offset, floats) ranges of the gradient block that zeroGrads fills: all of it but the
   *  skipped slots. */
  zeroRanges(): [number, number][] {
    const out: [number, number][] = [];
    let at = 0;
    for (const s of [...this.skipped].sort((a, b) => a.offset - b.offset)) {
      if (s.offset > at) out.push([at, s.offset - at]);
      at = Math.max(at, s.offset + round16(Math.max(s.floats, 1)));
    }
    if (this.sizes.grad > at) out.push([at, this.sizes.grad - at]);
    return out;
  }

  /** Zeroes the gradient block (parameter and activation gradients) but the skipped slots, with
   *  `kernels` (the model's table: split over its threads). */
  zeroGrads(kernels = this.rt.kernels): void {
    if (!this.allocated) throw new Error('WorkPlan: zeroGrads on a plan that is not allocated');
    this.ranges ??= this.zeroRanges();
    for (const [offset, floats] of this.ranges) kernels.zero_f32(this.bases.grad + 4 * offset, floats);
  }

  get bytes(): number {
    return (this.sizes.act + this.sizes.grad + this.sizes.scratch) * 4;
  }

  /** Releases the regions (once; later calls do nothing) and clears every slot's address. */
  dispose(): void {
    if (!this.allocated) return;
    this.allocated = false;
    for (const b of BLOCKS) this.rt.arena.release(this.bases[b]);
    for (const s of this.slots) s.ptr = 0;
  }
}
