// SeparableConv1D (Keras): a depthwise convolution (depthwise-conv1d.ts, no bias) followed by a
// pointwise (kernel-size-1) convolution that mixes the C*M channels into F filters:
//   h[b, t, c*M + m] = sum_{u<K} xp[b, t*S + u*D, c] * depthwise_kernel[u, c, m]
//   z[b, t, f] = bias[f] + sum_{j<C*M} h[b, t, j] * pointwise_kernel[0, j, f]
//   y = activation(z)
//   x [B, L, C]   xp [B, Lp, C]   depthwise_kernel [K, C, M]   h [B, T, C*M]
//   pointwise_kernel [1, C*M, F]   bias [F]   y [B, T, F]
// Gradients (dz = activation'(z) * dy), the chain rule through h:
//   dbias[f] = sum_{b,t} dz[b, t, f]
//   dpointwise_kernel[0, j, f] = sum_{b,t} h[b, t, j] * dz[b, t, f]
//   dh[b, t, j] = sum_f dz[b, t, f] * pointwise_kernel[0, j, f]
//   ddepthwise_kernel[u, c, m] = sum_{b,t} xp[b, t*S + u*D, c] * dh[b, t, c*M + m]
//   dxp[b, t*S + u*D, c] += sum_m dh[b, t, c*M + m] * depthwise_kernel[u, c, m]
// The pointwise step is the dense kernels over B*T rows. K*C*M + C*M*F (+ F) parameters instead
// of Conv1D's K*C*F (+ F).

import { positiveInt } from './args.ts';
import { FusedActivation } from './activation-fn.ts';
import { GroupedConv } from './conv-grouped.ts';
import { DEPTHWISE_WINDOW_KEYS, DepthwiseWindow, type DepthwiseWindowArgs } from './depthwise-conv1d.ts';
import { checkInitializer, type InitializerName } from './initializers.ts';
import { baseArgs, initializerJson, initializerName } from './keras-config.ts';
import { registerClass, type KerasConfig } from './registry.ts';
import { Layer, type BufferPlanner, type LayerArgs, type NodeIO, type StepContext, type StreamSpec, type WeightSpec } from './layer.ts';

export interface SeparableConv1DArgs extends LayerArgs, DepthwiseWindowArgs {
  /** Number of output channels F (of the pointwise step). */
  filters: number;
  /** Initializer of the pointwise kernel (default 'glorotUniform'). */
  pointwiseInitializer?: InitializerName;
}

const KEYS = ['filters', 'pointwiseInitializer', ...DEPTHWISE_WINDOW_KEYS];

/**
 * Depthwise-separable 1D convolution (Keras SeparableConv1D): a depthwise convolution
 * `h[t, c*M + m] = sum_u xp[t*S + u*D, c] * depthwise_kernel[u, c, m]`, then a pointwise one
 * `z[t, f] = bias[f] + sum_j h[t, j] * pointwise_kernel[0, j, f]`, `y = activation(z)`.
 * Gradients by the chain rule through h: `dh = dz @ pointwise_kernel^T`, then the depthwise
 * gradients of dh (see the file header).
 */
export class SeparableConv1D extends Layer {
  readonly className = 'SeparableConv1D';
  readonly filters: number;
  readonly window: DepthwiseWindow;
  readonly pointwiseInitializer: InitializerName;
  private act: FusedActivation;
  private conv: GroupedConv;

  constructor(args: SeparableConv1DArgs) {
    super(args, KEYS);
    const o = 'SeparableConv1D';
    this.filters = positiveInt(o, 'filters', args.filters);
    this.window = new DepthwiseWindow(o, args);
    this.pointwiseInitializer = checkInitializer(o, 'pointwiseInitializer', args.pointwiseInitializer, 'glorotUniform');
    this.act = new FusedActivation(this.window.activation);
    const w = this.window;
    this.conv = new GroupedConv(w.kernelSize, w.strides, w.dilationRate, 'depthwise');
  }

  computeOutputShape(inputShape: number[]): number[] {
    return [this.window.outLength(inputShape, (m) => this.fail(m)), this.filters];
  }

  protected override weightSpecs(): WeightSpec[] {
    const w = this.window;
    const C = this.inputShape[1];
    const specs: WeightSpec[] = [
      { name: 'depthwise_kernel', shape: [w.kernelSize, C, w.depthMultiplier], initializer: w.depthwiseInitializer, trainable: true },
      { name: 'pointwise_kernel', shape: [1, C * w.depthMultiplier, this.filters], initializer: this.pointwiseInitializer, trainable: true },
    ];
    if (w.useBias) specs.push({ name: 'bias', shape: [this.filters], initializer: w.biasInitializer, trainable: true });
    return specs;
  }

