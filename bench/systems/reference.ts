// The pure-JS baseline: each workload's forward, backward and Adam step composed from cnn1d's
// plain-TypeScript reference functions (src/reference), on Float32Array storage.
//   x, dx [B, L, C] or [B, N]; the layer of index i reads shapes(w)[i] and writes shapes(w)[i + 1]
import { activationBackward, activationForward, softmaxForward } from '../../src/reference/activations.ts';
import { batchnormBackward, batchnormForwardInfer, batchnormForwardTrain } from '../../src/reference/batchnorm.ts';
import { biasBackward } from '../../src/reference/bias.ts';
import { conv1dBackwardInput, conv1dBackwardKernel, conv1dForward, conv1dPad, conv1dUnpadAdd } from '../../src/reference/conv1d.ts';
import { denseBackwardInput, denseBackwardKernel, denseForward } from '../../src/reference/dense.ts';
import { transposeF32 } from '../../src/reference/gemm.ts';
import { lossForwardBackward, softmaxCrossentropyBackward } from '../../src/reference/losses.ts';
import { adamUpdate } from '../../src/reference/optimizers.ts';
import { avgpool1dBackward, avgpool1dForward, globalAvgpool1dBackward, globalAvgpool1dForward, maxpool1dBackward, maxpool1dForward } from '../../src/reference/pool1d.ts';
import { ActivationKind, LossKind } from '../../src/runtime/codes.ts';
import { ADAM, BN_EPSILON, BN_MOMENTUM, INFER_BATCH, shapes, weightShapes, type Act, type Batches, type Workload } from '../workloads.ts';
import { timeCalls, timedSteps, type Metric, type Steps, type System } from './types.ts';

/** What a layer's forward saved for its backward. */
interface Saved {
  x: Float32Array; // input
  xp?: Float32Array; // padded input (conv)
  z?: Float32Array; // pre-activation (conv, dense)
  y: Float32Array; // output
  idx?: Int32Array; // argmax (maxpool)
  mean?: Float32Array; // batch statistics (bn)
  rstd?: Float32Array;
}

const zeros = (n: number) => new Float32Array(n);

function activate(a: Act, z: Float32Array, rows: number, cols: number): Float32Array {
  if (a === 'linear') return z;
  const y = zeros(z.length);
  if (a === 'softmax') softmaxForward(z, y, rows, cols);
  else activationForward(ActivationKind[a], z, y, z.length, 0);
  return y;
}

/** dz = f'(z) * dy (softmax only as the output of the fused softmax + cross-entropy). */
function deactivate(a: Act, s: Saved, dy: Float32Array): Float32Array {
  if (a === 'linear' || a === 'softmax') return dy;
  const dz = zeros(dy.length);
  activationBackward(ActivationKind[a], s.z!, s.y, dy, dz, dy.length, 0);
  return dz;
}

export class RefNet {
  readonly params: Float32Array[];
  private readonly trainable: boolean[];
  private readonly grads: Float32Array[];
  private readonly m: Float32Array[];
  private readonly v: Float32Array[];
  private readonly first: number[] = []; // index of each layer's first weight
  private readonly sh: number[][];
  private saved: Saved[] = [];
  private t = 0;

  constructor(readonly w: Workload, weights: Float32Array[]) {
    this.params = weights.map((p) => p.slice());
    const ws = weightShapes(w);
    this.trainable = ws.map((s) => s.trainable);
    this.grads = this.params.map((p) => zeros(p.length));
    this.m = this.params.map((p) => zeros(p.length));
    this.v = this.params.map((p) => zeros(p.length));
    this.sh = shapes(w);
    let k = 0;
    for (const l of w.layers) {
      this.first.push(k);
      k += l.kind === 'conv' || l.kind === 'dense' ? 2 : l.kind === 'bn' ? 4 : 0;
    }
  }

  forward(x: Float32Array, B: number, training: boolean): Float32Array {
    this.saved = [];
    this.w.layers.forEach((l, i) => {
      const [L, C] = this.sh[i];
      const [T, F] = this.sh[i + 1];
      const p = this.params.slice(this.first[i]);
      const s: Saved = { x, y: x };
      if (l.kind === 'conv') {
        const total = l.padding === 'same' ? Math.max((T - 1) * l.stride + l.kernel - L, 0) : 0;
        const Lp = L + total;
        s.xp = x;
        if (total > 0) conv1dPad(x, (s.xp = zeros(B * Lp * C)), B, L, C, Lp, total >> 1);
        s.z = zeros(B * T * F);
        conv1dForward(s.xp, p[0], p[1], s.z, B, Lp, C, T, F, l.kernel, l.stride, 1);
        s.y = activate(l.activation, s.z, B * T, F);
      } else if (l.kind === 'dense') {
        s.z = zeros(B * l.units);
        denseForward(x, p[0], p[1], s.z, B, L, l.units);
        s.y = activate(l.activation, s.z, B, l.units);
      } else if (l.kind === 'bn') {
        s.y = zeros(x.length);
        if (training) {
          [s.mean, s.rstd] = [zeros(C), zeros(C)];
          batchnormForwardTrain(x, p[0], p[1], s.y, s.mean, s.rstd, p[2], p[3], B * L, C, BN_MOMENTUM, BN_EPSILON);
        } else batchnormForwardInfer(x, p[0], p[1], p[2], p[3], s.y, B * L, C, BN_EPSILON);
      } else if (l.kind === 'act') {
        s.z = x;
        s.y = activate(l.activation, x, x.length / C, C);
      } else if (l.kind === 'maxpool') {
        [s.y, s.idx] = [zeros(B * T * C), new Int32Array(B * T * C)];
        maxpool1dForward(x, s.y, s.idx, B, L, C, T, l.pool, l.pool, 0);
      } else if (l.kind === 'avgpool') {
        s.y = zeros(B * T * C);
        avgpool1dForward(x, s.y, B, L, C, T, l.pool, l.pool, 0);
      } else if (l.kind === 'gap') {
        s.y = zeros(B * C);
        globalAvgpool1dForward(x, s.y, B, L, C);
      }
      this.saved.push(s);
      x = s.y;
    });
    return x;
  }

