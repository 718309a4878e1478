// Data augmentation for fit: `model.fit(x, y, { augment: [augment.timeShift({ maxShift: 800 }),
// augment.addNoise({ snrDb: [20, 40] })] })`. Applied in order to each training batch in the
// model's input buffer, seeded from fit's seed; never to validation data, evaluate or predict.

import { Tensor } from '../tensor.ts';
import { ConfigError } from '../layers/args.ts';
import { jitter, scaling, magnitudeWarp, timeWarp, timeShift, windowSlice } from './signal.ts';
import { randomGain, addNoise, speedPerturb } from './audio.ts';
import { mixup } from './mixup.ts';
import { randomCrop } from './crop.ts';
import { applyAugmenters } from './pipeline.ts';
import type { Augmenter } from './augmenter.ts';

export type { Augmenter, AugmentBatch } from './augmenter.ts';
export type { SigmaArgs, WarpArgs, TimeShiftArgs, WindowSliceArgs } from './signal.ts';
export type { RandomGainArgs, AddNoiseArgs, SpeedPerturbArgs } from './audio.ts';
export type { MixupArgs, MixupAugmenter } from './mixup.ts';
export type { RandomCropArgs, CropAugmenter } from './crop.ts';

/** Runs augmenters on x [n, L, C] (a copy; y [n, ...] dense targets for mixup) with a seed, as fit
 *  would on one batch: to look at what an augmentation does. */
function apply(augmenters: Augmenter[], x: Tensor, options: { seed?: number; y?: Tensor } = {}): { x: Tensor; y?: Tensor } {
  if (!(x instanceof Tensor) || x.rank < 2 || x.rank > 3) throw new ConfigError(`augment.apply: x must be a Tensor [n, L, C] or [n, L], got ${x instanceof Tensor ? `[${x.shape}]` : typeof x}`);
  const shape: [number, number, number] = [x.shape[0], x.shape[1], x.rank === 3 ? x.shape[2] : 1];
  const out = applyAugmenters(augmenters, x.data, shape, options.seed ?? 0, options.y?.data);
  return { x: new Tensor(out.x, x.shape), ...(out.y && options.y ? { y: new Tensor(out.y, options.y.shape) } : {}) };
}

export const augment = { jitter, scaling, magnitudeWarp, timeWarp, timeShift, windowSlice, randomCrop, mixup, randomGain, addNoise, speedPerturb, apply };
