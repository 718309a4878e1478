import { test } from 'vitest';
import assert from 'node:assert/strict';
import { layers, metrics, sequential, tensor, Tensor, ConfigError } from '../../src/index.ts';
import { Random } from '../../src/runtime/random.ts';

/** AUC by counting every (positive, negative) pair: 1 if the positive scores higher, 1/2 on a tie. */
function pairwiseAuc(truth: number[], scores: number[]): number {
  let wins = 0;
  let pairs = 0;
  truth.forEach((t, i) => {
    if (t !== 1) return;
    truth.forEach((u, j) => {
      if (u !== 0) return;
      pairs++;
      wins += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    });
  });
  return wins / pairs;
}

test('rocAuc equals pairwise counting, with many ties, and is NaN when one class is absent', () => {
  const rng = new Random(7);
  for (const n of [2, 3, 10, 57, 200]) {
    const truth = Array.from({ length: n }, (_, i) => (i === 0 ? 1 : i === 1 ? 0 : rng.uniform(0, 1) < 0.3 ? 1 : 0));
    const scores = truth.map((t) => Math.round((rng.uniform(0, 1) + 0.4 * t) * 6) / 6); // 7 levels: ties
    const got = metrics.rocAuc(truth, scores);
    assert.ok(Math.abs(got - pairwiseAuc(truth, scores)) < 1e-12, `n=${n}: ${got} vs ${pairwiseAuc(truth, scores)}`);
  }
  assert.equal(metrics.rocAuc([1, 0, 1], [0.9, 0.1, 0.8]), 1);
  assert.equal(metrics.rocAuc([1, 0], [0.1, 0.9]), 0);
  assert.equal(metrics.rocAuc([1, 0, 1, 0], [0.5, 0.5, 0.5, 0.5]), 0.5);
  assert.ok(Number.isNaN(metrics.rocAuc([1, 1], [0.2, 0.3])));
});

test('multiLabelReport: hand-computed per-label counts, scores and macro averages', () => {
  // 4 rows, 3 labels, threshold 0.5:
  //   label 0: truth 1 1 0 0, pred .9 .4 .6 .1 -> tp 1 fn 1 fp 1 tn 1: P 1/2 R 1/2 F1 1/2; AUC: pairs (.9>.6,.9>.1,.4<.6,.4>.1) = 3/4
  //   label 1: truth 0 0 0 0, pred .7 .2 .2 .2 -> fp 1 tn 3: P 0 R 0 F1 0; AUC undefined
  //   label 2: truth 1 0 1 1, pred .8 .3 .55 .5 -> tp 2 fn 1 tn 1: P 1 R 2/3 F1 .8; AUC: .8,.55,.5 all > .3 = 1
  const yTrue = [[1, 0, 1], [1, 0, 0], [0, 0, 1], [0, 0, 1]];
  const yProb = [[0.9, 0.7, 0.8], [0.4, 0.2, 0.3], [0.6, 0.2, 0.55], [0.1, 0.2, 0.5]];
  const r = metrics.multiLabelReport(tensor(yTrue), yProb);
  const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-12, `${what}: ${a} vs ${b}`);
  assert.deepEqual(r.labels.map((l) => [l.tp, l.fp, l.fn, l.tn, l.support]), [[1, 1, 1, 1, 2], [0, 1, 0, 3, 0], [2, 0, 1, 1, 3]]);
  [[0.5, 0.5, 0.5, 0.75], [0, 0, 0, NaN], [1, 2 / 3, 0.8, 1]].forEach(([p, rc, f, a], c) => {
    close(r.labels[c].precision, p, `precision ${c}`);
    close(r.labels[c].recall, rc, `recall ${c}`);
    close(r.labels[c].f1, f, `f1 ${c}`);
    if (Number.isNaN(a)) assert.ok(Number.isNaN(r.labels[c].auc));
    else close(r.labels[c].auc, a, `auc ${c}`);
  });
  close(r.macro.f1, (0.5 + 0 + 0.8) / 3, 'macro f1');
  close(r.macro.auc, (0.75 + 1) / 2, 'macro auc over defined labels');
  close(r.binaryAccuracy, 8 / 12, 'binary accuracy');
  close(r.exactMatch, 0, 'exact match: every row has a wrong label (row 3: 0.5 is not > 0.5)');
  const low = metrics.multiLabelReport(yTrue, yProb, { threshold: 0.45 });
  assert.equal(low.labels[2].tp, 3, 'a lower threshold admits 0.5 and 0.55');
  assert.equal(low.exactMatch, 1 / 4, 'row 3 is now right on every label');
  assert.throws(() => metrics.multiLabelReport(yTrue, yProb, { threshold: NaN }), /threshold/);
  assert.throws(() => metrics.multiLabelReport(yTrue, [[1, 2]]), /\[4, 3\].*\[1, 2\]/);
  assert.throws(() => metrics.multiLabelReport(yTrue, yProb, { treshold: 0.3 } as never), ConfigError);
});

