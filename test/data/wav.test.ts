import { test } from 'vitest';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { readWav } from '../../src/data/index.ts';
import { FIXTURE_RECORDINGS as RECORDINGS } from '../helpers/datasets.ts';
import { buildWav } from './wav-bytes.ts';

test('real FSDD files (the 20 fixtures): 8 kHz mono, frame count matches the file size', () => {
  const files = readdirSync(RECORDINGS).sort();
  assert.equal(files.length, 20);
  for (const f of files) {
    const path = `${RECORDINGS}/${f}`;
    const w = readWav(path);
    assert.equal(w.sampleRate, 8000, f);
    assert.equal(w.channels, 1, f);
    assert.equal(w.samples.length, (statSync(path).size - 44) / 2, `${f}: 44-byte header + 2 bytes a sample`);
    assert.equal(w.channelData[0], w.samples, 'mono: samples is channel 0');
    assert.ok(w.samples.every((v) => v >= -1 && v < 1), `${f}: scaled to [-1, 1)`);
    assert.ok(w.samples.some((v) => v !== 0), `${f}: not silent`);
  }
  assert.throws(() => readWav(`${RECORDINGS}/nope.wav`), (e: Error) => e.message.includes(`${RECORDINGS}/nope.wav`));
});

// Values exactly representable in every encoding (multiples of 1/128 in [-1, 1)).
const left = [0, 0.5, -0.5, -1, 0.25, 127 / 128, -1 / 128];
const right = [0.125, -0.25, 1 / 128, 0, -1, 0.75, 0.5];

const encodings = [
  { name: 'PCM 8-bit', format: 1, bits: 8 },
  { name: 'PCM 16-bit', format: 1, bits: 16 },
  { name: 'PCM 24-bit', format: 1, bits: 24 },
  { name: 'PCM 32-bit', format: 1, bits: 32 },
  { name: 'float 32-bit', format: 3, bits: 32 },
  { name: 'float 64-bit', format: 3, bits: 64 },
];

test('every supported encoding round-trips, plain and WAVE_FORMAT_EXTENSIBLE, mono and stereo', () => {
  for (const e of encodings) {
    for (const extensible of [false, true]) {
      const label = `${e.name}${extensible ? ' extensible' : ''}`;
      const mono = readWav(buildWav({ format: e.format, bits: e.bits, channels: [left], extensible, sampleRate: 22050 }));
      assert.equal(mono.sampleRate, 22050, label);
      assert.equal(mono.channels, 1, label);
      assert.deepEqual([...mono.samples], left, label);
      const stereo = readWav(buildWav({ format: e.format, bits: e.bits, channels: [left, right], extensible }));
      assert.equal(stereo.channels, 2, label);
      assert.deepEqual([...stereo.channelData[0]], left, label);
      assert.deepEqual([...stereo.channelData[1]], right, label);
      assert.deepEqual([...stereo.samples], left.map((v, i) => Math.fround((v + right[i]) / 2)), `${label}: samples is the channel mean`);
    }
  }
});

test('unknown chunks are skipped, odd-size chunks are padded, fmt may follow data', () => {
  const odd = { id: 'LIST', body: new Uint8Array([1, 2, 3]) }; // 3 bytes + 1 pad byte
  const bytes = buildWav({ format: 1, bits: 8, channels: [[0.5, -0.5, 0]], before: [odd, { id: 'junk', body: new Uint8Array(5) }], after: [odd] });
  const w = readWav(bytes);
  assert.deepEqual([...w.samples], [0.5, -0.5, 0], 'odd data chunk (3 bytes) followed by a chunk after its pad byte');
  // As an ArrayBuffer, and as a Uint8Array view at an offset into a larger buffer.
  assert.deepEqual([...readWav(bytes.slice().buffer).samples], [0.5, -0.5, 0]);
  const big = new Uint8Array(bytes.length + 7);
  big.set(bytes, 7);
  assert.deepEqual([...readWav(big.subarray(7)).samples], [0.5, -0.5, 0]);
  // data before fmt
  const d = buildWav({ format: 1, bits: 16, channels: [[0.25]], omit: 'fmt ' });
  const f = buildWav({ format: 1, bits: 16, channels: [[0.25]], omit: 'data' });
  const swapped = new Uint8Array([...d, ...f.subarray(12)]);
  new DataView(swapped.buffer).setUint32(4, swapped.length - 8, true);
  assert.deepEqual([...readWav(swapped).samples], [0.25]);
});

test('corrupt and truncated bytes give clear errors', () => {
  const good = buildWav({ format: 1, bits: 16, channels: [[0, 0.5, -0.5, 0.25, 0, 0, 0, 0, 0, 0]] }); // 20 data bytes
  assert.throws(() => readWav(good.subarray(0, good.length - 6)), /truncated file: data chunk declares 20 bytes but only 14 are available/);
  assert.throws(() => readWav(good.subarray(0, 30)), /truncated file: "fmt " chunk declares 16 bytes but only 10 are available/);
  assert.throws(() => readWav(new TextEncoder().encode('ID3 this is an mp3, honest')), /not a RIFF\/WAVE file/);
  assert.throws(() => readWav(new Uint8Array(4)), /not a RIFF\/WAVE file.*got only 4 bytes/);
  assert.throws(() => readWav(buildWav({ format: 7, bits: 8, channels: [[0]] })), /unsupported format code 7 \(mu-law\)/);
  assert.throws(() => readWav(buildWav({ format: 2, bits: 8, channels: [[0]], extensible: true })), /unsupported format code 2/);
  assert.throws(() => readWav(buildWav({ format: 1, bits: 12 as number, channels: [[]] })), /unsupported PCM sample size 12 bits/);
  assert.throws(() => readWav(buildWav({ format: 1, bits: 16, channels: [[0]], omit: 'fmt ' })), /missing fmt chunk/);
  assert.throws(() => readWav(buildWav({ format: 1, bits: 16, channels: [[0]], omit: 'data' })), /missing data chunk/);
  assert.throws(() => readWav(42 as never), /expected a path, a Uint8Array or an ArrayBuffer, got 42/);
});

test('float samples that are NaN or Infinity, and a zero sample rate, are corrupt files (found by the fuzz suite)', () => {
  for (const [bits, bad] of [[32, NaN], [64, Infinity], [64, -1e39]] as const) {
    // -1e39 is a finite float64 that does not fit in float32
    assert.throws(() => readWav(buildWav({ format: 3, bits, channels: [[0, 0.5], [0.25, bad]] })), new RegExp(`sample 1 of channel 1 is ${bad < -1e38 ? '-Infinity' : bad}; float audio must be finite`));
  }
  assert.throws(() => readWav(buildWav({ format: 1, bits: 16, sampleRate: 0, channels: [[0]] })), /fmt chunk declares a sample rate of 0 Hz/);
  assert.equal(readWav(buildWav({ format: 3, bits: 64, channels: [[3e38, -0.5]] })).samples[0], Math.fround(3e38), 'the largest float32 values stay');
});