  /** Gradients of every weight from dOut (for a softmax output: the gradient of its input). */
  backward(dOut: Float32Array, B: number): void {
    for (const g of this.grads) g.fill(0);
    let dy = dOut;
    for (let i = this.w.layers.length - 1; i >= 0; i--) {
      const l = this.w.layers[i];
      const s = this.saved[i];
      const [L, C] = this.sh[i];
      const [T, F] = this.sh[i + 1];
      const p = this.params.slice(this.first[i]);
      const g = this.grads.slice(this.first[i]);
      const dx = zeros(s.x.length);
      if (l.kind === 'conv') {
        const dz = deactivate(l.activation, s, dy);
        const Lp = s.xp!.length / (B * C);
        biasBackward(dz, g[1], B * T, F);
        conv1dBackwardKernel(s.xp!, dz, g[0], B, Lp, C, T, F, l.kernel, l.stride, 1);
        if (i > 0) {
          const wt = zeros(p[0].length);
          transposeF32(l.kernel * C, F, p[0], wt);
          const dxp = Lp === L ? dx : zeros(B * Lp * C);
          conv1dBackwardInput(dz, wt, dxp, B, Lp, C, T, F, l.kernel, l.stride, 1);
          if (dxp !== dx) conv1dUnpadAdd(dxp, dx, B, L, C, Lp, (Lp - L) >> 1);
        }
      } else if (l.kind === 'dense') {
        const dz = deactivate(l.activation, s, dy);
        biasBackward(dz, g[1], B, l.units);
        denseBackwardKernel(s.x, dz, g[0], B, L, l.units);
        const wt = zeros(p[0].length);
        transposeF32(L, l.units, p[0], wt);
        denseBackwardInput(dz, wt, dx, B, L, l.units);
      } else if (l.kind === 'bn') batchnormBackward(s.x, p[0], s.mean!, s.rstd!, dy, dx, g[0], g[1], null, B * L, C);
      else if (l.kind === 'act') dx.set(deactivate(l.activation, s, dy));
      else if (l.kind === 'maxpool') maxpool1dBackward(dy, s.idx!, dx, B, L, C, T);
      else if (l.kind === 'avgpool') avgpool1dBackward(dy, dx, B, L, C, T, l.pool, l.pool, 0);
      else if (l.kind === 'gap') globalAvgpool1dBackward(dy, dx, B, L, C);
      else dx.set(dy); // flatten
      dy = dx;
    }
  }

  /** Forward, loss, backward and one Adam step; returns the loss before the step. */
  trainStep(x: Float32Array, y: Float32Array, B: number): number {
    const out = this.forward(x, B, true);
    const C = out.length / B;
    const grad = zeros(out.length);
    let loss: number;
    if (this.w.loss === 'sce') {
      loss = lossForwardBackward(LossKind.sparseCategoricalCrossentropy, out, y, grad, B, C, 0);
      softmaxCrossentropyBackward(out, y, grad, B, C, 1); // the gradient of the softmax's input
    } else loss = lossForwardBackward(LossKind.meanSquaredError, out, y, grad, B, C, 0);
    this.backward(grad, B);
    this.t++;
    const { learningRate, beta1, beta2, epsilon } = ADAM;
    const step = learningRate / (1 - beta1 ** this.t); // lr / bias correction 1
    const cb2 = 1 / Math.sqrt(1 - beta2 ** this.t); // 1 / sqrt(bias correction 2)
    this.params.forEach((p, k) => {
      if (this.trainable[k]) adamUpdate(p, this.grads[k], this.m[k], this.v[k], p.length, step, beta1, beta2, epsilon, cb2, 1);
    });
    return loss;
  }
}

export class ReferenceSystem implements System {
  readonly name = 'reference';
  readonly threads = 1;
  readonly metrics: Metric[] = ['train', 'infer', 'latency'];
  private net: RefNet | null = null;
  private w!: Workload;
  private weights: Float32Array[] = [];
  private data!: Batches;

  async load(w: Workload, weights: Float32Array[], data: Batches): Promise<void> {
    [this.w, this.weights, this.data] = [w, weights, data];
    this.net = new RefNet(w, weights);
  }

  async inferOutputs(): Promise<Float32Array> {
    return this.net!.forward(this.data.xInfer, INFER_BATCH, false).slice();
  }

  async trainLosses(steps: number): Promise<Steps> {
    const net = (this.net = new RefNet(this.w, this.weights));
    return timedSteps(steps, () => net.trainStep(this.data.xTrain, this.data.yTrain, this.w.batch));
  }

  async time(what: Metric, n: number): Promise<number> {
    const net = this.net!;
    const d = this.data;
    if (what === 'train') return timeCalls(what, n, () => net.trainStep(d.xTrain, d.yTrain, this.w.batch));
    if (what === 'infer') return timeCalls(what, n, () => net.forward(d.xInfer, INFER_BATCH, false));
    return timeCalls(what, n, () => net.forward(d.xOne, 1, false));
  }

  async unload(): Promise<void> {
    this.net = null;
  }

  async close(): Promise<void> {
    this.net = null;
  }
}
