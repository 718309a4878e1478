// NODE ONLY. cnn1d evaluate: the loss and accuracy of a saved model on a labelled file or folder.

import type { Command, Values } from './command.ts';
import { indices, openSaved } from './saved-model.ts';

function evaluate(v: Values): void {
  const { model, meta, set } = openSaved('evaluate', v);
  try {
    const result = model.evaluate(set.x, indices(set, meta.classes, String(v.data)));
    console.log(Object.entries(result).map(([k, val]) => `${k} ${val.toFixed(4)}`).join(', ') + ` on ${set.x.shape[0]} series`);
  } finally {
    model.dispose();
  }
}

export const evaluateCommand: Command = {
  name: 'evaluate',
  summary: 'loss and accuracy of a saved model on labelled data',
  help: `usage: cnn1d evaluate --model-dir DIR --data <ucr.tsv | wav folder>

  --model-dir DIR   a folder written by cnn1d train --out (model.json, weights.bin, cnn1d-meta.json)
  --data PATH       a UCR file or a folder of .wav files, preprocessed as the model's training data`,
  options: { 'model-dir': { type: 'string' }, data: { type: 'string' } },
  run: evaluate,
};
