// Winograd F(m, K) for a Conv1D node (stride 1, dilation 1, one group): the tile sizes kept, the
// per-node choice between direct and Winograd (cost model: conv-cost.ts), and the node's buffers
// and kernel calls (assembly/kernels/winograd.ts; math in src/reference/winograd.ts).
//   xp [B, Lp, C]   w [K, C, F]   z, dz [B, T, F]   Lp = T + K - 1
//   U [alpha, C, F]   V [alpha, rows, C]   M [alpha, rows, F]   UT, Mk [alpha, C, F]   rows <= WINOGRAD_CHUNK tiles

import { directCost, winogradCost, WINOGRAD_MARGIN } from './conv-cost.ts';
import { winogradBlock, winogradMatrices } from '../reference/winograd.ts';
import type { Slot } from '../runtime/plan.ts';
import type { KernelExports, Runtime } from '../runtime/runtime.ts';
import type { BufferPlanner, NodeIO } from './layer.ts';

export type ConvAlgorithm = 'auto' | 'direct' | 'winograd';
export const CONV_ALGORITHMS: readonly ConvAlgorithm[] = ['auto', 'direct', 'winograd'];

/** Tile sizes m per kernel size K whose rounding error stays under a third of the golden
 *  tolerance in every pass (bench/winograd-error.ts; F(6, 5), F(4, 7), F(3, 8) exceed it). */
export const WINOGRAD_TILES: Readonly<Record<number, readonly number[]>> = { 3: [2, 4, 6], 5: [2, 4], 7: [2] };
/** Tiles per chunk: the transformed tiles of a chunk ([alpha, chunk, C] and [alpha, chunk, F])
 *  stay in the L2 cache between the transforms and the GEMMs. */
export const WINOGRAD_CHUNK = 64;

/** Why Winograd cannot run this layer, or '' when it can. */
export function winogradRefusal(K: number, S: number, D: number, groups: number): string {
  if (!WINOGRAD_TILES[K]) return `kernelSize ${K} (Winograd tiles exist for kernelSize ${Object.keys(WINOGRAD_TILES).join(', ')})`;
  if (S !== 1) return `strides ${S} (Winograd needs strides 1)`;
  if (D !== 1) return `dilationRate ${D} (Winograd needs dilationRate 1)`;
  if (groups !== 1) return `groups ${groups} (Winograd needs groups 1)`;
  return '';
}

/** The tile size m of a node, or 0 for the direct convolution: 'winograd' takes the cheapest tile
 *  by the cost model, 'auto' that tile only when it beats direct by the model's margin and the
 *  batch has at least a chunk of tiles. */
export function chooseTile(algorithm: ConvAlgorithm, B: number, T: number, C: number, F: number, K: number, training: boolean): number {
  const tiles = WINOGRAD_TILES[K];
  if (algorithm === 'direct' || !tiles) return 0;
  const cost = (m: number) => winogradCost(B, T, C, F, K, m, WINOGRAD_CHUNK, training);
  const m = tiles.reduce((best, t) => (cost(t) < cost(best) ? t : best));
  if (algorithm === 'winograd') return m;
  // fewer tiles than one chunk (batch-1 plans, the last layers of a pyramid): outside the shapes
  // the cost model was calibrated on, and too little work for Winograd to matter
  if (B * Math.ceil(T / m) < WINOGRAD_CHUNK) return 0;
  return cost(m) < WINOGRAD_MARGIN * directCost(B, T, C, F, K, training) ? m : 0;
}

/** One Conv1D node run by F(m, K): its slots and kernel calls. */
export class WinogradNode {
  readonly alpha: number;
  private readonly block: Float32Array;
  private mats!: Slot;
  private U!: Slot;
  private V!: Slot;
  private M!: Slot;
  private UT: Slot | null = null;
  private Mk: Slot | null = null;

  constructor(readonly m: number, readonly K: number) {
    this.alpha = m + K - 1;
    this.block = winogradBlock(winogradMatrices(m, K));
  }

  /** Forward buffers: backward scratch when training (U is read again by backward), temporaries at inference. */
  plan(p: BufferPlanner, T: number, C: number, F: number, needDx: boolean): void {
    const rows = Math.min(WINOGRAD_CHUNK, p.capacity * Math.ceil(T / this.m));
    const buf = (n: number) => (p.training ? p.scratch(n) : p.act(n));
    this.mats = p.constant(this.block.length);
    this.U = buf(this.alpha * C * F);
    this.V = buf(this.alpha * rows * C);
    this.M = buf(this.alpha * rows * F);
    if (!p.training) return;
    if (needDx) this.UT = p.scratch(this.alpha * C * F);
    this.Mk = p.scratch(this.alpha * C * F);
  }

  private transform(rt: Runtime, k: KernelExports, w: number, C: number, F: number): void {
    rt.f32(this.mats.ptr, this.block.length).set(this.block);
    k.winograd_kernel_transform(this.mats.ptr, w, this.U.ptr, C, F, this.m, this.K);
  }

  /** y = bias + xcorr(xp, w) (overwrites y). */
  forward(rt: Runtime, k: KernelExports, xp: number, w: number, bias: number, y: number, B: number, Lp: number, C: number, T: number, F: number): void {
    this.transform(rt, k, w, C, F);
    k.winograd_forward(this.mats.ptr, xp, this.U.ptr, bias, y, this.V.ptr, this.M.ptr, B, Lp, C, T, F, this.m, this.K, WINOGRAD_CHUNK);
  }

  /** dw += the kernel gradient. */
  backwardKernel(k: KernelExports, xp: number, dy: number, dw: number, B: number, Lp: number, C: number, T: number, F: number): void {
    k.winograd_backward_kernel(this.mats.ptr, xp, dy, dw, this.V.ptr, this.M.ptr, this.Mk!.ptr, B, Lp, C, T, F, this.m, this.K, WINOGRAD_CHUNK);
  }

  /** dxp += the input gradient (U transformed again from w: the same bits as forward's). */
  backwardInput(rt: Runtime, k: KernelExports, dy: number, w: number, dxp: number, B: number, Lp: number, C: number, T: number, F: number): void {
    this.transform(rt, k, w, C, F);
    k.winograd_backward_input(this.mats.ptr, dy, this.U.ptr, this.UT!.ptr, dxp, this.M.ptr, this.V.ptr, B, Lp, C, T, F, this.m, this.K, WINOGRAD_CHUNK);
  }
}

const nodes = new WeakMap<NodeIO, WinogradNode>();

/** Plans node `io` for F(m, K) when `m` > 0 (else forgets any earlier plan of it). */
export function planWinograd(p: BufferPlanner, io: NodeIO, m: number, K: number, T: number, C: number, F: number, needDx: boolean): void {
  if (!m) {
    nodes.delete(io);
    return;
  }
  const node = new WinogradNode(m, K);
  node.plan(p, T, C, F, needDx);
  nodes.set(io, node);
}

/** The Winograd plan of a node, if it runs by Winograd. */
export function winogradOf(io: NodeIO): WinogradNode | undefined {
  return nodes.get(io);
}
