// Flatten: [B, L, C] -> [B, L*C], row-major over (length, channels). A view: the planner gives
// its output the input's own buffers (and gradient), so it costs nothing forward or backward.

import { baseArgs, channelsLast } from './keras-config.ts';
import { Layer, size, type LayerArgs } from './layer.ts';
import { registerClass, type KerasConfig } from './registry.ts';

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

  override getConfig(): KerasConfig {
    return { ...super.getConfig(), data_format: 'channels_last' };
  }

  static fromConfig(config: KerasConfig): Flatten {
    channelsLast(config);
    return new Flatten(baseArgs(config));
  }
}
registerClass('Flatten', Flatten);
