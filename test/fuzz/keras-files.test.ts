// Fuzz: the readers of Keras files (.keras zip, HDF5 through jsfive, keras_metadata.pb) on
// truncated and byte-flipped files, zip bombs (an entry inflating past its declared size, an entry
// declaring more than the limit, more entries than a model archive may have), path-like entry
// names, HDF5 with huge dataset dimensions and with a group linking back to its ancestor (a
// cycle). Every attempt must end in a documented error or a model that predicts the reference,
// and leave nothing allocated (harness.ts); each attempt is bounded in time by the test timeout.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { deflateSync, strToU8, zipSync } from 'fflate';
import { fuzz } from './harness.ts';

const DIR = join(import.meta.dirname, '../fixtures/keras/generated');
const read = (name: string) => new Uint8Array(readFileSync(join(DIR, name)));
const ref = JSON.parse(readFileSync(join(DIR, 'reference.json'), 'utf8')) as { input_shape: number[]; input: number[]; outputs: Record<string, number[]> };
const allowed = ['ModelFormatError', 'ConfigError', 'OutOfMemoryError', 'RangeError'];

const FILES: [string, string][] = [
  ['sequential_k3.keras', 'sequential_k3.keras'],
  ['sequential_k2.h5', 'sequential_k2.h5'],
  ['keras_metadata.pb', ''],
];

/** Truncations and byte flips of a file (flips biased towards the headers, where damage matters). */
const mutated = (bytes: Uint8Array) =>
  fc.oneof(
    fc.integer({ min: 0, max: bytes.length - 1 }).map((n) => bytes.slice(0, n)),
    fc.array(fc.tuple(fc.oneof(fc.integer({ min: 0, max: Math.min(4095, bytes.length - 1) }), fc.integer({ min: 0, max: bytes.length - 1 })), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }).map((flips) => {
      const b = bytes.slice();
      for (const [i, v] of flips) b[i] = v;
      return b;
    }),
  );

for (const [file, key] of FILES) {
  test(`fuzz ${file}: truncated and corrupted bytes through loadModel`, async () => {
    const bytes = read(file);
    await fuzz({
      name: `keras files, ${file}`,
      seed: 0x6b6572 + bytes.length,
      numRuns: 120,
      arb: mutated(bytes),
      allowed,
      sentinelEvery: 10,
      attempt: async ({ lib }, b) => {
        const m = await lib.loadModel(b);
        try {
          if (!key) return 'loaded (topology, fresh weights)';
          const out = m.predict(new lib.Tensor(Float32Array.from(ref.input), ref.input_shape)).data;
          // a flip inside a weight value loads a different model; only an intact file must match
          const same = ref.outputs[key].every((v, i) => Math.abs(out[i] - v) <= 1e-4);
          return same ? 'loaded correctly' : 'loaded other weights';
        } finally {
          m.dispose();
        }
      },
    });
  }, 120_000);
}

/** A zip whose entries are `files`, then with each entry's declared size (local and central header) set by `declare`. */
function zipWith(files: Record<string, Uint8Array>, declare?: (name: string, size: number) => number): Uint8Array {
  const z = zipSync(files, { level: 6 });
  if (!declare) return z;
  const v = new DataView(z.buffer);
  for (let o = 0; o + 4 <= z.length; o++) {
    const sig = v.getUint32(o, true);
    const [sizeAt, nameLenAt, nameAt] = sig === 0x04034b50 ? [22, 26, 30] : sig === 0x02014b50 ? [24, 28, 46] : [0, 0, 0];
    if (!sizeAt) continue;
    const name = new TextDecoder().decode(z.subarray(o + nameAt, o + nameAt + v.getUint16(o + nameLenAt, true)));
    if (!(name in files)) continue;
    v.setUint32(o + sizeAt, declare(name, v.getUint32(o + sizeAt, true)), true);
  }
  return z;
}

test('zip bombs, too many entries and path-like names are refused before they cost memory', async () => {
  const { loadModel } = await import('../../src/index.ts');
  const keras = read('sequential_k3.keras');
  const { unzipSync } = await import('fflate');
  const parts = unzipSync(keras);
  // 17 MB of "{" inflating from ~17 KB, declared as 100 bytes: stopped at the declared size
  const bomb = new Uint8Array(17 * 1024 * 1024).fill(0x7b);
  await assert.rejects(async () => loadModel(zipWith({ ...parts, 'config.json': bomb }, (n, s) => (n === 'config.json' ? 100 : s))), /zip entry "config\.json" inflates past the 100 bytes it declares \(a zip bomb or a corrupt archive\)/);
  // the same entry declared as it is: over the 16 MB a config may have, refused before inflating
  await assert.rejects(async () => loadModel(zipWith({ ...parts, 'config.json': bomb })), /zip entry "config\.json" inflates to 17825792 bytes, more than the 16777216 it may have/);
  const many: Record<string, Uint8Array> = { ...parts };
  for (let i = 0; i < 1001; i++) many[`assets/${i}`] = new Uint8Array(0);
  await assert.rejects(async () => loadModel(zipWith(many)), /it has 1004 entries, more than the 1000 a model archive may have/);
  // path-like names are never opened or written: only the exact names config.json and model.weights.h5 are read
  const renamed = zipWith({ '../config.json': parts['config.json'], '/etc/model.weights.h5': parts['model.weights.h5'], 'metadata.json': parts['metadata.json'] });
  await assert.rejects(async () => loadModel(renamed), /a zip archive without config\.json, so not a Keras 3 \.keras file \(entries: \.\.\/config\.json, \/etc\/model\.weights\.h5, metadata\.json\)/);
  assert.ok(deflateSync(strToU8('x')).length > 0);
});

test('HDF5 with huge dimensions and with a cycle of groups: refused, nothing allocated', async () => {
  const { loadModel, runtime } = await import('../../src/index.ts');
  const before = runtime().arena.bytesInUse;
  await assert.rejects(async () => loadModel(read('hostile_huge_dims.keras')), /dataset "layers\/conv1d\/vars\/0" has shape \[1073741824,3,4\] \(12884901888 values\), more than the 50000000 weights loadModel accepts/);
  await assert.rejects(async () => loadModel(read('hostile_cycle.keras')), /"layers\/conv1d\/vars" holds 3 variables, Conv1D layer "conv1d" has 2 \(kernel, bias\)/);
  assert.equal(runtime().arena.bytesInUse, before);
});
