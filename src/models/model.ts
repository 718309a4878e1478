// LayersModel: a graph of layers between symbolic inputs and outputs (model({inputs, outputs}));
// Sequential builds the same graph from a list. The memory is ModelCore's (core.ts), the engine
// entry points ModelEngine's (engine.ts); this file adds what users call: compile, fit, evaluate, predict, summary.

import { ConfigError, checkKeys, showValue } from '../layers/args.ts';
import { InputLayer, TEMPLATE_LENGTH } from '../layers/input.ts';
import type { Layer } from '../layers/layer.ts';
import { Graph } from '../engine/graph.ts';
import type { SymbolicTensor } from '../engine/symbolic.ts';
import type { Tensor } from '../tensor.ts';
import type { Logs } from './callbacks.ts';
import { outputNames, resolveCompile, type CompileArgs } from './compile.ts';
import type { BaseModelArgs } from './core.ts';
import { ModelEngine } from './engine.ts';
import type { ModelInputs, ModelTargets } from './data.ts';
import { evaluate, fit, predict, type EvaluateArgs, type EvaluateOptions, type FitArgs, type History } from './fit.ts';
import { evaluateDataset, fitDataset, type BatchDataset, type EvaluateDatasetArgs, type FitDatasetArgs } from './fit-dataset.ts';
import { snakeCase, uniqueName } from './names.ts';
import { summaryText } from './summary.ts';
import { saveModel, type SaveOptions } from '../io/files.ts';
import { isOnnxPath, saveOnnx, type OnnxExportOptions } from '../io/onnx/index.ts';
import { StreamSession, type StreamOptions } from './stream.ts';

export type { BaseModelArgs, NamedWeight } from './core.ts';
export type { CompileArgs } from './compile.ts';

export interface ModelArgs extends BaseModelArgs {
  /** Symbolic inputs, from input({shape}). */
  inputs: SymbolicTensor | SymbolicTensor[];
  /** Symbolic outputs, from layer.apply(...). */
  outputs: SymbolicTensor | SymbolicTensor[];
}

export class LayersModel extends ModelEngine {
  /** Metric names of every output as compiled (the list form; the names of all outputs for a dict). */
  metrics: string[] = [];
  /** Per output: its metric names. */
  outputMetrics: string[][] = [];
  /** Set by a callback to end fit() after the current epoch. */
  stopTraining = false;

  /** Names of the inputs: their input layers' names. */
  get inputNames(): string[] {
    return this.graph.inputs.map((t) => t.node.layer.name);
  }

  /** Names of the outputs (keys of loss, lossWeights, metrics and of the logs): the names of the
   *  layers that produce them. */
  get outputNames(): string[] {
    return outputNames(this.graph.outputs);
  }

  /** compile({optimizer, loss, lossWeights?, metrics?}); loss, lossWeights and metrics take one
   *  value, a list (one per output) or {outputName: value}, as in TF.js. */
  compile(args: CompileArgs): void {
    this.checkAlive('compile');
    const c = resolveCompile(args, () => {
      this.ensureBuilt('compile');
      return this.outputNames;
    });
    if (c.optimizer === this.optimizer) this.mem.releaseOptimizer(); // recompiling restarts its state
    this.optimizer = c.optimizer;
    this.losses = c.losses;
    this.lossWeights = c.lossWeights;
    this.outputMetrics = c.metrics;
    this.metrics = [...new Set(c.metrics.flat())];
  }

  /** Trains the model (Keras/TF.js fit); resolves to the per-epoch history. x: one array per
   *  input (a list, or {inputName: data}); y likewise per output. */
  async fit(x: ModelInputs, y: ModelTargets, args?: FitArgs): Promise<History> {
    this.checkAlive('fit');
    return fit(this, x, y, args);
  }

  /** Loss and metrics on (x, y) as plain numbers, e.g. {loss: 0.31, accuracy: 0.9}; with several
   *  outputs also {<output>_loss, <output>_<metric>}. */
  evaluate(x: ModelInputs, y: ModelTargets, args?: EvaluateOptions): Logs {
    this.checkAlive('evaluate');
    return evaluate(this, x, y, args);
  }

  /** Trains on a dataset of {xs, ys} batches (TF.js fitDataset), e.g. data.fromUCRFile(path):
   *  data larger than memory, read as it trains. */
  async fitDataset(dataset: BatchDataset, args?: FitDatasetArgs): Promise<History> {
    this.checkAlive('fitDataset');
    return fitDataset(this, dataset, args);
  }

  /** Loss and metrics over a dataset of {xs, ys} batches (TF.js evaluateDataset). */
  async evaluateDataset(dataset: BatchDataset, args?: EvaluateDatasetArgs): Promise<Logs> {
    this.checkAlive('evaluateDataset');
    return evaluateDataset(this, dataset, args);
  }

