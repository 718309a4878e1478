// Building blocks of the model zoo, written only with the public functional API (layers.*,
// layer.apply) so that each doubles as an example of how to write one. Values are per-sample
// [length, channels]; the batch axis is implicit. The SE-ResNet block of Kim, Lee & Nam 2018 on
// x [L, 64], for example:
//   const y = blocks.convBn(layers.dropout({ rate: 0.2 }).apply(blocks.convBn(x, 64, { kernelSize: 3 })), 64, { kernelSize: 3, relu: false });
//   const out = layers.maxPooling1d({ poolSize: 3 }).apply(blocks.addRelu(x, blocks.squeezeExcite(y, 16)));

import { ConfigError, showValue } from '../layers/args.ts';
import { layers } from '../layers/index.ts';
import { SymbolicTensor } from '../engine/symbolic.ts';

/** The channel count C of a value [L, C] (or [C]). */
export function channels(x: SymbolicTensor, owner = 'blocks'): number {
  if (!(x instanceof SymbolicTensor)) throw new ConfigError(`${owner}: expected a symbolic tensor (from input({shape}) or layer.apply), got ${showValue(x)}`);
  return x.shape[x.shape.length - 1];
}

/**
 * Squeeze-and-excitation: x [L, C] times a per-channel gate s [C] computed from x itself,
 * s = sigmoid(dense_C(relu(dense_{C*ratio}(mean over L of x)))), broadcast over L.
 * Hu, Shen & Sun, "Squeeze-and-Excitation Networks", CVPR 2018 (ratio < 1 reduces, 1/16 there);
 * Kim, Lee & Nam, "Sample-level CNN architectures for music auto-tagging using raw waveforms",
 * ICASSP 2018, amplify instead (ratio 16, their default).
 */
export function squeezeExcite(x: SymbolicTensor, ratio = 16): SymbolicTensor {
  const C = channels(x, 'blocks.squeezeExcite');
  if (typeof ratio !== 'number' || !(ratio > 0) || !Number.isFinite(ratio)) throw new ConfigError(`blocks.squeezeExcite: ratio must be a positive number (16 amplifies, 1/16 reduces), got ${showValue(ratio)}`);
  const hidden = Math.max(1, Math.round(C * ratio));
  const s = layers.dense({ units: C, activation: 'sigmoid' }).apply(layers.dense({ units: hidden, activation: 'relu' }).apply(layers.globalAveragePooling1d().apply(x)));
  return layers.multiply().apply([x, s]);
}

export interface ConvBnOptions {
  /** Convolution window K. */
  kernelSize: number;
  /** ReLU after the batch normalisation (default true). */
  relu?: boolean;
  /** Bias in the convolution (default true, as in Keras; BN makes it redundant). */
  useBias?: boolean;
  /** Convolution stride (default 1). */
  strides?: number;
  /** Convolution padding (default 'same'). */
  padding?: 'valid' | 'same';
}

/** Conv1D(filters, K) -> BatchNorm [-> ReLU]: x [L, C] -> [L', filters]. */
export function convBn(x: SymbolicTensor, filters: number, { kernelSize, relu = true, useBias = true, strides = 1, padding = 'same' }: ConvBnOptions): SymbolicTensor {
  const y = layers.batchNormalization().apply(layers.conv1d({ filters, kernelSize, strides, padding, useBias }).apply(x));
  return relu ? layers.activation({ activation: 'relu' }).apply(y) : y;
}

/** Projection shortcut of a residual block: Conv1D(filters, 1) -> BatchNorm, x [L, C] -> [L, filters]
 *  (He et al. 2016 option B; the shortcut of Wang et al. 2017 and Ismail Fawaz et al. 2020). */
export function projection(x: SymbolicTensor, filters: number, useBias = true): SymbolicTensor {
  return layers.batchNormalization().apply(layers.conv1d({ filters, kernelSize: 1, useBias }).apply(x));
}

/** The end of a residual block: relu(shortcut + y), both [L, C]. */
export function addRelu(shortcut: SymbolicTensor, y: SymbolicTensor): SymbolicTensor {
  return layers.activation({ activation: 'relu' }).apply(layers.add().apply([shortcut, y]));
}

export const blocks = { squeezeExcite, convBn, projection, addRelu, channels };
