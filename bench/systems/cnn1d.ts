// cnn1d itself (SIMD WebAssembly) on 1 thread or more (the model's `threads` option; the workers
// are started before timing, see docs/guides/threads.md).
import { layers, optimizers, runtime, sequential, type Layer, type Sequential } from '../../src/index.ts';
import { winogradRefusal, type ConvAlgorithm } from '../../src/layers/conv-winograd.ts';
import { ADAM, BN_EPSILON, BN_MOMENTUM, INFER_BATCH, type Batches, type LayerSpec, type Workload } from '../workloads.ts';
import { timeCalls, timedSteps, type Metric, type Steps, type System } from './types.ts';

function layerOf(l: LayerSpec, inputShape?: [number, number], algorithm: ConvAlgorithm = 'direct'): Layer {
  const first = inputShape ? { inputShape } : {};
  switch (l.kind) {
    case 'conv': return layers.conv1d({ filters: l.filters, kernelSize: l.kernel, strides: l.stride, padding: l.padding, activation: l.activation, ...(algorithm === 'direct' ? {} : { algorithm }), ...first });
    case 'bn': return layers.batchNormalization({ momentum: BN_MOMENTUM, epsilon: BN_EPSILON });
    case 'act': return layers.activation({ activation: l.activation });
    case 'maxpool': return layers.maxPooling1d({ poolSize: l.pool });
    case 'avgpool': return layers.averagePooling1d({ poolSize: l.pool });
    case 'flatten': return layers.flatten();
    case 'gap': return layers.globalAveragePooling1d();
    case 'dense': return layers.dense({ units: l.units, activation: l.activation });
  }
}

/** The workload as a cnn1d model, compiled with Adam and the workload's loss; its convolutions
 *  take `algorithm` ('winograd' only where it can run, else 'auto'). */
export function buildCnn1d(w: Workload, seed = 1, threads?: number, algorithm: ConvAlgorithm = 'direct'): Sequential {
  const model = sequential({ seed, threads, name: w.id.replace(/-/g, '_'), layers: w.layers.map((l, i) => layerOf(l, i === 0 ? w.input : undefined, algorithm === 'winograd' && !winogradFits(l) ? 'auto' : algorithm)) });
  model.compile({ optimizer: optimizers.adam(ADAM), loss: w.loss === 'sce' ? 'sparseCategoricalCrossentropy' : 'meanSquaredError' });
  return model;
}

/** Initial weights of the workload from cnn1d's Glorot-uniform initialisation (seeded). */
export function initialWeights(w: Workload, seed = 1): Float32Array[] {
  const model = buildCnn1d(w, seed);
  const ws = model.getWeights().map((x) => x.data);
  model.dispose();
  return ws;
}

/** Whether Winograd can run a layer spec (a conv of stride 1 with a kernel size it has tiles for). */
function winogradFits(l: LayerSpec): boolean {
  return l.kind === 'conv' && !winogradRefusal(l.kernel, l.stride, 1, 1);
}

export class Cnn1dSystem implements System {
  readonly name: string;
  readonly metrics: Metric[] = ['train', 'infer', 'latency'];
  private model: Sequential | null = null;
  private w!: Workload;
  private weights: Float32Array[] = [];
  private data!: Batches;

  constructor(readonly threads = 1, readonly algorithm: ConvAlgorithm = 'direct') {
    this.name = algorithm === 'direct' ? 'cnn1d' : `cnn1d-${algorithm}`;
  }

  async load(w: Workload, weights: Float32Array[], data: Batches): Promise<void> {
    [this.w, this.weights, this.data] = [w, weights, data];
    if (this.threads > 1) {
      const started = await runtime().startThreads(this.threads);
      if (started < this.threads - 1) throw new Error(`cnn1d: ${this.threads} threads asked, ${started + 1} available (shared memory and workers: ${runtime().threadsAvailable})`);
    }
    this.reset();
  }

  private reset(): Sequential {
    this.model?.dispose();
    this.model = buildCnn1d(this.w, 1, this.threads, this.algorithm);
    this.model.setWeights(this.weights);
    return this.model;
  }

  async inferOutputs(): Promise<Float32Array> {
    return this.model!.forwardBatch(this.data.xInfer, INFER_BATCH, false).slice();
  }

  async trainLosses(steps: number): Promise<Steps> {
    const m = this.reset();
    return timedSteps(steps, () => m.trainOnBatch(this.data.xTrain, this.data.yTrain, this.w.batch));
  }

  async time(what: Metric, n: number): Promise<number> {
    const m = this.model!;
    const d = this.data;
    if (what === 'train') return timeCalls(what, n, () => m.trainOnBatch(d.xTrain, d.yTrain, this.w.batch));
    if (what === 'infer') return timeCalls(what, n, () => m.forwardBatch(d.xInfer, INFER_BATCH, false));
    return timeCalls(what, n, () => m.forwardBatch(d.xOne, 1, false));
  }

  async unload(): Promise<void> {
    this.model?.dispose();
    this.model = null;
  }

  async close(): Promise<void> {
    await this.unload();
  }
}
