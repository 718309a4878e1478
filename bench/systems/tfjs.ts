// TensorFlow.js 4.22 on its plain-JS cpu backend (training and inference) and its SIMD wasm backend
// (inference only: tfjs-backend-wasm has no conv backprop kernels). Both single-threaded: the wasm
// backend is kept on its non-threaded build, its .wasm files read from node_modules.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { ADAM, BN_EPSILON, BN_MOMENTUM, INFER_BATCH, outputSize, type Batches, type LayerSpec, type Workload } from '../workloads.ts';
import { timeCalls, timedSteps, type Metric, type Steps, type System } from './types.ts';

tf.env().set('PROD', true); // no "install tfjs-node" banner and no debug checks, as a deployed app runs

let wasmReady: Promise<void> | null = null;

/** Registers the wasm backend's files from node_modules (no network) on one thread. */
function prepareWasm(): Promise<void> {
  wasmReady ??= (async () => {
    const dist = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    setWasmPaths(`${dist}/`);
    setThreadsCount(1);
  })();
  return wasmReady;
}

function layerOf(l: LayerSpec, inputShape?: [number, number]): tf.layers.Layer {
  const first = inputShape ? { inputShape } : {};
  switch (l.kind) {
    case 'conv': return tf.layers.conv1d({ filters: l.filters, kernelSize: l.kernel, strides: l.stride, padding: l.padding, activation: l.activation, ...first });
    case 'bn': return tf.layers.batchNormalization({ momentum: BN_MOMENTUM, epsilon: BN_EPSILON });
    case 'act': return tf.layers.activation({ activation: l.activation });
    case 'maxpool': return tf.layers.maxPooling1d({ poolSize: l.pool });
    case 'avgpool': return tf.layers.averagePooling1d({ poolSize: l.pool });
    case 'flatten': return tf.layers.flatten();
    case 'gap': return tf.layers.globalAveragePooling1d();
    case 'dense': return tf.layers.dense({ units: l.units, activation: l.activation });
  }
}

export class TfjsSystem implements System {
  readonly name: string;
  readonly threads = 1;
  readonly metrics: Metric[];
  private model: tf.LayersModel | null = null;
  private w!: Workload;
  private weights: Float32Array[] = [];
  private t: { xTrain: tf.Tensor; yTrain: tf.Tensor; xInfer: tf.Tensor; xOne: tf.Tensor } | null = null;

  constructor(readonly backend: 'cpu' | 'wasm') {
    this.name = `tfjs-${backend}`;
    this.metrics = backend === 'cpu' ? ['train', 'infer', 'latency'] : ['infer', 'latency'];
  }

  private async use(): Promise<void> {
    if (this.backend === 'wasm') await prepareWasm();
    if (tf.getBackend() !== this.backend && !(await tf.setBackend(this.backend))) throw new Error(`${this.name}: the ${this.backend} backend failed to initialise`);
  }

  async load(w: Workload, weights: Float32Array[], data: Batches): Promise<void> {
    await this.use();
    [this.w, this.weights] = [w, weights];
    const [L, C] = w.input;
    this.t = {
      xTrain: tf.tensor3d(data.xTrain, [w.batch, L, C]),
      yTrain: w.loss === 'sce' ? tf.tensor2d(data.yTrain, [w.batch, 1]) : tf.tensor2d(data.yTrain, [w.batch, outputSize(w)]),
      xInfer: tf.tensor3d(data.xInfer, [INFER_BATCH, L, C]),
      xOne: tf.tensor3d(data.xOne, [1, L, C]),
    };
    this.reset();
  }

  private reset(): tf.LayersModel {
    this.model?.dispose();
    const w = this.w;
    const m = tf.sequential({ layers: w.layers.map((l, i) => layerOf(l, i === 0 ? w.input : undefined)) });
    let k = 0; // per layer: its weights in the order of cnn1d's (kernel, bias; gamma, beta, moving mean, variance)
    for (const layer of m.layers) {
      const values = layer.weights.map((v) => tf.tensor(this.weights[k++], v.shape as number[]));
      layer.setWeights(values);
      tf.dispose(values);
    }
    const { learningRate, beta1, beta2, epsilon } = ADAM;
    m.compile({ optimizer: tf.train.adam(learningRate, beta1, beta2, epsilon), loss: w.loss === 'sce' ? 'sparseCategoricalCrossentropy' : 'meanSquaredError' });
    this.model = m;
    return m;
  }

  private predict(x: tf.Tensor): Float32Array {
    const y = this.model!.predict(x) as tf.Tensor;
    const out = y.dataSync() as Float32Array;
    y.dispose();
    return out;
  }

  async inferOutputs(): Promise<Float32Array> {
    await this.use();
    return this.predict(this.t!.xInfer);
  }

  async trainLosses(steps: number): Promise<Steps> {
    await this.use();
    const m = this.reset();
    return timedSteps(steps, async () => (await m.trainOnBatch(this.t!.xTrain, this.t!.yTrain)) as number);
  }

  async time(what: Metric, n: number): Promise<number> {
    await this.use();
    const t = this.t!;
    if (what === 'train') return timeCalls(what, n, () => this.model!.trainOnBatch(t.xTrain, t.yTrain), true);
    return timeCalls(what, n, () => this.predict(what === 'infer' ? t.xInfer : t.xOne));
  }

  async unload(): Promise<void> {
    this.model?.dispose();
    this.model = null;
    if (this.t) for (const x of Object.values(this.t)) x.dispose();
    this.t = null;
  }

  async close(): Promise<void> {
    await this.unload();
  }
}
