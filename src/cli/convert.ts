// NODE ONLY. cnn1d convert IN OUT [--overwrite]: reads IN in any format loadModel reads (by
// content) and writes OUT as an ONNX file when OUT ends in .onnx (toOnnx: opset 13, input [n, L, C]),
// else as a TF.js layers-model folder (model.json + weights.bin), the format cnn1d, TF.js
// (tf.loadLayersModel) and tfjs-converter read. Writing .keras is not implemented yet.

import { loadModel } from '../index.ts';
import { UsageError } from './datasets.ts';

export async function convert(args: string[], print: (line: string) => void = console.log): Promise<number> {
  const overwrite = args.includes('--overwrite');
  const paths = args.filter((a) => a !== '--overwrite');
  if (paths.length !== 2 || paths.some((p) => p.startsWith('-'))) throw new UsageError('convert takes IN OUT [--overwrite]: IN any model file loadModel reads, OUT a folder for a TF.js layers-model', true);
  const [from, to] = paths;
  if (/\.(keras|h5)$/i.test(to)) throw new UsageError(`convert: writing ${to.replace(/^.*\./, '.')} files is not implemented; OUT is a folder for a TF.js layers-model (model.json + weights.bin)`);
  const model = await loadModel(from);
  try {
    if (/\.onnx$/i.test(to)) {
      const { modelPath, bytes } = await model.save(to as `${string}.onnx`, { overwrite });
      print(`wrote ${modelPath}, ${bytes} bytes of ONNX (${model.countParams()} parameters)`);
      return 0;
    }
    const { modelPath, bytes } = model.save(to, { overwrite });
    print(`wrote ${modelPath} and ${bytes} bytes of weights (${model.countParams()} parameters)`);
    return 0;
  } finally {
    model.dispose();
  }
}
