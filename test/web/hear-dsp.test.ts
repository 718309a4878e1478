// The signal processing of the web app's "Hear a digit" view (examples/web/src/hear): the
// windowed-sinc resampler against sines of known frequency, and the energy-based location and
// centring of a digit against bursts placed at known positions.
import { describe, expect, test } from 'vitest';
import { resample } from '../../examples/web/src/hear/resample.ts';
import { activeSpan, centreDigit, centreOn, frameRms } from '../../examples/web/src/hear/locate.ts';
import { OnsetDetector } from '../../examples/web/src/hear/onset.ts';

const sine = (n: number, rate: number, hz: number, amp = 1, phase = 0) => Float32Array.from({ length: n }, (_, i) => amp * Math.sin((2 * Math.PI * hz * i) / rate + phase));

/** Max |a - b| and RMS of a over [from, to). */
function maxErr(a: Float32Array, b: Float32Array, from: number, to: number): number {
  let m = 0;
  for (let i = from; i < to; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
function rms(a: Float32Array, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += a[i] * a[i];
  return Math.sqrt(s / (to - from));
}

describe('resample (windowed sinc)', () => {
  // away from the ends, where the kernel runs past the signal (32 zero crossings of the output rate)
  const EDGE = 80;

  test.each([
    [48000, 8000, 440],
    [48000, 8000, 3000],
    [44100, 8000, 1000],
    [44100, 8000, 3200],
    [16000, 8000, 2500],
    [8000, 48000, 1000], // upsampling: the kernel is the input's own band limit
    [22050, 8000, 150],
  ])('%i Hz -> %i Hz keeps a %i Hz sine (pass band)', (inRate, outRate, hz) => {
    const x = sine(inRate, inRate, hz, 0.8, 0.3); // 1 s
    const y = resample(x, inRate, outRate);
    expect(y.length).toBe(outRate);
    const want = sine(outRate, outRate, hz, 0.8, 0.3);
    // up to 0.8 x the lower Nyquist frequency (the cut-off, -6 dB, is at 0.92)
    expect(maxErr(y, want, EDGE, outRate - EDGE)).toBeLessThan(2e-3);
  });

  test.each([
    [48000, 8000, 5000], // would fold to 3 kHz
    [48000, 8000, 7000], // would fold to 1 kHz
    [48000, 8000, 11000], // would fold to 3 kHz
    [48000, 8000, 4400], // 1.1 x the new Nyquist frequency, would fold to 3.6 kHz
    [44100, 8000, 9000],
  ])('%i Hz -> %i Hz removes a %i Hz sine above the new Nyquist frequency (no aliasing)', (inRate, outRate, hz) => {
    const x = sine(inRate, inRate, hz);
    const y = resample(x, inRate, outRate);
    // a naive decimation would leave RMS 0.71; -50 dB is 0.0032 x that
    expect(rms(y, EDGE, outRate - EDGE)).toBeLessThan(0.71 * 10 ** (-50 / 20));
    // the same sine taken one sample in six keeps all of it, folded: the test can fail
    if (inRate === 48000) expect(rms(Float32Array.from({ length: outRate }, (_, i) => x[6 * i]), EDGE, outRate - EDGE)).toBeGreaterThan(0.5);
  });

  test('the tabulated kernel (integer rates) equals the kernel evaluated per tap (any rate)', () => {
    const x = Float32Array.from({ length: 4410 }, (_, i) => Math.sin(i * 0.31) + 0.5 * Math.sin(i * 0.013));
    const tabulated = resample(x, 44100, 8000);
    const direct = resample(x, 44100 + 1e-7, 8000); // not an integer: no table; t moves by < 1e-8
    expect(maxErr(tabulated, direct, 0, tabulated.length)).toBeLessThan(1e-5);
  });

  test('equal rates copy; the length is round(n * out / in)', () => {
    const x = sine(100, 8000, 300);
    expect(Array.from(resample(x, 8000, 8000))).toEqual(Array.from(x));
    expect(resample(new Float32Array(1001), 48000, 8000).length).toBe(167);
    expect(resample(new Float32Array(0), 44100, 8000).length).toBe(0);
  });

  test('bad rates and options are refused with the argument and the value', () => {
    const x = new Float32Array(10);
    expect(() => resample(x, 0, 8000)).toThrow('resample: inRate must be a positive number of Hz, got 0');
    expect(() => resample(x, 48000, NaN)).toThrow('resample: outRate must be a positive number of Hz, got NaN');
    expect(() => resample(x, 48000, 8000, { zeros: 2.5 })).toThrow('resample: zeros must be a positive integer, got 2.5');
    expect(() => resample(x, 48000, 8000, { rolloff: 1.5 })).toThrow('resample: rolloff must be in (0, 1], got 1.5');
  });
});

/** n samples of quiet noise with a 300 Hz burst of amplitude amp on [from, to). */
function burst(n: number, from: number, to: number, amp = 0.5, noise = 1e-4): Float32Array {
  let s = 12345;
  const rand = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff) * 2 - 1;
  return Float32Array.from({ length: n }, (_, i) => noise * rand() + (i >= from && i < to ? amp * Math.sin((2 * Math.PI * 300 * i) / 8000) : 0));
}

describe('locating and centring the digit', () => {
  test('frameRms: whole frames and a final partial frame', () => {
    const x = Float32Array.from([3, -3, 3, -3, 1, 1, 0]);
    expect(Array.from(frameRms(x, 2))).toEqual([3, 3, 1, 0]);
    expect(frameRms(x, 3)[2]).toBe(0);
  });

  test.each([
    [0, 2000],
    [3000, 5400],
    [6500, 8000],
    [160, 7840],
  ])('the span of a burst on [%i, %i) is found to the frame (160 samples)', (from, to) => {
    const span = activeSpan(burst(8000, from, to))!;
    expect(Math.abs(span.start - from)).toBeLessThanOrEqual(160);
    expect(Math.abs(span.end - to)).toBeLessThanOrEqual(160);
  });

  test('a quiet pause inside the word stays in the span; a sound 30 dB below the peak does not count', () => {
    const x = burst(8000, 1000, 2000);
    const y = burst(8000, 3000, 4000);
    for (let i = 0; i < 8000; i++) x[i] += y[i]; // two syllables with 1000 quiet samples between
    const z = burst(8000, 6000, 7000, 0.5 * 10 ** (-35 / 20), 0); // a breath 35 dB down
    for (let i = 0; i < 8000; i++) x[i] += z[i];
    const span = activeSpan(x)!;
    expect(span.start).toBeLessThanOrEqual(1000);
    expect(span.end).toBeGreaterThanOrEqual(4000);
    expect(span.end).toBeLessThanOrEqual(4160);
    expect(activeSpan(x, { rangeDb: 40 })!.end).toBeGreaterThanOrEqual(7000); // within 40 dB it counts
  });

  test('silence and sounds below the floor have no span', () => {
    expect(activeSpan(new Float32Array(8000))).toBeNull();
    expect(activeSpan(burst(8000, 100, 900, 5e-4, 1e-5))).toBeNull();
    expect(activeSpan(burst(8000, 100, 900, 5e-4, 1e-5), { floor: 1e-4 })).not.toBeNull();
  });

  test.each([[0, 1500], [5000, 8000], [2000, 3000], [100, 300]])('centreDigit moves a burst on [%i, %i) to the middle of the window', (from, to) => {
    const x = burst(8000, from, to);
    const c = centreDigit(x);
    expect(c.length).toBe(8000);
    const span = activeSpan(c)!;
    const mid = (span.start + span.end) / 2;
    expect(Math.abs(mid - 4000)).toBeLessThanOrEqual(160);
    expect(span.end - span.start).toBeGreaterThanOrEqual(to - from - 320);
  });

  test('centreOn: a longer or shorter recording, a shift, and no span', () => {
    const x = Float32Array.from({ length: 10 }, (_, i) => i + 1);
    expect(Array.from(centreOn(x, { start: 4, end: 6 }, 4))).toEqual([4, 5, 6, 7]);
    expect(Array.from(centreOn(x, { start: 0, end: 2 }, 4))).toEqual([0, 1, 2, 3]);
    expect(Array.from(centreOn(x, { start: 0, end: 2 }, 4, 1))).toEqual([0, 0, 1, 2]);
    expect(Array.from(centreOn(x, { start: 8, end: 10 }, 4, -1))).toEqual([9, 10, 0, 0]);
    expect(Array.from(centreOn(x, null, 6))).toEqual([3, 4, 5, 6, 7, 8]);
    expect(Array.from(centreOn(Float32Array.from([1, 2]), null, 5))).toEqual([0, 1, 2, 0, 0]);
  });
});

describe('OnsetDetector (when speech starts in a stream)', () => {
  const FRAME = 80; // 10 ms at 8 kHz

  /** Pushes x in chunks of `chunk` samples; returns every onset reported. */
  function onsets(x: Float32Array, chunk: number, det = new OnsetDetector({ frame: FRAME })): number[] {
    const out: number[] = [];
    for (let i = 0; i < x.length; i += chunk) {
      const o = det.push(x.subarray(i, i + chunk));
      if (o >= 0) out.push(o);
    }
    return out;
  }

  test.each([1, 128, 1000, 8000])('a word after quiet noise is found at its frame, chunks of %i samples', (chunk) => {
    const x = burst(8000, 3000, 5000, 0.3, 1e-3);
    expect(onsets(x, chunk)).toEqual([2960]); // the frame [2960, 3040) is the first loud one
  });

  test('a stream that opens inside a word waits for quiet, then finds the next word', () => {
    const x = burst(16000, 0, 2000, 0.3, 1e-3);
    const y = burst(16000, 9000, 11000, 0.3, 0);
    for (let i = 0; i < x.length; i++) x[i] += y[i];
    expect(onsets(x, 128)).toEqual([8960]);
  });

  test('a steady noise louder than minLevel becomes the floor; a word 20 dB above it is found', () => {
    const x = burst(16000, 12000, 14000, 0.4, 0.05); // noise RMS 0.029 (uniform), word RMS 0.28
    const o = onsets(x, 256);
    expect(o.length).toBe(1);
    expect(Math.abs(o[0] - 12000)).toBeLessThanOrEqual(FRAME);
  });

  test('below minLevel nothing starts; a bad frame is refused', () => {
    expect(onsets(burst(8000, 2000, 4000, 0.004, 1e-4), 128)).toEqual([]); // RMS 0.0028
    expect(onsets(burst(8000, 2000, 4000, 0.004, 1e-4), 128, new OnsetDetector({ frame: FRAME, minLevel: 0.002 }))).toEqual([2000]);
    expect(() => new OnsetDetector({ frame: 0 })).toThrow('OnsetDetector: frame must be a positive integer of samples, got 0');
  });
});
