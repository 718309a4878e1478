// Every error a named error (issue 15, item 8): the value formatter does not recurse, so configs
// nested 200,000 deep give a ModelFormatError (not a stack overflow) through fromArtifacts and
// loadModel; fromArtifacts(null) and an oversized built-in dataset are ConfigErrors.
import { afterAll, test } from 'vitest';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, data, fromArtifacts, input, layers, loadModel, model, ModelFormatError, toArtifacts } from '../../src/index.ts';
import { showValue } from '../../src/layers/args.ts';

const DEPTH = 200_000;
const dir = mkdtempSync(join(tmpdir(), 'cnn1d-named-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('showValue keeps its formats and cuts deep, long and circular values short', () => {
  assert.equal(showValue('a"b'), '"a\\"b"');
  assert.equal(showValue([1, 'x', NaN, [2, [-Infinity]]]), '[1, "x", NaN, [2, [-Infinity]]]');
  assert.equal(showValue({ a: 1, b: [1, NaN, undefined], c: undefined, d: () => 1, e: { f: 'g' } }), '{"a":1,"b":[1,null,null],"e":{"f":"g"}}');
  assert.equal(showValue(undefined), 'undefined');
  assert.equal(showValue(null), 'null');
  assert.equal(showValue(new Date(0)), '"1970-01-01T00:00:00.000Z"');
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  assert.equal(showValue(cyclic), '{"a":1,"self":"[Circular]"}');
  const deep = JSON.parse('['.repeat(DEPTH) + ']'.repeat(DEPTH));
  assert.equal(showValue(deep), `${'['.repeat(400)}...`);
  const deepObject = JSON.parse('{"a":'.repeat(DEPTH) + '1' + '}'.repeat(DEPTH));
  assert.equal(showValue(deepObject), `${'{"a":'.repeat(80)}...`);
  assert.equal(showValue(Array.from({ length: 1e6 }, (_, i) => i)).length, 403, 'a long list is cut at 400 characters');
});

function artifacts() {
  const x = input({ shape: [8, 1] });
  const m = model({ inputs: x, outputs: layers.dense({ units: 2 }).apply(layers.flatten().apply(x)) as never });
  m.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
  const a = toArtifacts(m);
  m.dispose();
  return a;
}

test('model.json fields nested 200,000 deep are ModelFormatErrors through fromArtifacts and loadModel', () => {
  const art = artifacts();
  const text = JSON.stringify(art.modelJson);
  const fields: [string, (j: any) => void, RegExp][] = [
    ['inbound_nodes', (j) => (j.modelTopology.config.layers[1].inbound_nodes = '@'), /layer "flatten" inbound_nodes\[0\]\[0\] must be \[layerName, nodeIndex, tensorIndex\].*got \[\[\[\[.*\.\.\.$/],
    ['input_layers', (j) => (j.modelTopology.config.input_layers = '@'), /input_layers\[0\] must be \[layerName, nodeIndex, tensorIndex\]/],
    ['output_layers', (j) => (j.modelTopology.config.output_layers = '@'), /output_layers\[0\] must be/],
    ['units', (j) => (j.modelTopology.config.layers[2].config.units = '@'), /Dense: units must be a positive integer, got \[\[\[/],
    ['batch_input_shape', (j) => (j.modelTopology.config.layers[0].config.batch_input_shape = '@'), /batch_input_shape must be/],
    ['weight shape', (j) => (j.weightsManifest[0].weights[0].shape = '@'), /\.shape must be an array of at most 8 non-negative integers/],
  ];
  for (const [name, edit, pattern] of fields) {
    const j = JSON.parse(text);
    edit(j);
    const deepText = JSON.stringify(j).replace('"@"', '['.repeat(DEPTH) + ']'.repeat(DEPTH));
    assert.throws(() => fromArtifacts({ modelJson: JSON.parse(deepText), weightData: art.weightData }), (e: Error) => e instanceof ModelFormatError && pattern.test(e.message), name);
    const folder = join(dir, name);
    mkdirSync(folder);
    writeFileSync(join(folder, 'model.json'), deepText);
    writeFileSync(join(folder, 'weights.bin'), art.weightData);
    assert.throws(() => loadModel(folder), (e: Error) => e instanceof ModelFormatError && pattern.test(e.message), `loadModel ${name}`);
  }
  // a training config nested that deep is not restored (the model loads uncompiled), as any bad one
  const j = JSON.parse(text);
  j.trainingConfig.loss = '@';
  const m = fromArtifacts({ modelJson: JSON.parse(JSON.stringify(j).replace('"@"', '['.repeat(DEPTH) + ']'.repeat(DEPTH))), weightData: art.weightData });
  assert.equal(m.loss, null);
  m.dispose();
});

test('fromArtifacts without artifacts and an oversized built-in dataset are ConfigErrors', () => {
  for (const [bad, shown] of [[null, 'null'], [undefined, 'undefined'], [1, '1'], ['model.json', '"model.json"']] as const) {
    assert.throws(() => fromArtifacts(bad as never), (e: Error) => e instanceof ConfigError && e.message === `fromArtifacts: expected {modelJson, weightData} (as toArtifacts returns them), got ${shown}`);
  }
  assert.throws(() => fromArtifacts({} as never), ModelFormatError);
  assert.throws(
    () => data.builtin.cbf({ n: 1e7, length: 1e7 }),
    (e: Error) => e instanceof ConfigError && e.message === 'builtin.cbf: n x length = 10000000 x 10000000 = 100000000000000 values, more than the 268435456 (1 GiB of float32) a built-in dataset may have; lower n or length',
  );
  assert.throws(() => data.builtin.sines({ n: 2 ** 21, length: 129 }), /builtin\.sines: n x length = 2097152 x 129/);
});
