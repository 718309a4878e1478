// NODE ONLY. cnn1d predict: the class a saved model predicts for each series of a file or folder.

import type { Command, Values } from './command.ts';
import { intValue } from './options.ts';
import { openSaved } from './saved-model.ts';

function predict(v: Values): void {
  const limit = v.limit === undefined ? 20 : intValue('--limit', v.limit, 0);
  const { model, meta, set } = openSaved('predict', v);
  try {
    const probs = model.predict(set.x);
    const C = meta.classes.length;
    let hits = 0;
    for (let i = 0; i < set.x.shape[0]; i++) {
      const row = Array.from(probs.data.subarray(i * C, (i + 1) * C));
      const best = row.indexOf(Math.max(...row));
      if (meta.classes[best] === set.labels[i]) hits++;
      if (i < limit) console.log(`${i}\tpredicted ${meta.classes[best]} (p=${row[best].toFixed(3)})\tlabel ${set.labels[i]}`);
    }
    console.log(`${set.x.shape[0]} predictions, ${hits} match the file's labels`);
  } finally {
    model.dispose();
  }
}

export const predictCommand: Command = {
  name: 'predict',
  summary: 'the class a saved model predicts for each series',
  help: `usage: cnn1d predict --model-dir DIR --data <ucr.tsv | wav folder> [--limit 20]

  --model-dir DIR   a folder written by cnn1d train --out
  --data PATH       a UCR file or a folder of .wav files
  --limit N         print the first N predictions (default 20); the count of matches is always printed`,
  options: { 'model-dir': { type: 'string' }, data: { type: 'string' }, limit: { type: 'string' } },
  run: predict,
};