  /** Outputs [n, ...outputShape] for n samples, computed in batches: one Tensor, or a list with
   *  one per output for a model with several (as TF.js; write predict<Tensor[]>(x) then). */
  predict<T extends Tensor | Tensor[] = Tensor>(x: ModelInputs, args?: EvaluateArgs): T {
    this.checkAlive('predict');
    const out = predict(this, x, args);
    return (out.length === 1 ? out[0] : out) as T;
  }

  /** A table of layers, output shapes and weight counts; printed with printFn (default console.log). */
  summary(printFn: (line: string) => void = console.log): string {
    this.ensureBuilt('summary');
    const text = summaryText(this.name, this.layers, this.countParams(), this.weights, this.connections(), this.variableShapes());
    printFn(text);
    return text;
  }

  /** A streaming inference session: push(chunk) takes the next samples of the input as they
   *  arrive and returns the output steps they complete, equal to predict() on the whole signal.
   *  For causal graphs (see StreamSession: supported layers, latency, cost); a layer that needs
   *  the future or the whole signal is refused with a ConfigError naming it. The session's memory
   *  is planned once (for chunks of options.maxChunk samples) and freed by its dispose() or the
   *  model's. */
  stream(options?: StreamOptions): StreamSession {
    this.ensureBuilt('stream');
    return new StreamSession(this, this.graph, this.rt, this.mem, options, this.kernels);
  }

  /** NODE ONLY. Saves model.json + weights.bin (TF.js layers-model format: "Sequential" or
   *  "Functional") into a directory; refuses to replace an existing model unless {overwrite: true}.
   *  A path ending in .onnx writes an ONNX file instead (asynchronously: see toOnnx). */
  save(path: `${string}.onnx`, options?: OnnxExportOptions & { overwrite?: boolean }): Promise<{ modelPath: string; bytes: number }>;
  save(dir: string, options?: SaveOptions): { modelPath: string; weightsPath: string; bytes: number };
  save(dir: string, options?: SaveOptions & OnnxExportOptions): { modelPath: string; weightsPath: string; bytes: number } | Promise<{ modelPath: string; bytes: number }> {
    this.checkAlive('save');
    if (isOnnxPath(dir)) return saveOnnx(this, dir, options);
    return saveModel(this, dir, options);
  }

  /** For summary() of a variable-length model: each layer's output shape, null where it follows
   *  the input length (it differs between two lengths). */
  private variableShapes(): Map<Layer, (number | null)[]> | undefined {
    if (!this.variableLength) return undefined;
    const [a, b] = [TEMPLATE_LENGTH, TEMPLATE_LENGTH / 2].map((L) => this.shapesAt(L).outs);
    const m = new Map<Layer, (number | null)[]>();
    this.graph.nodes.forEach((n, i) => {
      if (!m.has(n.layer)) m.set(n.layer, a[i].map((d, j) => (d === b[i][j] ? d : null)));
    });
    return m;
  }

  /** For summary(): what each layer reads, or null to leave the column out (Sequential). */
  protected connections(): Map<Layer, string> | null {
    const m = new Map<Layer, string>();
    for (const n of this.graph.nodes) {
      const from = n.inputs.map((x) => x.node.layer.name).join(', ');
      m.set(n.layer, m.has(n.layer) ? `${m.get(n.layer)}; ${from}` : from);
    }
    return m;
  }
}

/** Gives unnamed layers Keras names unique in the model ("dense", "dense_1", "input", ...) and
 *  rejects two different layers with one name. */
function nameLayers(layers: Layer[], owner: string): void {
  const taken = new Set<string>();
  for (const l of layers) {
    if (!l.name) continue;
    if (taken.has(l.name)) throw new ConfigError(`${owner}: two different layers are named "${l.name}"; layer names must be unique in a model`);
    taken.add(l.name);
  }
  const suffixes = new Map<string, number>();
  for (const l of layers) {
    if (l.name) continue;
    l.name = uniqueName(l instanceof InputLayer ? 'input' : snakeCase(l.className), taken, suffixes);
    taken.add(l.name);
  }
}

/** A functional model: model({inputs: input({shape}), outputs: layer.apply(...)}). */
export function model(args: ModelArgs): LayersModel {
  if (typeof args !== 'object' || args === null) throw new ConfigError(`model: expected {inputs, outputs, name?}, got ${showValue(args)}`);
  checkKeys('model', args, ['inputs', 'outputs', 'name', 'seed', 'runtime', 'threads']);
  const list = (v: SymbolicTensor | SymbolicTensor[]) => (Array.isArray(v) ? v : [v]);
  return new LayersModel(args, 'model', (name) => {
    const g = new Graph(list(args.inputs), list(args.outputs), `model "${name}"`);
    nameLayers(g.layers, `model "${name}"`);
    return g;
  });
}
