// Flatten: [B, L, C] -> [B, L*C], row-major over (length, channels). A view: the planner gives
// its output the input's own buffers (and gradient), so it costs nothing forward or backward.

import { Layer, size, type LayerArgs } from './layer.ts';

export class Flatten extends Layer {
  readonly className = 'Flatten';
  override readonly isView = true;

  constructor(args: LayerArgs = {}) {
    super(args, []);
  }

  computeOutputShape(inputShape: number[]): number[] {
    return [size(inputShape)];
  }

  forward(): void {}
  backward(): void {}
}
