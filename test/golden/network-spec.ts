// The layer strings of golden network cases, e.g.
//   "Conv1D(4,3,valid,sigmoid) > AvgPool1D(2) > Flatten > Dense(2,sigmoid); loss meanSquaredError"
// Positional arguments: Conv1D(filters, kernelSize[, padding][, activation]),
// MaxPool1D/AvgPool1D(poolSize[, strides][, padding]), Dense(units[, activation]),
// Activation(name); key=value pairs (strides=2, dilationRate=2, ...) may follow. Anything else is an
// error, so an unknown layer fails the case instead of being skipped.

import { layers, type Layer } from '../../src/index.ts';
import { GoldenFormatError } from './format.ts';

const PADDINGS = ['valid', 'same', 'causal'];

function parseArgs(text: string): (string | number)[] {
  if (!text.trim()) return [];
  return text.split(',').map((s) => {
    const t = s.trim();
    return /^-?\d+(\.\d+)?(e-?\d+)?$/.test(t) ? Number(t) : t;
  });
}

function split(args: (string | number)[]): { pos: (string | number)[]; kw: Record<string, string | number> } {
  const pos: (string | number)[] = [];
  const kw: Record<string, string | number> = {};
  for (const a of args) {
    const m = typeof a === 'string' ? /^(\w+)=(.+)$/.exec(a) : null;
    if (m) kw[m[1]] = /^-?\d+(\.\d+)?$/.test(m[2]) ? Number(m[2]) : m[2];
    else pos.push(a);
  }
  return { pos, kw };
}

function conv(pos: (string | number)[], kw: Record<string, string | number>, inputShape?: number[]): Layer {
  const nums = pos.filter((p) => typeof p === 'number') as number[];
  const strs = pos.filter((p) => typeof p === 'string') as string[];
  const padding = strs.find((s) => PADDINGS.includes(s));
  const activation = strs.find((s) => !PADDINGS.includes(s));
  if (nums.length < 2 || nums.length > 2) throw new GoldenFormatError(`Conv1D needs (filters, kernelSize, ...), got ${pos.join(',')}`);
  return layers.conv1d({ filters: nums[0], kernelSize: nums[1], ...(padding ? { padding: padding as 'valid' } : {}), ...(activation ? { activation: activation as 'relu' } : {}), ...kw, inputShape } as never);
}

function pool(kind: 'max' | 'avg', pos: (string | number)[], kw: Record<string, string | number>, inputShape?: number[]): Layer {
  const nums = pos.filter((p) => typeof p === 'number') as number[];
  const padding = pos.find((p) => typeof p === 'string') as 'valid' | 'same' | undefined;
  const args = { poolSize: nums[0], ...(nums[1] ? { strides: nums[1] } : {}), ...(padding ? { padding } : {}), ...kw, inputShape } as never;
  return kind === 'max' ? layers.maxPooling1d(args) : layers.averagePooling1d(args);
}

export interface NetworkSpec {
  layers: Layer[];
  loss: string;
}

export function parseNetwork(spec: string, inputShape: number[]): NetworkSpec {
  const [layerPart, lossPart] = spec.split(';');
  const lossMatch = /^\s*loss\s+(\w+)\s*$/.exec(lossPart ?? '');
  if (!lossMatch) throw new GoldenFormatError(`network spec "${spec}": expected "...; loss NAME" at the end`);
  const out: Layer[] = [];
  for (const token of layerPart.split('>').map((s) => s.trim())) {
    const m = /^(\w+)(?:\((.*)\))?$/.exec(token);
    if (!m) throw new GoldenFormatError(`network spec: cannot read layer "${token}"`);
    const { pos, kw } = split(parseArgs(m[2] ?? ''));
    const first = out.length === 0 ? inputShape : undefined;
    const base = first ? { inputShape: first } : {};
    switch (m[1]) {
      case 'Conv1D':
        out.push(conv(pos, kw, first));
        break;
      case 'MaxPool1D':
      case 'MaxPooling1D':
        out.push(pool('max', pos, kw, first));
        break;
      case 'AvgPool1D':
      case 'AveragePooling1D':
        out.push(pool('avg', pos, kw, first));
        break;
      case 'GlobalAvgPool1D':
      case 'GlobalAveragePooling1D':
        out.push(layers.globalAveragePooling1d(base));
        break;
      case 'GlobalMaxPool1D':
      case 'GlobalMaxPooling1D':
        out.push(layers.globalMaxPooling1d(base));
        break;
      case 'Flatten':
        out.push(layers.flatten(base));
        break;
      case 'Dense':
        out.push(layers.dense({ units: pos[0] as number, ...(pos[1] ? { activation: pos[1] as 'relu' } : {}), ...kw, ...base } as never));
        break;
      case 'Activation':
        out.push(layers.activation({ activation: pos[0] as 'relu', ...kw, ...base } as never));
        break;
      case 'BatchNorm':
      case 'BatchNormalization':
        out.push(layers.batchNormalization({ ...kw, ...base } as never));
        break;
      default:
        throw new GoldenFormatError(`network spec: unknown layer "${m[1]}" in "${token}"`);
    }
  }
  return { layers: out, loss: lossMatch[1] };
}
