// Fixing the length of variable-length recordings (e.g. spoken digits of 0.1 to 2.3 s).

import { checkKeys, ConfigError, oneOf, showValue } from '../layers/args.ts';

export type Align = 'start' | 'center' | 'end';

export interface PadOrCropOptions {
  /**
   * Where the signal sits in the output. 'start' (default): pad zeros after / keep the first
   * `length` samples; 'end': pad before / keep the last; 'center': pad both sides (the odd zero
   * after) / keep the middle.
   */
  align?: Align;
}

/** A copy of `samples` padded with zeros or cropped to exactly `length` samples. */
export function padOrCrop(samples: ArrayLike<number>, length: number, options?: PadOrCropOptions): Float32Array {
  checkKeys('padOrCrop', options, ['align']);
  if (!Number.isInteger(length) || length < 0) throw new ConfigError(`padOrCrop: length must be a non-negative integer, got ${showValue(length)}`);
  const align = oneOf('padOrCrop', 'align', options?.align, ['start', 'center', 'end'] as const, 'start');
  const n = samples.length;
  const out = new Float32Array(length);
  // Offsets: out[dst + i] = samples[src + i] for i < min(n, length).
  const diff = length - n; // > 0 pads, < 0 crops
  const shift = align === 'start' ? 0 : align === 'end' ? diff : Math.trunc(diff / 2);
  const dst = Math.max(0, shift);
  const src = Math.max(0, -shift);
  const count = Math.min(n, length);
  for (let i = 0; i < count; i++) out[dst + i] = samples[src + i];
  return out;
}
