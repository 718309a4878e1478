// Forecasting samples from one series: window i starts at s = i*stride; its input is the window
// series[s .. s+window) and its target the next `horizon` steps series[s+window .. s+window+horizon).
//   series [T] or [T, C]   ->   x [N, window, C]   y [N, horizon * C] (row-major over (step, channel))
//   N = floor((T - window - horizon) / stride) + 1, the windows whose target lies inside the series.

import { ConfigError, checkKeys, positiveInt, showValue } from '../layers/args.ts';
import { Tensor } from '../tensor.ts';

export interface SlidingWindowOptions {
  /** Input steps of each sample. */
  window: number;
  /** Steps to forecast after each window (default 1). */
  horizon?: number;
  /** Steps between the starts of two windows (default 1). */
  stride?: number;
}

const OWNER = 'slidingWindows';

function asSeries(series: unknown): { data: ArrayLike<number>; T: number; C: number } {
  if (series instanceof Tensor) {
    if (series.rank === 1) return { data: series.data, T: series.shape[0], C: 1 };
    if (series.rank === 2) return { data: series.data, T: series.shape[0], C: series.shape[1] };
    throw new ConfigError(`${OWNER}: series must be [T] or [T, C], got a tensor of shape [${series.shape}]`);
  }
  if (ArrayBuffer.isView(series) && !(series instanceof DataView)) return { data: series as unknown as ArrayLike<number>, T: (series as unknown as ArrayLike<number>).length, C: 1 };
  if (Array.isArray(series) && series.every((v) => typeof v === 'number')) return { data: series, T: series.length, C: 1 };
  throw new ConfigError(`${OWNER}: series must be a Tensor [T] or [T, C], a Float32Array or an array of numbers, got ${showValue(series)}`);
}

/**
 * Inputs and targets for a forecaster from one series (see the header for the exact indexing).
 * Throws if the window, or the window plus the horizon, is longer than the series.
 */
export function slidingWindows(series: Tensor | Float32Array | number[], options: SlidingWindowOptions): { x: Tensor; y: Tensor } {
  if (typeof options !== 'object' || options === null) throw new ConfigError(`${OWNER}: expected options {window, horizon?, stride?}, got ${showValue(options)}`);
  checkKeys(OWNER, options, ['window', 'horizon', 'stride']);
  const window = positiveInt(OWNER, 'window', options.window);
  const horizon = positiveInt(OWNER, 'horizon', options.horizon, 1);
  const stride = positiveInt(OWNER, 'stride', options.stride, 1);
  const { data, T, C } = asSeries(series);
  if (window > T) throw new ConfigError(`${OWNER}: window ${window} is longer than the series (${T} steps); expected window <= ${T}`);
  if (window + horizon > T) throw new ConfigError(`${OWNER}: window ${window} + horizon ${horizon} = ${window + horizon} steps exceed the series (${T} steps); no window has a full target`);
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) throw new ConfigError(`${OWNER}: series value ${data[i]} at step ${Math.floor(i / C)}, channel ${i % C}; the series must be finite`);
  }
  const N = Math.floor((T - window - horizon) / stride) + 1;
  const x = new Float32Array(N * window * C);
  const y = new Float32Array(N * horizon * C);
  for (let i = 0; i < N; i++) {
    const s = i * stride * C;
    for (let k = 0; k < window * C; k++) x[i * window * C + k] = data[s + k];
    for (let k = 0; k < horizon * C; k++) y[i * horizon * C + k] = data[s + window * C + k];
  }
  return { x: new Tensor(x, [N, window, C]), y: new Tensor(y, [N, horizon * C]) };
}