  override plan(p: BufferPlanner, io: NodeIO): void {
    this.act.plan(p, io);
    const [L, C] = io.inShapes[0];
    const CM = C * this.window.depthMultiplier;
    const { padLeft, Lp } = this.window.geometry(L);
    const padded = padLeft > 0 || Lp !== L;
    const dx = io.dxs[0];
    io.s.xp = padded ? p.act(p.capacity * Lp * C) : io.xs[0];
    io.s.h = p.act(p.capacity * io.outShape[0] * CM);
    if (!p.training) return;
    io.s.dh = p.grad(p.capacity * io.outShape[0] * CM);
    io.s.pwt = p.scratch(CM * this.filters);
    if (dx) io.s.dxp = padded ? p.grad(p.capacity * Lp * C) : dx;
  }

  override streamSpec(): StreamSpec {
    return this.window.streamSpec((m) => this.fail(m));
  }

  /** The window holds the real past (or the spec's zeros): a "valid" convolution of it. */
  override streamForward(ctx: StepContext, io: NodeIO): void {
    const [W, C] = io.inShapes[0];
    this.run(ctx.k, io.xs[0].ptr, io, 1, W, C, io.outShape[0]);
  }

  forward({ k, batch }: StepContext, io: NodeIO): void {
    const [L, C] = io.inShapes[0];
    const { T, padLeft, Lp } = this.window.geometry(L);
    if (io.s.xp !== io.xs[0]) k.conv1d_pad(io.xs[0].ptr, io.s.xp.ptr, batch, L, C, Lp, padLeft);
    this.run(k, io.s.xp.ptr, io, batch, Lp, C, T);
  }

  /** h = depthwise(xp), z = h @ pointwise + bias, y = activation(z). */
  private run(k: StepContext['k'], xp: number, io: NodeIO, B: number, Lp: number, C: number, T: number): void {
    const CM = C * this.window.depthMultiplier;
    this.conv.forward(k, xp, this.ptrOf('depthwise_kernel'), 0, io.s.h.ptr, B, Lp, C, T, CM);
    k.dense_forward(io.s.h.ptr, this.ptrOf('pointwise_kernel'), this.ptrOf('bias'), io.s.z.ptr, B * T, CM, this.filters);
    this.act.forward(k, io, B * T, this.filters);
  }

  backward({ k, batch }: StepContext, io: NodeIO, logitsGradGiven: boolean): void {
    const [L, C] = io.inShapes[0];
    const { T, padLeft, Lp } = this.window.geometry(L);
    const F = this.filters;
    const CM = C * this.window.depthMultiplier;
    const R = batch * T;
    this.act.backward(k, io, R, F, logitsGradGiven);
    const dz = io.s.dz.ptr;
    const db = this.gradOf('bias');
    if (db) k.bias_backward(dz, db, R, F);
    const dpw = this.gradOf('pointwise_kernel');
    if (dpw) k.dense_backward_kernel(io.s.h.ptr, dz, dpw, R, CM, F);
    const ddw = this.gradOf('depthwise_kernel');
    const dx = io.dxs[0];
    if (!ddw && !dx) return;
    k.transpose_f32(CM, F, this.ptrOf('pointwise_kernel'), io.s.pwt.ptr);
    k.dense_backward_input(dz, io.s.pwt.ptr, io.s.dh.ptr, R, CM, F);
    if (ddw) this.conv.backwardKernel(k, io.s.xp.ptr, io.s.dh.ptr, ddw, batch, Lp, C, T, CM);
    if (dx) {
      this.conv.backwardInput(k, io.s.dh.ptr, this.ptrOf('depthwise_kernel'), 0, io.s.dxp.ptr, batch, Lp, C, T, CM);
      if (io.s.dxp !== dx) k.conv1d_unpad_add(io.s.dxp.ptr, dx.ptr, batch, L, C, Lp, padLeft);
    }
  }

  override softmaxLogitsGrad(io: NodeIO) {
    return this.act.softmaxLogitsGrad(io);
  }

  override getConfig(): KerasConfig {
    return {
      ...super.getConfig(),
      filters: this.filters,
      ...this.window.json(),
      pointwise_initializer: initializerJson(this.pointwiseInitializer),
      pointwise_regularizer: null,
      pointwise_constraint: null,
    };
  }

  static fromConfig(config: KerasConfig): SeparableConv1D {
    return new SeparableConv1D({
      ...baseArgs(config),
      filters: config.filters as number,
      ...DepthwiseWindow.args(config),
      pointwiseInitializer: initializerName(config.pointwise_initializer, 'glorotUniform'),
    });
  }
}
registerClass('SeparableConv1D', SeparableConv1D);
