import { test } from 'vitest';
import assert from 'node:assert/strict';
import { data, tensor, ConfigError } from '../../src/index.ts';

test('slidingWindows: windows and targets of a 1-channel series, every stride and horizon', () => {
  const T = 11;
  const series = Array.from({ length: T }, (_, t) => 10 * t);
  for (const [window, horizon, stride] of [[3, 1, 1], [4, 2, 3], [1, 1, 1], [10, 1, 1], [5, 6, 2], [2, 3, 4]]) {
    const { x, y } = data.slidingWindows(series, { window, horizon, stride });
    const N = Math.floor((T - window - horizon) / stride) + 1;
    assert.deepEqual(x.shape, [N, window, 1]);
    assert.deepEqual(y.shape, [N, horizon]);
    for (let i = 0; i < N; i++) {
      for (let k = 0; k < window; k++) assert.equal(x.data[i * window + k], series[i * stride + k]);
      for (let h = 0; h < horizon; h++) assert.equal(y.data[i * horizon + h], series[i * stride + window + h]);
    }
    // the last window's target ends inside the series, one more stride would not
    const lastEnd = (N - 1) * stride + window + horizon;
    assert.ok(lastEnd <= T && lastEnd + stride > T, `${window}/${horizon}/${stride}`);
  }
});

test('slidingWindows: a [T, C] series gives x [N, window, C] and y [N, horizon*C] ordered (step, channel)', () => {
  const T = 7;
  const C = 2;
  const s = tensor(Float32Array.from({ length: T * C }, (_, i) => (i % C === 0 ? Math.floor(i / C) : -Math.floor(i / C))), [T, C]);
  const { x, y } = data.slidingWindows(s, { window: 3, horizon: 2, stride: 2 });
  assert.deepEqual(x.shape, [2, 3, 2]);
  assert.deepEqual(y.shape, [2, 4]);
  assert.deepEqual(Array.from(x.data.subarray(6, 12)), [2, -2, 3, -3, 4, -4]);
  assert.deepEqual(Array.from(y.data), [3, -3, 4, -4, 5, -5, 6, -6]);
});

test('slidingWindows: bad sizes and series are refused with the option, the value and the limit', () => {
  const s = new Float32Array(10);
  assert.throws(() => data.slidingWindows(s, { window: 11 }), /window 11 is longer than the series \(10 steps\)/);
  assert.throws(() => data.slidingWindows(s, { window: 8, horizon: 3 }), /window 8 \+ horizon 3 = 11 steps exceed the series \(10 steps\)/);
  assert.throws(() => data.slidingWindows(s, { window: 0 }), /window must be a positive integer, got 0/);
  assert.throws(() => data.slidingWindows(s, { window: 3, horizon: -1 }), /horizon must be a positive integer, got -1/);
  assert.throws(() => data.slidingWindows(s, { window: 3, stride: 1.5 }), /stride must be a positive integer, got 1.5/);
  assert.throws(() => data.slidingWindows(s, { window: 3, step: 2 } as never), ConfigError);
  assert.throws(() => data.slidingWindows([1, 2, NaN, 4], { window: 2 }), /NaN at step 2/);
  assert.throws(() => data.slidingWindows(tensor(new Float32Array(8), [2, 2, 2]), { window: 1 }), /\[T\] or \[T, C\]/);
});
