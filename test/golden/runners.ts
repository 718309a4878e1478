// One runner per golden op, each through the public layer/loss/optimizer code. A runner returns
// the list of mismatches (empty = pass) and throws on anything it does not understand.

import { layers, losses, optimizers, sequential, runtime, type Layer, type LossName, type Optimizer, type Sequential } from '../../src/index.ts';
import { snakeCase } from '../../src/models/names.ts';
import { GoldenFormatError, hasField, mismatch, number, tensor, tensorDict, type GCase } from './format.ts';
import { parseNetwork } from './network-spec.ts';

type Runner = (c: GCase) => string[];

const f32 = (a: number[]) => Float32Array.from(a);

/** Builds the layer of a layer case; unknown config keys make the layer constructor throw. */
function layerFor(c: GCase, inputShape: number[]): Layer {
  const { config } = c;
  const withShape = (extra: Record<string, unknown>) => ({ ...extra, inputShape }) as never;
  switch (c.op) {
    case 'conv1d':
      return layers.conv1d(withShape(config));
    case 'depthwiseConv1d':
      return layers.depthwiseConv1d(withShape(config));
    case 'separableConv1d':
      return layers.separableConv1d(withShape(config));
    case 'conv1dTranspose':
      return layers.conv1dTranspose(withShape(config));
    case 'dense':
      return layers.dense(withShape(config));
    case 'flatten':
      return layers.flatten(withShape(config));
    case 'activation':
      return layers.activation(withShape(config));
    case 'pool1d': {
      const { kind, ...rest } = config;
      if (kind === 'max') return layers.maxPooling1d(withShape(rest));
      if (kind === 'avg') return layers.averagePooling1d(withShape(rest));
      throw new GoldenFormatError(`case "${c.name}": pool1d kind must be "max" or "avg", got ${String(kind)}`);
    }
    case 'globalPool1d': {
      const { kind, ...rest } = config;
      if (kind === 'max') return layers.globalMaxPooling1d(withShape(rest));
      if (kind === 'avg') return layers.globalAveragePooling1d(withShape(rest));
      throw new GoldenFormatError(`case "${c.name}": globalPool1d kind must be "max" or "avg", got ${String(kind)}`);
    }
    case 'prelu': {
      // alpha is shared over the leading axes it does not have (e.g. [C] for input [L, C])
      const alpha = tensorDict(c, 'params').find(([n]) => n === 'alpha');
      if (!alpha) throw new GoldenFormatError(`case "${c.name}": prelu needs params.alpha`);
      const shared = inputShape.length - alpha[1].shape.length;
      return layers.prelu(withShape({ ...config, sharedAxes: Array.from({ length: shared }, (_, i) => i + 1) }));
    }
    case 'batchNorm': {
      const { training: _training, ...rest } = config;
      return layers.batchNormalization(withShape(rest));
    }
    default:
      throw new GoldenFormatError(`case "${c.name}": unknown op "${c.op}"`);
  }
}

/** Sets the model's weights from a params dict, matching names (camelCase or snake_case). */
function setParams(model: Sequential, c: GCase, field: string, byOrder: boolean): void {
  const given = tensorDict(c, field);
  const ws = model.weights;
  if (given.length !== ws.length) {
    throw new GoldenFormatError(`case "${c.name}": ${field} has ${given.length} tensors (${given.map(([n]) => n)}), the model has ${ws.length} weights (${ws.map((w) => w.name)})`);
  }
  const values = ws.map((w, i) => {
    const entry = byOrder ? given[i] : given.find(([n]) => snakeCase(n) === w.spec.name);
    if (!entry) throw new GoldenFormatError(`case "${c.name}": no ${field} entry for weight ${w.name}`);
    if (entry[1].shape.join() !== w.shape.join()) throw new GoldenFormatError(`case "${c.name}": ${field}.${entry[0]} has shape [${entry[1].shape}], weight ${w.name} has [${w.shape}]`);
    return f32(entry[1].data);
  });
  model.setWeights(values);
}

