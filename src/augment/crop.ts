// Random cropping to a fixed length (the random crops of Krizhevsky et al. 2012; window slicing
// without stretching, Le Guennec et al. 2016). The window is chosen while fit copies the batch
// into the model (so it must come first in `augment`): a start uniform in 0..S-length of a sample
// of S steps. The model's input is the crop: a fixed-length model must be declared with
// inputShape [length, C]; a variable-length model ([null, C]) trains on crops and validates on the
// full series. Validation data in fit that is longer than a fixed-length model's input is centre
// cropped (the single centre crop of the evaluation protocols); for evaluate/predict centre crop
// with data.padOrCrop(row, length, { align: 'center' }), or use a variable-length model.

import { ConfigError, showValue } from '../layers/args.ts';
import { options, owner, type Augmenter } from './augmenter.ts';

export interface RandomCropArgs {
  /** Steps kept; the model's input length. */
  length: number;
}

export interface CropAugmenter extends Augmenter {
  readonly crop: number;
}

export function randomCrop(args: RandomCropArgs): CropAugmenter {
  const o = options('randomCrop', args, ['length']);
  const length = o.length;
  if (typeof length !== 'number' || !Number.isInteger(length) || length < 1) throw new ConfigError(`${owner('randomCrop')}: length must be a positive integer (the model's input length), got ${showValue(length)}`);
  return {
    name: 'randomCrop',
    crop: length,
    check(L) {
      if (L < length) throw new ConfigError(`${owner('randomCrop')}: length ${length} is longer than the series (length ${L}); the crop must be <= the data's length`);
    },
    apply: () => {}, // the window is picked by the copy (pipeline.ts)
    getConfig: () => ({ length }),
  };
}
