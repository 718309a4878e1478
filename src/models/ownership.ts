// Ownership of a model's memory. A model reaches its arena regions only through a ModelMemory:
//   params  trainable weights, one block        state  non-trainable weights, one block
//   work    the WorkPlans of training and of inference (core.ts keeps them apart)
//   optimizer  the optimizer whose state it allocated
//   sessions  the WorkPlans of its stream sessions
// ModelMemory holds no reference to the model, so the arena can free it when the model is garbage
// collected without dispose() (Arena.track: at the latest when an allocation would grow the
// memory). That is a safety net only: collection happens late or not at all, so dispose() stays
// the way.

import type { Optimizer } from '../optimizers/index.ts';
import type { WorkPlan } from '../runtime/plan.ts';
import type { Runtime } from '../runtime/runtime.ts';

/** A model used after dispose(), or after building it failed (`cause` holds that failure). */
export class ModelStateError extends Error {
  override name = 'ModelStateError';
}

/** What a work plan is for: training (every buffer kept for the backward, gradients) or
 *  inference (buffers shared by liveness, no gradients). */
export type PlanKind = 'training' | 'inference';

export class ModelMemory {
  /** The model's name, for messages about layers it owns (Layer.owner is this, not the model). */
  name = '';
  params = 0;
  state = 0;
  private readonly plans: Record<PlanKind, WorkPlan | null> = { training: null, inference: null };
  /** The model's optimizer; its state is released with the model if it belongs to `params`. */
  optimizer: Optimizer | null = null;
  /** Work plans of open stream sessions (models/stream.ts): released with the model. */
  readonly sessions = new Set<WorkPlan>();
  private released = false;
  private failure: Error | null = null;

  constructor(readonly rt: Runtime) {}

  get isReleased(): boolean {
    return this.released;
  }

  /** The work plan of a kind, or null. */
  work(kind: PlanKind): WorkPlan | null {
    return this.plans[kind];
  }

  /** Allocates the parameter and state blocks (n floats each): both or neither. */
  allocWeights(paramsFloats: number, stateFloats: number): void {
    const params = this.rt.allocF32(paramsFloats);
    try {
      this.state = this.rt.allocF32(stateFloats);
    } catch (e) {
      this.rt.release(params);
      throw e;
    }
    this.params = params;
  }

  /** Replaces the work plan of a kind (disposing the old one first, so its regions can be reused). */
  setWork(kind: PlanKind, plan: WorkPlan | null): void {
    this.plans[kind]?.dispose();
    this.plans[kind] = plan;
  }

  /** Releases the optimizer state when it belongs to this model (an optimizer shared with
   *  another model keeps that model's state). */
  releaseOptimizer(): void {
    const opt = this.optimizer;
    this.optimizer = null;
    if (opt && this.params !== 0 && opt.stateOwner === this.params) opt.dispose();
  }

  /** Frees every region, exactly once (from dispose() or the finalizer). */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.setWork('training', null);
    this.setWork('inference', null);
    for (const s of this.sessions) s.dispose();
    this.sessions.clear();
    this.releaseOptimizer();
    if (this.params !== 0) this.rt.release(this.params);
    if (this.state !== 0) this.rt.release(this.state);
    this.params = this.state = 0;
  }

  /** Marks the model unusable after building it failed; frees what it holds. */
  fail(cause: Error): void {
    this.failure = cause;
    this.release();
  }

  /** Throws a ModelStateError naming the model and the method if the model is disposed or broken. */
  check(model: string, method: string): void {
    if (this.failure) {
      throw new ModelStateError(`model "${model}": ${method}() on a model that failed to build (${this.failure.message}); create the model again`, { cause: this.failure });
    }
    if (this.released) throw new ModelStateError(`model "${model}": ${method}() called after dispose(); its memory is released, create or load the model again`);
  }
}

/** Frees `memory` when `owner` is garbage collected (the arena's track()); undone by untrack(memory). */
export function track(owner: object, memory: ModelMemory): void {
  memory.rt.arena.track(owner, releaser(memory), memory);
}

/** A closure over the memory alone (never over the model). */
const releaser = (memory: ModelMemory) => () => memory.release();

export function untrack(memory: ModelMemory): void {
  memory.rt.arena.untrack(memory);
}