function compareGrads(model: Sequential, c: GCase, byOrder: boolean): string[] {
  const errors: string[] = [];
  const grads = model.weightGradients();
  const expected = tensorDict(c, 'gradParams');
  if (expected.length !== grads.length) return [`gradParams has ${expected.length} tensors, the model has ${grads.length} trainable weights`];
  grads.forEach((g, i) => {
    const entry = byOrder ? expected[i] : expected.find(([n]) => snakeCase(n) === g.name.split('/').pop());
    if (!entry) errors.push(`no gradParams entry for ${g.name}`);
    else {
      const e = mismatch(g.data, entry[1], `gradParams.${entry[0]}`);
      if (e) errors.push(e);
    }
  });
  return errors;
}

const runLayer: Runner = (c) => {
  const input = tensor(c, 'input');
  const batch = input.shape[0];
  const layer = layerFor(c, input.shape.slice(1));
  const model = sequential({ layers: [layer], seed: 1 });
  try {
    model.build();
    setParams(model, c, 'params', false);
    const training = c.config.training !== false;
    const errors: string[] = [];
    const out = model.forwardBatch(f32(input.data), batch, training, true);
    const e = mismatch(out, tensor(c, 'output'), 'output');
    if (e) errors.push(e);
    if (hasField(c, 'movingMeanAfter')) {
      const ws = model.getWeights();
      const mm = ws.find((w) => w.name.endsWith('/moving_mean'))!.data;
      const mv = ws.find((w) => w.name.endsWith('/moving_variance'))!.data;
      for (const [what, actual] of [['movingMeanAfter', mm], ['movingVarianceAfter', mv]] as const) {
        const m = mismatch(actual, tensor(c, what), what);
        if (m) errors.push(m);
      }
    }
    if (hasField(c, 'gradOutput')) {
      if (!training) throw new GoldenFormatError(`case "${c.name}": gradients of an inference-mode case are not defined`);
      model.backwardFromOutputGrad(f32(tensor(c, 'gradOutput').data), batch);
      const gi = mismatch(model.inputGradient(batch), tensor(c, 'gradInput'), 'gradInput');
      if (gi) errors.push(gi);
      errors.push(...compareGrads(model, c, false));
    }
    return errors;
  } finally {
    model.dispose();
  }
};

const runLoss: Runner = (c) => {
  const { loss: name, ...options } = c.config;
  if (typeof name !== 'string') throw new GoldenFormatError(`case "${c.name}": config.loss must be a loss name`);
  const factory = losses[name as LossName];
  if (!factory) throw new GoldenFormatError(`case "${c.name}": unknown loss "${name}"`);
  const loss = factory(options);
  const yPred = tensor(c, 'yPred');
  const yTrue = tensor(c, 'yTrue');
  const C = yPred.shape[yPred.shape.length - 1];
  const rows = yPred.data.length / C;
  const rt = runtime();
  const p = rt.upload(yPred.data);
  const t = rt.upload(yTrue.data);
  const g = rt.allocF32(yPred.data.length);
  try {
    const value = loss.compute(rt.kernels, p, t, g, rows, C);
    const errors: string[] = [];
    const v = mismatch([value], [number(c, 'value')], 'value');
    if (v) errors.push(v);
    const gr = mismatch(rt.download(g, yPred.data.length), tensor(c, 'gradYPred'), 'gradYPred');
    if (gr) errors.push(gr);
    return errors;
  } finally {
    [p, t, g].forEach((ptr) => rt.release(ptr));
  }
};

