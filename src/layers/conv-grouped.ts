// Grouped convolution, the kernels behind Conv1D({groups}) and DepthwiseConv1D
// (assembly/kernels/conv_grouped.ts). With G groups, the C input channels and the F filters split
// into G blocks of Cg = C/G and Fg = F/G; filter f of group g = floor(f / Fg) sees only its block
// (eq. 1 of the tutorial, summed over the group's channels instead of all C):
//   z[b, t, f] = bias[f] + sum_{u<K} sum_{c<Cg} xp[b, t*S + u*D, g*Cg + c] * kernel[u, c, f]
//   x [B, L, C]   xp [B, Lp, C] (padded)   kernel [K, Cg, F]   bias [F]   z [B, T, F]
// Gradients (dz = dL/dz; every other term of the sums is zero, so each group backpropagates alone):
//   dkernel[u, c, f] = sum_{b,t} xp[b, t*S + u*D, g*Cg + c] * dz[b, t, f]
//   dxp[b, t*S + u*D, g*Cg + c] += sum_{f in group g} dz[b, t, f] * kernel[u, c, f]
//   dbias[f] = sum_{b,t} dz[b, t, f]
// G = C (one input channel per group, F = C*M) is the depthwise convolution; it runs on its own
// SIMD kernels, and the kernel [K, 1, C*M] is the DepthwiseConv1D kernel [K, C, M] read flat.
// G = 1 is the ordinary Conv1D and never gets here.

import { ConfigError, positiveInt, showValue } from './args.ts';
import type { KernelExports } from '../runtime/runtime.ts';

/** `groups` of a Conv1D: a positive integer dividing `filters` (input channels are checked at build). */
export function parseGroups(owner: string, v: unknown, filters: number): number {
  const g = positiveInt(owner, 'groups', v, 1);
  if (filters % g !== 0) throw new ConfigError(`${owner}: groups must divide filters (${filters}), got ${showValue(v)}; each of the groups gets filters/groups output channels`);
  return g;
}

/** The kernel calls of a conv with G > 1 groups; shapes as in the header, all sizes per call.
 *  G = 'depthwise' means G = C, whatever C the call has. */
export class GroupedConv {
  constructor(
    readonly K: number,
    readonly S: number,
    readonly D: number,
    readonly G: number | 'depthwise',
  ) {}

  private groups(C: number): number {
    return this.G === 'depthwise' ? C : this.G;
  }

  /** z = bias + grouped xcorr(xp, kernel) (overwrites z). */
  forward(k: KernelExports, xp: number, w: number, bias: number, z: number, B: number, Lp: number, C: number, T: number, F: number): void {
    const G = this.groups(C);
    if (G === C) k.depthwise_conv1d_forward(xp, w, bias, z, B, Lp, C, T, F / C, this.K, this.S, this.D);
    else k.conv1d_grouped_forward(xp, w, bias, z, B, Lp, C, T, F, this.K, this.S, this.D, G);
  }

  /** dkernel += ... (see the header). */
  backwardKernel(k: KernelExports, xp: number, dz: number, dw: number, B: number, Lp: number, C: number, T: number, F: number): void {
    const G = this.groups(C);
    if (G === C) k.depthwise_conv1d_backward_kernel(xp, dz, dw, B, Lp, C, T, F / C, this.K, this.S, this.D);
    else k.conv1d_grouped_backward_kernel(xp, dz, dw, B, Lp, C, T, F, this.K, this.S, this.D, G);
  }

  /** dxp += ... (see the header); wt is scratch of K*C*F/G floats (unused when depthwise). */
  backwardInput(k: KernelExports, dz: number, w: number, wt: number, dxp: number, B: number, Lp: number, C: number, T: number, F: number): void {
    const G = this.groups(C);
    if (G === C) {
      k.depthwise_conv1d_backward_input(dz, w, dxp, B, Lp, C, T, F / C, this.K, this.S, this.D);
      return;
    }
    k.transpose_f32(this.K * (C / G), F, w, wt);
    k.conv1d_grouped_backward_input(dz, wt, dxp, B, Lp, C, T, F, this.K, this.S, this.D, G);
  }
}
