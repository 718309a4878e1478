// NODE ONLY. The table of cnn1d subcommands, in the order `cnn1d --help` lists them; each lives in
// its own file.

import type { Command } from './command.ts';
import { trainCommand } from './train-command.ts';
import { evaluateCommand } from './evaluate-command.ts';
import { predictCommand } from './predict-command.ts';
import { DATA_USAGE, dataCommand } from './data-command.ts';
import { inspect } from './inspect.ts';
import { convert } from './convert.ts';

const noOptions = (): void => {};

const dataEntry: Command = {
  name: 'data',
  summary: 'fetch datasets (fsdd, ucr:<name>) into the data directory, list them, print it',
  help: DATA_USAGE,
  options: {},
  run: noOptions,
  runArgv: dataCommand,
};

const inspectEntry: Command = {
  name: 'inspect',
  summary: 'the format, layers, parameters and input shape of a model file, or why it does not load',
  help: `usage: cnn1d inspect FILE

  FILE   a .keras archive, a Keras .h5, a TF.js model.json or its folder, a model.to_json()
         topology, or a SavedModel's keras_metadata.pb (the format is told by content)`,
  options: {},
  run: noOptions,
  runArgv: (argv) => inspect(argv),
};

const convertEntry: Command = {
  name: 'convert',
  summary: 'read a model file in any format loadModel reads; write it as ONNX or a TF.js folder',
  help: `usage: cnn1d convert IN OUT [--overwrite]

  IN            any model file or folder loadModel reads (cnn1d inspect IN tells whether it loads)
  OUT           a .onnx file (opset 13, input [n, length, channels]), or else a folder for a
                TF.js layers-model (model.json + weights.bin)
  --overwrite   replace a model already in OUT`,
  options: {},
  run: noOptions,
  runArgv: (argv) => convert(argv),
};

export const COMMANDS: readonly Command[] = [trainCommand, evaluateCommand, predictCommand, dataEntry, inspectEntry, convertEntry];