const runNetwork: Runner = (c) => {
  const spec = c.config.layers;
  if (typeof spec !== 'string') throw new GoldenFormatError(`case "${c.name}": config.layers must be a layer string`);
  const input = tensor(c, 'input');
  const yTrue = tensor(c, 'yTrue');
  const batch = input.shape[0];
  const net = parseNetwork(spec, input.shape.slice(1));
  const model = sequential({ layers: net.layers, seed: 1 });
  const x = f32(input.data);
  const y = f32(yTrue.data);
  const errors: string[] = [];
  const push = (e: string | null) => e && errors.push(e);
  try {
    model.compile({ optimizer: 'sgd', loss: net.loss as LossName });
    setParams(model, c, 'params', true);
    push(mismatch(model.forwardBatch(x, batch, false), tensor(c, 'output'), 'output'));
    push(mismatch([model.computeLossAndGrads(x, y, batch)], [number(c, 'loss')], 'loss'));
    errors.push(...compareGrads(model, c, true));
    const steps: [string, () => Optimizer][] = [];
    const sgd = c.afterSgd3 as { config?: Record<string, number> } | undefined;
    const adam = c.afterAdam3 as { config?: Record<string, number> } | undefined;
    if (sgd) steps.push(['afterSgd3', () => optimizers.sgd(sgd.config)]);
    if (adam) steps.push(['afterAdam3', () => optimizers.adam(adam.config)]);
    for (const [field, make] of steps) {
      setParams(model, c, 'params', true);
      model.compile({ optimizer: make(), loss: net.loss as LossName });
      for (let i = 0; i < 3; i++) model.trainOnBatch(x, y, batch);
      const after = tensorDict({ ...c, after: (c[field] as { params: unknown }).params } as GCase, 'after');
      model.getWeights().forEach((w, i) => push(mismatch(w.data, after[i][1], `${field}.${after[i][0]}`)));
    }
    return errors;
  } finally {
    model.dispose();
  }
};

const OPTIMIZER_NAMES = ['sgd', 'adam', 'adamw', 'rmsprop', 'adagrad', 'adamax', 'nadam'] as const;

/** An optimizer case: `params` [...shape], `grads` [steps, ...shape], `paramsAfter` [steps, ...shape]
 *  (the parameters after each step), run step by step through optimizers[config.optimizer](rest of
 *  config); a schedule comes as learningRate {className, config}. Optional `learningRates` [steps]:
 *  the rate each step must use (optimizer.learningRate before the step). */
const runOptimizer: Runner = (c) => {
  const { optimizer: name, ...options } = c.config;
  if (!OPTIMIZER_NAMES.includes(name as never)) throw new GoldenFormatError(`case "${c.name}": config.optimizer must be one of ${OPTIMIZER_NAMES.join(', ')}, got ${String(name)}`);
  const params = tensor(c, 'params');
  const grads = tensor(c, 'grads');
  const after = tensor(c, 'paramsAfter');
  const N = params.data.length;
  const steps = grads.shape[0];
  if (grads.data.length !== steps * N || after.data.length !== steps * N) {
    throw new GoldenFormatError(`case "${c.name}": grads [${grads.shape}] and paramsAfter [${after.shape}] must be [steps, ${params.shape}]`);
  }
  const rates = hasField(c, 'learningRates') ? (c.learningRates as number[]) : null;
  if (rates && (!Array.isArray(rates) || rates.length !== steps)) throw new GoldenFormatError(`case "${c.name}": learningRates must hold ${steps} numbers`);
  const opt = optimizers[name as (typeof OPTIMIZER_NAMES)[number]](options as never);
  const rt = runtime();
  const p = rt.upload(params.data);
  const g = rt.allocF32(N);
  try {
    const errors: string[] = [];
    for (let s = 0; s < steps; s++) {
      rt.f32(g, N).set(grads.data.slice(s * N, (s + 1) * N));
      if (rates) {
        const e = mismatch([opt.learningRate], [rates[s]], `learningRates[${s}]`);
        if (e) errors.push(e);
      }
      opt.step(rt, p, g, N);
      const e = mismatch(rt.download(p, N), after.data.slice(s * N, (s + 1) * N), `paramsAfter[${s}]`);
      if (e) errors.push(e);
    }
    return errors;
  } finally {
    opt.dispose();
    [p, g].forEach((ptr) => rt.release(ptr));
  }
};

export const RUNNERS: Record<string, Runner> = {
  conv1d: runLayer,
  depthwiseConv1d: runLayer,
  separableConv1d: runLayer,
  conv1dTranspose: runLayer,
  dense: runLayer,
  flatten: runLayer,
  activation: runLayer,
  prelu: runLayer,
  pool1d: runLayer,
  globalPool1d: runLayer,
  batchNorm: runLayer,
  loss: runLoss,
  network: runNetwork,
  optimizer: runOptimizer,
};
