// Sample-level raw-waveform CNN after Kim, Lee & Nam, "Sample-level CNN architectures for music
// auto-tagging using raw waveforms", ICASSP 2018 (blocks as in their code, tae-jun/resemul
// model.py), sized for 1 s of 8 kHz audio (the samplecnn-8k benchmark workload, bench/workloads.ts). x [L, C] -> [classes].

import { ConfigError, finiteNumber, oneOf, positiveInt, showValue } from '../../layers/args.ts';
import { input } from '../../layers/input.ts';
import { layers } from '../../layers/index.ts';
import type { Layer } from '../../layers/layer.ts';
import type { SymbolicTensor } from '../../engine/symbolic.ts';
import { model, type LayersModel } from '../model.ts';
import { sequential, type Sequential } from '../sequential.ts';
import { addRelu, channels, convBn, projection, squeezeExcite } from '../blocks.ts';
import { checkZooArgs, type ZooArgs } from './args.ts';

export type SampleCnnBlock = 'basic' | 'res' | 'se' | 'rese';

export interface SampleCnnArgs extends ZooArgs {
  /** 'basic' (default): Conv(k3) -> BN -> ReLU -> MaxPool(3); 'se': basic then
   *  squeeze-and-excitation; 'res': Conv(k3) -> BN -> ReLU -> Dropout -> Conv(k3) -> BN, plus the
   *  input (1x1 conv + BN where the channels change), ReLU, MaxPool(3); 'rese': res with
   *  squeeze-and-excitation on the residual branch before the add. */
  block?: SampleCnnBlock;
  /** Channels of each block (default [32, 32, 64, 64, 128, 128]). */
  widths?: number[];
  /** Filters of the first convolution (kernel 3, stride 3, 'valid') (default 32). */
  stemFilters?: number;
  /** Amplifying ratio of the squeeze-and-excitation blocks (default 16, as in the paper). */
  ratio?: number;
  /** Dropout rate between the two convolutions of 'res' and 'rese' blocks (default 0.2, as in
   *  the authors' code). A dropout in front of a conv + BN shifts the variance that BN learns
   *  (Li et al., "Understanding the disharmony between dropout and batch normalization", CVPR
   *  2019): on 2,020 FSDD clips, 6 epochs, it left 0.75 training-set accuracy in inference mode
   *  against 0.98 with 0, so examples/fsdd-samplecnn.ts passes 0. */
  blockDropout?: number;
  /** Dropout rate before the classifier (default 0: none). */
  dropout?: number;
}

const OWNER = 'models.sampleCnn';
const BLOCKS = ['basic', 'res', 'se', 'rese'] as const;

/** Conv1D(C, k3, same) -> BN -> ReLU -> MaxPool(3), as layers (a chain). */
function basicLayers(c: number): Layer[] {
  return [layers.conv1d({ filters: c, kernelSize: 3, padding: 'same' }), layers.batchNormalization(), layers.activation({ activation: 'relu' }), layers.maxPooling1d({ poolSize: 3 })];
}

/**
 * The stem Conv1D(stemFilters, k3, stride 3, 'valid') -> BN -> ReLU, one block per width, global
 * average pooling, optional dropout, softmax. `block: 'basic'` is a chain and comes back as a
 * Sequential (exactly the samplecnn-8k network); the other blocks branch and come back as
 * functional models.
 */
export function sampleCnn(args: SampleCnnArgs & { block?: 'basic' }): Sequential;
export function sampleCnn(args: SampleCnnArgs): LayersModel;
export function sampleCnn(args: SampleCnnArgs): LayersModel {
  checkZooArgs(OWNER, args, ['block', 'widths', 'stemFilters', 'ratio', 'blockDropout', 'dropout']);
  const block = oneOf(OWNER, 'block', args.block, BLOCKS, 'basic');
  const widths = args.widths ?? [32, 32, 64, 64, 128, 128];
  if (!Array.isArray(widths)) throw new ConfigError(`${OWNER}: widths must be an array of channel counts, got ${showValue(widths)}`);
  widths.forEach((c, i) => positiveInt(OWNER, `widths[${i}]`, c));
  const stem = positiveInt(OWNER, 'stemFilters', args.stemFilters, 32);
  const ratio = finiteNumber(OWNER, 'ratio', args.ratio, 16, 0);
  const blockDropout = finiteNumber(OWNER, 'blockDropout', args.blockDropout, 0.2, 0, 0.99);
  const dropout = finiteNumber(OWNER, 'dropout', args.dropout, 0, 0, 0.99);
  if (ratio === 0 && (block === 'se' || block === 'rese')) throw new ConfigError(`${OWNER}: ratio must be positive for block "${block}", got 0`);

  const head = (): Layer[] => [layers.globalAveragePooling1d(), ...(dropout > 0 ? [layers.dropout({ rate: dropout })] : []), layers.dense({ units: args.classes, activation: 'softmax' })];
  if (block === 'basic') {
    const stemLayers = [layers.conv1d({ filters: stem, kernelSize: 3, strides: 3, inputShape: args.inputShape }), layers.batchNormalization(), layers.activation({ activation: 'relu' })];
    return sequential({ seed: args.seed, name: 'samplecnn', layers: [...stemLayers, ...widths.flatMap(basicLayers), ...head()] });
  }

  const chain = (x: SymbolicTensor, ls: Layer[]) => ls.reduce((h, l) => l.apply(h), x);
  const resBlock = (x: SymbolicTensor, c: number): SymbolicTensor => {
    const shortcut = channels(x) === c ? x : projection(x, c);
    let y = convBn(x, c, { kernelSize: 3 });
    if (blockDropout > 0) y = layers.dropout({ rate: blockDropout }).apply(y);
    y = convBn(y, c, { kernelSize: 3, relu: false });
    if (block === 'rese') y = squeezeExcite(y, ratio);
    return layers.maxPooling1d({ poolSize: 3 }).apply(addRelu(shortcut, y));
  };
  const x = input({ shape: args.inputShape });
  let h = convBn(x, stem, { kernelSize: 3, strides: 3, padding: 'valid' });
  for (const c of widths) h = block === 'se' ? squeezeExcite(chain(h, basicLayers(c)), ratio) : resBlock(h, c);
  return model({ inputs: x, outputs: chain(h, head()), name: `samplecnn_${block}`, seed: args.seed });
}
