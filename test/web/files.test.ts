// The Train view's model-file reader (examples/web/src/train/files.ts) on File objects, as the
// file input gives them: a browser's renamed second download is accepted, a wrong pick is named.
import { expect, test } from 'vitest';
import { readModelFiles } from '../../examples/web/src/train/files.ts';

const modelJson = { format: 'layers-model', modelTopology: {}, weightsManifest: [{ paths: ['weights.bin'], weights: [] }] };
const json = (name: string) => new File([JSON.stringify(modelJson)], name, { type: 'application/json' });
const bin = (name: string, bytes: number[]) => new File([new Uint8Array(bytes)], name);

test('model.json with weights.bin, and a second download "model (1).json" with "weights (1).bin"', async () => {
  for (const [j, b] of [['model.json', 'weights.bin'], ['model (1).json', 'weights (1).bin']]) {
    const r = await readModelFiles([json(j), bin(b, [1, 2, 3])]);
    expect(r.modelJson).toEqual(modelJson);
    expect(Array.from(r.weightData)).toEqual([1, 2, 3]);
  }
});

test('the weight file named by the manifest wins over another one picked with it', async () => {
  const r = await readModelFiles([bin('other.bin', [9]), json('model.json'), bin('weights.bin', [4, 5])]);
  expect(Array.from(r.weightData)).toEqual([4, 5]);
});

test('a pick without one .json, or without its weight file, is refused with what to pick', async () => {
  await expect(readModelFiles([bin('weights.bin', [1])])).rejects.toThrow('load: pick one model .json and its weight file together; got weights.bin');
  await expect(readModelFiles([json('a.json'), json('b.json'), bin('weights.bin', [1])])).rejects.toThrow('got a.json, b.json, weights.bin');
  await expect(readModelFiles([json('model.json')])).rejects.toThrow('load: model.json names the weight file "weights.bin"; pick it together with model.json');
});
