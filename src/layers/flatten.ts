// Flatten: [B, L, C] -> [B, L*C], row-major over (length, channels). A view: y and dy are the
// input's own buffers, so it costs nothing forward or backward.

import type { Slot, WorkPlan } from '../runtime/plan.ts';
import { Layer, size, type LayerArgs } from './layer.ts';

export class Flatten extends Layer {
  readonly className = 'Flatten';

  constructor(args: LayerArgs = {}) {
    super(args, []);
  }

  computeOutputShape(inputShape: number[]): number[] {
    return [size(inputShape)];
  }

  override plan(plan: WorkPlan, x: Slot, dx: Slot | null): void {
    this.x = x;
    this.dx = dx;
    this.y = x;
    this.dy = dx ?? plan.grad(plan.batchCapacity * size(this.outputShape));
  }

  forward(): void {}
  backward(): void {}
}
