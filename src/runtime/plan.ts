// Memory planning. Parameters and non-trainable state get one region each when a model is built;
// everything that scales with the batch (activations, their gradients, scratch) is planned for a
// batch capacity in one WorkPlan: layers request Slots, then one arena region per block is made.
// The gradient block holds [parameter gradients | activation gradients] so a training step zeroes
// every gradient with a single fill (backward kernels accumulate, as in llm.c).

import type { Runtime } from './runtime.ts';

export type BlockName = 'act' | 'grad' | 'scratch';

/** A planned buffer; `ptr` (byte address) is valid once its plan is allocated. */
export class Slot {
  ptr = 0;
  constructor(
    readonly block: BlockName,
    readonly offset: number, // in floats from the block start
    readonly floats: number,
  ) {}
}

const round4 = (n: number) => Math.ceil(n / 4) * 4; // keep every slot 16-byte aligned

export class WorkPlan {
  private readonly sizes: Record<BlockName, number> = { act: 0, grad: 0, scratch: 0 };
  private readonly slots: Slot[] = [];
  private readonly bases: Record<BlockName, number> = { act: 0, grad: 0, scratch: 0 };
  private allocated = false;

  constructor(
    private readonly rt: Runtime,
    readonly batchCapacity: number,
  ) {}

  /** Requests `floats` floats in a block (ints for index buffers use the same width). */
  request(block: BlockName, floats: number): Slot {
    if (this.allocated) throw new Error('WorkPlan: cannot request after allocation');
    const slot = new Slot(block, this.sizes[block], floats);
    this.sizes[block] += round4(Math.max(floats, 1));
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

  /** Makes the arena regions and resolves every slot's address. */
  allocate(): void {
    for (const b of ['act', 'grad', 'scratch'] as BlockName[]) this.bases[b] = this.rt.arena.alloc(this.sizes[b] * 4);
    for (const s of this.slots) s.ptr = this.bases[s.block] + s.offset * 4;
    this.allocated = true;
  }

  /** Zeroes every gradient (parameter and activation) in one fill. */
  zeroGrads(): void {
    this.rt.f32(this.bases.grad, this.sizes.grad).fill(0);
  }

  get bytes(): number {
    return (this.sizes.act + this.sizes.grad + this.sizes.scratch) * 4;
  }

  dispose(): void {
    if (!this.allocated) return;
    for (const b of ['act', 'grad', 'scratch'] as BlockName[]) this.rt.arena.release(this.bases[b]);
    this.allocated = false;
  }
}
