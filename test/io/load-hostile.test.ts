// loadModel on hostile or broken folders: every case ends in a ModelFormatError (bad files) or a
// ConfigError (bad arguments) that names the field and the value, before any memory is allocated,
// and the arena's bytes in use return to where they were.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, fromArtifacts, layers, loadModel, loadTfjsModel, ModelFormatError, sequential, Tensor, type Sequential } from '../../src/index.ts';
import { runtime } from '../../src/runtime/runtime.ts';
import { Random } from '../../src/runtime/random.ts';

type Json = { modelTopology: { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }; weightsManifest: { paths: string[]; weights: { name: string; shape: number[]; dtype?: string }[] }[] } & Record<string, unknown>;

const tmp = () => mkdtempSync(join(tmpdir(), 'cnn1d-hostile-'));
const inUse = () => runtime().arena.bytesInUse;

function net(): Sequential {
  const m = sequential({
    seed: 5,
    layers: [
      layers.conv1d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [16, 2] }),
      layers.batchNormalization(),
      layers.globalAveragePooling1d(),
      layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
  m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  return m;
}

const saved = (() => {
  const model = net();
  const dir = tmp();
  model.save(dir);
  const x = new Tensor(new Random(3).uniformArray(4 * 32, -1, 1), [4, 16, 2]);
  const out = { json: readFileSync(join(dir, 'model.json'), 'utf8'), weights: new Uint8Array(readFileSync(join(dir, 'weights.bin'))), x, y: [...model.predict(x).data] };
  model.dispose();
  return out;
})();
const names = (JSON.parse(saved.json) as Json).weightsManifest[0].weights.map((w) => w.name);
const weightCount = saved.weights.length / 4;
const offsetOf = (name: string) => {
  const ws = (JSON.parse(saved.json) as Json).weightsManifest[0].weights;
  let o = 0;
  for (const w of ws) {
    if (w.name === name) return o;
    o += 4 * w.shape.reduce((a, b) => a * b, 1);
  }
  throw new Error(name);
};

/** A folder holding an edited model.json (object or raw text) and weight bytes. */
function folder(edit: (j: Json) => unknown = (j) => j, weights: Uint8Array = saved.weights, parent = tmp()): string {
  const dir = join(parent, 'model');
  mkdirSync(dir);
  const json = edit(JSON.parse(saved.json) as Json);
  writeFileSync(join(dir, 'model.json'), typeof json === 'string' ? json : JSON.stringify(json));
  writeFileSync(join(dir, 'weights.bin'), weights);
  return dir;
}

/** `fn` throws an error of class `cls` whose message matches `pattern`, and leaves the arena as it was. */
function refuses(fn: () => unknown, cls: typeof ModelFormatError | typeof ConfigError, pattern: RegExp): void {
  const before = inUse();
  assert.throws(fn, (e: Error) => {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${e.name}: ${e.message}`);
    assert.match(e.message, pattern);
    return true;
  });
  assert.equal(inUse(), before, 'bytes in use after a refused load');
}

test('the unedited folder loads with the same predictions (the baseline of every case below)', () => {
  const m = loadTfjsModel(folder());
  assert.deepEqual([...m.predict(saved.x).data], saved.y);
  m.dispose();
});

test('model.json that is not an object is a ModelFormatError, not a TypeError', () => {
  for (const [text, kind] of [['null', 'null'], ['[1, 2]', 'an array'], ['42', 'the number 42'], ['"model"', 'a string'], ['true', 'the boolean true']]) {
    refuses(() => loadModel(folder(() => text)), ModelFormatError, new RegExp(`model.json: expected a JSON object \\{format, modelTopology, weightsManifest\\}, got ${kind}`));
    refuses(() => fromArtifacts({ modelJson: JSON.parse(text), weightData: new Uint8Array(0) }), ModelFormatError, /expected a JSON object/);
  }
  refuses(() => loadModel(folder((j) => ({ ...j, modelTopology: null }))), ModelFormatError, /"modelTopology" must be an object, got null/);
  refuses(() => loadModel(folder((j) => ({ ...j, weightsManifest: { paths: [] } }))), ModelFormatError, /"weightsManifest" must be an array of \{paths, weights\}, got an object/);
  refuses(() => loadModel(folder((j) => (j.modelTopology.config.layers[0] = null as never, j))), ModelFormatError, /modelTopology layer 0 must be an object \{class_name, config\}, got null/);
});

test('weight paths must be plain file names in the model folder: ../, absolute, /dev/zero, NUL, empty', () => {
  const parent = tmp();
  writeFileSync(join(parent, 'outside.bin'), saved.weights); // a readable file one level up, the exact size
  const dir = folder((j) => ((j.weightsManifest[0].paths = ['../outside.bin']), j), saved.weights, parent);
  refuses(() => loadModel(dir), ModelFormatError, /weightsManifest\[0\]\.paths\[0\] must be a plain file name inside the model folder .*got "\.\.\/outside\.bin"/);
  const t0 = performance.now();
  for (const p of ['/dev/zero', '..', '.', '', 'sub/weights.bin', 'a\\b.bin', 'C:weights.bin', 'w\0.bin', 7]) {
    refuses(() => loadModel(folder((j) => ((j.weightsManifest[0].paths = [p as string]), j))), ModelFormatError, /must be a plain file name inside the model folder/);
  }
  assert.ok(performance.now() - t0 < 5000, 'refused by the name check, without reading');
});

test('a shard that is not a regular file (a FIFO, a directory) is refused without blocking', () => {
  const fifo = folder((j) => ((j.weightsManifest[0].paths = ['pipe.bin']), j));
  execFileSync('mkfifo', [join(fifo, 'pipe.bin')]);
  refuses(() => loadModel(fifo), ModelFormatError, /pipe\.bin is not a regular file/);
  const sub = folder((j) => ((j.weightsManifest[0].paths = ['shards']), j));
  mkdirSync(join(sub, 'shards'));
  refuses(() => loadModel(sub), ModelFormatError, /shards is not a regular file/);
  refuses(() => loadModel(folder((j) => ((j.weightsManifest[0].paths = ['gone.bin']), j))), ModelFormatError, /gone\.bin does not exist/);
  const jsonFifo = tmp();
  execFileSync('mkfifo', [join(jsonFifo, 'model.json')]);
  refuses(() => loadModel(jsonFifo), ModelFormatError, /model\.json is not a regular file/);
});

test('shards larger or smaller than the manifest describes are refused before reading', () => {
  const longer = new Uint8Array(saved.weights.length + 4);
  longer.set(saved.weights);
  refuses(() => loadModel(folder(undefined, longer)), ModelFormatError, new RegExp(`describes ${saved.weights.length} bytes of float32 weights, the weight data has ${longer.length} bytes`));
  refuses(() => loadModel(folder(undefined, saved.weights.subarray(0, 10))), ModelFormatError, /the weight data has 10 bytes in weights\.bin \(truncated or corrupt file\?\)/);
});

test('a layer removed from the topology is refused: its weights are extra in the manifest', () => {
  const edit = (j: Json) => ((j.modelTopology.config.layers = j.modelTopology.config.layers.filter((l) => l.class_name !== 'BatchNormalization')), j);
  refuses(() => loadModel(folder(edit)), ModelFormatError, /weightsManifest lists weights no layer of the topology has: "batch_normalization\/gamma", "batch_normalization\/beta", "batch_normalization\/moving_mean", "batch_normalization\/moving_variance"/);
});

test('missing, extra and duplicate manifest entries are refused', () => {
  const bias = names.indexOf('dense/bias');
  const withoutBias = saved.weights.subarray(0, offsetOf('dense/bias'));
  refuses(() => loadModel(folder((j) => (j.weightsManifest[0].weights.splice(bias, 1), j), withoutBias)), ModelFormatError, /weightsManifest has no weight "dense\/bias", which layer "dense" needs with shape \[3\] \(the manifest lists conv1d\/kernel, .*, dense\/kernel\)/);
  const plus3 = new Uint8Array(saved.weights.length + 12);
  plus3.set(saved.weights);
  refuses(() => loadModel(folder((j) => (j.weightsManifest[0].weights.push({ name: 'dense/extra', shape: [3], dtype: 'float32' }), j), plus3)), ModelFormatError, /lists a weight no layer of the topology has: "dense\/extra"/);
  // the same name twice, the second copy with other values (the old loader took the last)
  const dup = new Uint8Array(saved.weights.length + 12);
  dup.set(saved.weights);
  new DataView(dup.buffer).setFloat32(saved.weights.length, 9, true);
  refuses(() => loadModel(folder((j) => (j.weightsManifest[0].weights.push({ name: 'dense/bias', shape: [3], dtype: 'float32' }), j), dup)), ModelFormatError, /weightsManifest\[0\]\.weights\[8\]: the weight "dense\/bias" is listed twice/);
});

test('wrong shapes, dtypes and malformed entries are refused', () => {
  const k = names.indexOf('conv1d/kernel');
  refuses(() => loadModel(folder((j) => ((j.weightsManifest[0].weights[k].shape = [4, 2, 3]), j))), ModelFormatError, /"conv1d\/kernel" has shape \[4,2,3\] in the manifest, the layer needs \[3,2,4\]/);
  refuses(() => loadModel(folder((j) => ((j.weightsManifest[0].weights[k].dtype = 'int32'), j))), ModelFormatError, /weights\[0\] \("conv1d\/kernel"\)\.dtype is "int32"; only "float32" is supported/);
  refuses(() => loadModel(folder((j) => ((j.weightsManifest[0].weights[k].shape = [3, -2, 4]), j))), ModelFormatError, /\.shape must be an array of at most 8 non-negative integers, got \[3, -2, 4\]/);
  refuses(() => loadModel(folder((j) => ((j.weightsManifest[0].weights[k].shape = [1e9, 1e9, 1e9]), j))), ModelFormatError, /\.shape \[1000000000,1000000000,1000000000\] is too large/);
});

test('non-finite weights and a negative moving variance are refused', () => {
  const nan = Uint8Array.from(saved.weights);
  new DataView(nan.buffer).setFloat32(offsetOf('dense/kernel') + 8, NaN, true);
  refuses(() => loadModel(folder(undefined, nan)), ModelFormatError, /weights\.bin: "dense\/kernel" contains NaN at index 2; weights must be finite/);
  const inf = Uint8Array.from(saved.weights);
  new DataView(inf.buffer).setFloat32(offsetOf('batch_normalization/moving_mean'), -Infinity, true);
  refuses(() => loadModel(folder(undefined, inf)), ModelFormatError, /"batch_normalization\/moving_mean" contains -Infinity at index 0/);
  const negative = Uint8Array.from(saved.weights);
  new DataView(negative.buffer).setFloat32(offsetOf('batch_normalization/moving_variance') + 4, -0.5, true);
  refuses(() => loadModel(folder(undefined, negative)), ModelFormatError, /"batch_normalization\/moving_variance" contains -0\.5 at index 1; a moving variance must be >= 0/);
});

test('absurd topologies are refused by the size limits before any allocation, quickly', () => {
  const t0 = performance.now();
  const huge = (j: Json) => ((j.modelTopology.config.layers[0].config.filters = 1e9), j);
  refuses(() => loadModel(folder(huge)), ModelFormatError, /the model has more than 50000000 weights \(7000000000 up to Conv1D layer "conv1d"\); loadModel refuses it before allocating \(raise the limit with \{maxParams\}\)/);
  const long = (j: Json) => ((j.modelTopology.config.layers[0].config.batch_input_shape = [null, 2e7, 2]), j);
  refuses(() => loadModel(folder(long)), ModelFormatError, /more than 50000000 activation values per sample \(119999992 up to Conv1D layer "conv1d", output \[19999998,4\]\)/);
  const longer = (j: Json) => ((j.modelTopology.config.layers[0].config.batch_input_shape = [null, 4e7, 2]), j);
  refuses(() => loadModel(folder(longer)), ModelFormatError, /more than 50000000 activation values per sample \(80000000 up to input "input", output \[40000000,2\]\)/);
  refuses(() => loadModel(folder(), { maxParams: 10 }), ModelFormatError, /more than 10 weights \(\d+ up to Conv1D layer "conv1d"\)/);
  refuses(() => loadModel(folder(), { maxActivations: 40 }), ModelFormatError, /more than 40 activation values per sample/);
  assert.ok(performance.now() - t0 < 2000, `took ${performance.now() - t0} ms`);
  refuses(() => loadModel(folder(), { maxParams: 'many' as never }), ConfigError, /loadModel: maxParams must be a positive integer or Infinity, got "many"/);
  refuses(() => loadModel(folder(), { maxParam: 10 } as never), ConfigError, /unknown option "maxParam" \(did you mean "maxParams"\?\)/);
  refuses(() => loadModel(folder(), { maxParams: weightCount - 1 }), ModelFormatError, new RegExp(`more than ${weightCount - 1} weights \\(${weightCount} up to Dense layer "dense"\\)`));
  const m = loadTfjsModel(folder(), { maxParams: weightCount, maxActivations: Infinity }); // exactly the weight count
  assert.equal(m.countParams(), weightCount);
  m.dispose();
});

test('__proto__, constructor and toString in model.json pollute nothing and are not looked up', () => {
  const polluted = loadTfjsModel(folder((j) => JSON.parse(JSON.stringify(j).replace('{"format"', '{"__proto__":{"polluted":1},"constructor":{"x":1},"format"'))));
  assert.equal(({} as { polluted?: number }).polluted, undefined);
  assert.deepEqual([...polluted.predict(saved.x).data], saved.y);
  polluted.dispose();
  refuses(() => loadModel(folder((j) => ((j.modelTopology.config.layers[2].class_name = 'toString'), j))), ModelFormatError, /unsupported layer class "toString"/);
  refuses(() => loadModel(folder((j) => ((j.modelTopology.config.layers[3].config.activation = 'constructor'), j))), ModelFormatError, /layer 3 \(Dense\).*"constructor"/);
  refuses(() => loadModel(folder((j) => ((j.modelTopology.config.layers[3].config.activation = '__proto__'), j))), ModelFormatError, /layer 3 \(Dense\).*"__proto__"/);
  // a layer may be called __proto__: names are matched in a Map, never on a plain object
  const renamed = loadTfjsModel(folder((j) => JSON.parse(JSON.stringify(j).replaceAll('"dense', '"__proto__'))));
  assert.deepEqual(renamed.weights.map((w) => w.name).slice(-2), ['__proto__/kernel', '__proto__/bias']);
  assert.deepEqual([...renamed.predict(saved.x).data], saved.y);
  renamed.dispose();
});

test('200 loads of truncated or corrupt folders leave the arena at its baseline', () => {
  const dirs = [
    folder(undefined, saved.weights.subarray(0, saved.weights.length - 4)),
    folder((j) => (j.weightsManifest[0].weights.pop(), j)),
    folder((j) => ((j.modelTopology.config.layers[3].config.units = 5), j)),
    folder(() => saved.json.slice(0, saved.json.length / 2)),
  ];
  const base = inUse();
  for (let i = 0; i < 200; i++) assert.throws(() => loadModel(dirs[i % dirs.length]), ModelFormatError);
  assert.equal(inUse(), base);
});

test('save refuses to replace a lone weights.bin or to write into a file, and leaves no temporaries', () => {
  const model = net();
  const dir = tmp();
  writeFileSync(join(dir, 'weights.bin'), 'user data');
  refuses(() => model.save(dir), ConfigError, /save: .*weights\.bin already exists; pass \{overwrite: true\} to replace it/);
  assert.equal(readFileSync(join(dir, 'weights.bin'), 'utf8'), 'user data');
  assert.deepEqual(readdirSync(dir), ['weights.bin']);
  const file = join(dir, 'weights.bin');
  refuses(() => model.save(file), ConfigError, /exists and is not a directory/);
  refuses(() => model.save(dir, { overwite: true } as never), ConfigError, /unknown option "overwite" \(did you mean "overwrite"\?\)/);
  // a directory in the way of model.json: the rename fails and the temporaries are removed
  mkdirSync(join(dir, 'model.json'));
  assert.throws(() => model.save(dir, { overwrite: true }), (e: Error) => e instanceof ConfigError && /save: cannot write .*model\.json/.test(e.message));
  assert.deepEqual(readdirSync(dir).filter((f) => f.includes('.tmp-')), []);
  model.dispose();
});

test('fromArtifacts (in memory, browser-safe) applies the same checks and limits', () => {
  const json = () => JSON.parse(saved.json) as Json;
  refuses(() => fromArtifacts({ modelJson: json(), weightData: saved.weights.subarray(4) }), ModelFormatError, new RegExp(`the manifest describes ${saved.weights.length} bytes of float32 weights, the weight data has ${saved.weights.length - 4} bytes`));
  refuses(() => fromArtifacts({ modelJson: json(), weightData: saved.weights.buffer as never }), ModelFormatError, /weightData must be a Uint8Array, got \[object ArrayBuffer\]/);
  refuses(() => fromArtifacts({ modelJson: json(), weightData: saved.weights }, { maxParams: 5 }), ModelFormatError, /more than 5 weights/);
  const late = json();
  late.modelTopology.config.layers.splice(2, 0, { class_name: 'InputLayer', config: { batch_input_shape: [null, 14, 4] } });
  refuses(() => fromArtifacts({ modelJson: late, weightData: saved.weights }), ModelFormatError, /layer 2 is an InputLayer after other layers; it may only come first/);
  const m = fromArtifacts({ modelJson: json(), weightData: saved.weights });
  assert.deepEqual([...m.predict(saved.x).data], saved.y);
  m.dispose();
});