test('regression metric functions: mae, rmse, mape, binaryAccuracy with a threshold', () => {
  const t = [1, -2, 4, 0.5];
  const p = [1.5, -2, 3, 0.25];
  assert.equal(metrics.mae(t, p), (0.5 + 0 + 1 + 0.25) / 4);
  assert.equal(metrics.rmse(t, p), Math.sqrt((0.25 + 0 + 1 + 0.0625) / 4));
  assert.ok(Math.abs(metrics.mape(t, p) - (100 * (0.5 + 0 + 0.25 + 0.5)) / 4) < 1e-12);
  assert.equal(metrics.binaryAccuracy([1, 0, 1, 0], [0.6, 0.4, 0.3, 0.2]), 0.75);
  assert.equal(metrics.binaryAccuracy([1, 0, 1, 0], [0.6, 0.4, 0.3, 0.2], { threshold: 0.65 }), 0.5);
  assert.throws(() => metrics.mae([1, 2], [1]), /yTrue has 2 values, yPred 1/);
});

test('evaluate computes auc, f1, precision, recall, binaryAccuracy, rmse and mape over all batches', () => {
  const rng = new Random(3);
  const n = 45;
  const x = new Float32Array(n * 8);
  const y = new Float32Array(n * 3);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) y[i * 3 + c] = x[i * 8 + c] + 0.5 * rng.normal() > 0 ? 1 : 0;
  const xs = new Tensor(x, [n, 8, 1]);
  const ys = new Tensor(y, [n, 3]);
  const model = sequential({ seed: 5, layers: [layers.flatten({ inputShape: [8, 1] }), layers.dense({ units: 3, activation: 'sigmoid' })] });
  model.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy', metrics: ['auc', 'f1', 'precision', 'recall', 'binaryAccuracy', 'rmse', 'mape'] });
  const logs = model.evaluate(xs, ys, { batchSize: 7 }); // 7 batches, the last one partial
  const prob = model.predict(xs);
  const r = metrics.multiLabelReport(ys, prob);
  const close = (k: string, want: number) => assert.ok(Math.abs(logs[k] - want) < 1e-6, `${k}: ${logs[k]} vs ${want}`);
  close('auc', r.macro.auc);
  close('f1', r.macro.f1);
  close('precision', r.macro.precision);
  close('recall', r.macro.recall);
  close('binaryAccuracy', r.binaryAccuracy);
  close('rmse', metrics.rmse(ys, prob));
  assert.ok(Math.abs(logs.mape - metrics.mape(ys, prob)) < 1e-6 * metrics.mape(ys, prob));
  assert.ok(r.macro.auc > 0.5 && r.macro.auc < 1, 'a partly trained model: AUC strictly inside (0.5, 1)');
  // evaluate's decision threshold moves every thresholded metric as the report's does; auc stays
  for (const threshold of [0.3, 0.62]) {
    const at = model.evaluate(xs, ys, { batchSize: 7, threshold });
    const rt = metrics.multiLabelReport(ys, prob, { threshold });
    for (const [k, want] of [['f1', rt.macro.f1], ['precision', rt.macro.precision], ['recall', rt.macro.recall], ['binaryAccuracy', rt.binaryAccuracy], ['auc', r.macro.auc]] as const) {
      assert.ok(Math.abs(at[k] - want) < 1e-6, `threshold ${threshold} ${k}: ${at[k]} vs ${want}`);
    }
    assert.notEqual(rt.binaryAccuracy, r.binaryAccuracy, `threshold ${threshold} changes some decision`);
  }
  assert.throws(() => model.evaluate(xs, ys, { threshold: Number.NaN }), (e: Error) => e instanceof ConfigError && /evaluate: threshold must be a finite number.*got NaN/.test(e.message));
});

test('fit logs auc and f1 of the epoch; val_auc equals evaluate on the validation data', async () => {
  const rng = new Random(4);
  const n = 60;
  const x = new Float32Array(n * 8);
  const y = new Float32Array(n * 2);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  for (let i = 0; i < n; i++) for (let c = 0; c < 2; c++) y[i * 2 + c] = x[i * 8 + 2 * c] > 0 ? 1 : 0;
  const xs = new Tensor(x, [n, 8, 1]);
  const ys = new Tensor(y, [n, 2]);
  const model = sequential({ seed: 6, layers: [layers.flatten({ inputShape: [8, 1] }), layers.dense({ units: 2, activation: 'sigmoid' })] });
  model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['auc', 'f1'] });
  const h = await model.fit(xs, ys, { epochs: 3, batchSize: 8, verbose: 0, validationData: [xs, ys] });
  const ev = model.evaluate(xs, ys);
  assert.ok(Math.abs(h.history.val_auc[2] - ev.auc) < 1e-9 && Math.abs(h.history.val_f1[2] - ev.f1) < 1e-9);
  assert.ok(h.history.auc.every((v) => v > 0 && v <= 1) && h.history.f1.length === 3);
  assert.throws(
    () => model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', metrics: ['auc'] }),
    /metric "auc" treats every output column as a binary label/,
  );
});
