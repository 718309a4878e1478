// fit's classWeight and sampleWeight, as Keras: each sample's loss is multiplied by its weight
// and the batch loss is sum_i w_i l_i / B (the default reduction, "sum over batch size", so the
// weights are not renormalised); the reported loss is that weighted loss. classWeight maps a
// class index to a weight (classes it does not name weigh 1, as Keras 3) and becomes per-sample
// weights from the targets (the label, the argmax of a one-hot row, or the 0/1 value of a single
// sigmoid unit); with both, the weights multiply (tf.keras's standardize_weights). classWeight
// needs one output with one class vector per sample (Keras refuses 3+ dimensional targets); a
// sampleWeight [n] applies to every output and to every step of a per-step output.
//   w [n]   the per-loss-row weights view of output o: [batch * rows per sample]

import { ConfigError, showValue } from '../layers/args.ts';
import { Tensor } from '../tensor.ts';
import type { Dataset } from './data.ts';
import type { LayersModel } from './model.ts';

/** {classIndex: weight}; classes not named weigh 1. */
export type ClassWeight = Record<number, number>;
/** One weight per training sample. */
export type SampleWeight = Float32Array | number[] | Tensor;

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

function checkWeight(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ConfigError(`${what} must be a finite number >= 0, got ${showValue(v)}`);
  return v;
}

/** Per-sample weights [n] of the training data d (targets as loaded), or null without weights. */
export function sampleWeights(model: LayersModel, d: Dataset, classWeight: unknown, sampleWeight: unknown): Float32Array | null {
  if (classWeight === undefined && sampleWeight === undefined) return null;
  const w = new Float32Array(d.n).fill(1);
  if (sampleWeight !== undefined) {
    const values = sampleWeight instanceof Tensor ? (sampleWeight.rank === 1 ? sampleWeight.data : null) : Array.isArray(sampleWeight) || sampleWeight instanceof Float32Array ? sampleWeight : null;
    if (!values) throw new ConfigError(`fit: sampleWeight must be one weight per sample (an array, Float32Array or 1-D Tensor of ${d.n}), got ${sampleWeight instanceof Tensor ? `a tensor [${sampleWeight.shape}]` : showValue(sampleWeight)}`);
    if (values.length !== d.n) throw new ConfigError(`fit: sampleWeight has ${values.length} values for ${d.n} samples; give one weight per sample`);
    for (let i = 0; i < d.n; i++) w[i] = checkWeight(values[i], `fit: sampleWeight[${i}]`);
  }
  if (classWeight !== undefined) {
    if (typeof classWeight !== 'object' || classWeight === null || Array.isArray(classWeight)) throw new ConfigError(`fit: classWeight must be an object {classIndex: weight}, e.g. {0: 1, 1: 5}, got ${showValue(classWeight)}`);
    if (model.outputNames.length !== 1) throw new ConfigError(`fit: classWeight needs a model with one output; the model has ${model.outputNames.length} (${model.outputNames.join(', ')}); use sampleWeight`);
    const out = model.outputShapesAt(d.length)[0];
    if (out.length !== 1) throw new ConfigError(`fit: classWeight needs one class vector per sample; the output is [${out}] per sample (per-step targets): use sampleWeight`);
    const C = out[0];
    const classes = Math.max(C, 2); // one sigmoid unit: classes 0 and 1
    const table = new Float64Array(classes).fill(1);
    for (const [k, v] of Object.entries(classWeight)) {
      const c = Number(k);
      if (!Number.isInteger(c) || c < 0 || c >= classes) throw new ConfigError(`fit: classWeight has a weight for class ${JSON.stringify(k)}, but the model's output has ${classes} classes (0..${classes - 1})`);
      table[c] = checkWeight(v, `fit: classWeight[${c}]`);
    }
    const y = d.ys[0];
    const sparse = model.losses[0].sparse;
    for (let i = 0; i < d.n; i++) {
      let c: number;
      if (sparse) c = y[i];
      else if (C === 1) c = y[i] >= 0.5 ? 1 : 0;
      else {
        c = 0;
        for (let j = 1; j < C; j++) if (y[i * C + j] > y[i * C + c]) c = j;
      }
      w[i] *= table[c];
    }
  }
  return w;
}

/** Copies the weights of samples order[start .. start+count) into every output's per-row weights. */
export function loadSampleWeights(model: LayersModel, w: Float32Array, order: Int32Array | null, start: number, count: number, length: number | undefined): void {
  model.outputShapesAt(length).forEach((out, o) => {
    const rows = size(out) / out[out.length - 1];
    const view = model.sampleWeightView(count * rows, o);
    for (let i = 0; i < count; i++) view.fill(w[order ? order[start + i] : start + i], i * rows, (i + 1) * rows);
  });
}
