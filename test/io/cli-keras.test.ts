// cnn1d inspect and convert (src/cli/inspect.ts, convert.ts) on the Keras fixtures: the format
// recognised, the model summary, the reason a file does not load; a .h5 converted to a TF.js folder
// that loads with the same predictions.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from '../../src/cli/inspect.ts';
import { convert } from '../../src/cli/convert.ts';
import { loadModel, Tensor } from '../../src/index.ts';
import * as ort from 'onnxruntime-node';

const DIR = join(import.meta.dirname, '../fixtures/keras/generated');

test('inspect: format, input, parameters, training and layers of a .keras; the reason an LSTM file does not load', async () => {
  const lines: string[] = [];
  assert.equal(await inspect([join(DIR, 'functional_k3.keras')], (l) => lines.push(l)), 0);
  const text = lines.join('\n');
  assert.match(text, /format: Keras 3 \.keras archive \(zip\)/);
  assert.match(text, /input:  \[null, 32, 2\]/);
  assert.match(text, /params: 67/);
  assert.match(text, /training: RMSprop, loss categoricalCrossentropy/);
  assert.match(text, /elu \(ELU\)\s+\[null, 32, 4\]\s+0\s+conv_b/);
  const refused: string[] = [];
  assert.equal(await inspect([join(DIR, 'cnn_lstm_k3.keras')], (l) => refused.push(l)), 1);
  assert.match(refused.join('\n'), /loads:  no\nwhy:    .*layer class "LSTM" \(layer "lstm"\) is not supported: cnn1d is a convolutional library/);
});

test('convert: a Keras 2 .h5 to a TF.js folder and to ONNX (run in onnxruntime) with the same predictions; .keras output refused as not implemented', async () => {
  const out = mkdtempSync(join(tmpdir(), 'cnn1d-convert-'));
  try {
    const lines: string[] = [];
    assert.equal(await convert([join(DIR, 'sequential_k2.h5'), join(out, 'm')], (l) => lines.push(l)), 0);
    assert.match(lines[0], /wrote .*model\.json and 1092 bytes of weights \(273 parameters\)/);
    const ref = JSON.parse(readFileSync(join(DIR, 'reference.json'), 'utf8'));
    const m = await loadModel(join(out, 'm'));
    const y = m.predict(new Tensor(Float32Array.from(ref.input), ref.input_shape)).data;
    m.dispose();
    ref.outputs['sequential_k2.h5'].forEach((v: number, i: number) => assert.ok(Math.abs(y[i] - v) <= 1e-4, `output ${i}`));
    await assert.rejects(() => convert([join(DIR, 'sequential_k2.h5'), join(out, 'x.keras')]), /writing \.keras files is not implemented/);
    // .h5 -> .onnx, run by onnxruntime-node: the same predictions
    const onnxLines: string[] = [];
    assert.equal(await convert([join(DIR, 'sequential_k2.h5'), join(out, 'm.onnx')], (l) => onnxLines.push(l)), 0);
    assert.match(onnxLines[0], /wrote .*m\.onnx, \d+ bytes of ONNX \(273 parameters\)/);
    const session = await ort.InferenceSession.create(join(out, 'm.onnx'));
    const run = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', Float32Array.from(ref.input), ref.input_shape) });
    const yo = run[session.outputNames[0]].data as Float32Array;
    ref.outputs['sequential_k2.h5'].forEach((v: number, i: number) => assert.ok(Math.abs(yo[i] - v) <= 1e-4, `output ${i} of the .onnx in onnxruntime: ${yo[i]} vs ${v}`));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
