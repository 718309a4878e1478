// NODE ONLY. Folders of labelled WAV files, e.g. the Free Spoken Digit Dataset (Jakobovski et
// al.): recordings/{digit}_{speaker}_{index}.wav, 8 kHz mono; index 0-4 is the test split.
// Dimension legend: n files, L = length samples each; x is [n, L, 1], y is [n].

import { Tensor } from '../tensor.ts';
import { checkKeys, ConfigError, positiveInt, showValue } from '../layers/args.ts';
import { DataError } from './errors.ts';
import { isDirectory, joinPath, listFiles, readFileBytes, type FolderFile } from './node-fs.ts';
import { requireDataset } from './data-dir.ts';
import { padOrCrop, type Align } from './pad.ts';
import { decodeWav } from './wav.ts';

export interface WavFolderOptions {
  /** Samples per example: each recording is zero-padded or cropped to this length. */
  length: number;
  /** If given, every file must have this sample rate (no resampling is done). */
  sampleRate?: number;
  /** The label of a file name; default: the text before the first '_' ("3_theo_7.wav" -> "3"). */
  labelFrom?: (fileName: string) => string;
  /** Where the recording sits in its padded/cropped window; default 'start'. */
  align?: Align;
}

export interface WavDataset {
  /** [n, length, 1] float32 waveforms in [-1, 1). */
  x: Tensor;
  /** [n] class indices into classes. */
  y: Int32Array;
  /** Class names, in natural order ("2" before "10"). */
  classes: string[];
  /** [n] the file name of each example. */
  files: string[];
}

const natural = new Intl.Collator('en', { numeric: true });
const defaultLabel = (file: string) => file.split('_')[0];
const KEYS = ['length', 'sampleRate', 'labelFrom', 'align'];

function checkOptions(owner: string, options: WavFolderOptions): void {
  checkKeys(owner, options, KEYS);
  positiveInt(owner, 'length', options?.length);
  if (options.sampleRate !== undefined) positiveInt(owner, 'sampleRate', options.sampleRate);
  if (options.labelFrom !== undefined && typeof options.labelFrom !== 'function') {
    throw new ConfigError(`${owner}: labelFrom must be a function (fileName) => label, got ${showValue(options.labelFrom)}`);
  }
}

function wavFiles(dir: string, owner: string): FolderFile[] {
  const files = listFiles(dir, owner, (f) => f.toLowerCase().endsWith('.wav')).sort((a, b) => natural.compare(a.name, b.name));
  if (files.length === 0) throw new DataError(`${owner}: no .wav files in ${dir}`);
  return files;
}

/** Reads the given files of dir into one dataset with the given class list. */
function loadFiles(owner: string, files: FolderFile[], classes: string[], options: WavFolderOptions): WavDataset {
  const L = options.length;
  const labelOf = options.labelFrom ?? defaultLabel;
  const index = new Map(classes.map((c, i) => [c, i]));
  const x = new Float32Array(files.length * L);
  const y = new Int32Array(files.length);
  files.forEach((file, i) => {
    const wav = decodeWav(readFileBytes(file.path, owner, undefined, file.shown), file.shown);
    if (options.sampleRate !== undefined && wav.sampleRate !== options.sampleRate) {
      throw new DataError(`${owner}: ${file.shown} has sample rate ${wav.sampleRate} Hz, expected ${options.sampleRate} Hz (no resampling is done)`);
    }
    x.set(padOrCrop(wav.samples, L, { align: options.align }), i * L);
    y[i] = index.get(labelOf(file.name))!;
  });
  return { x: new Tensor(x, [files.length, L, 1]), y, classes, files: files.map((f) => f.name) };
}

function classList(files: FolderFile[], labelOf: (f: string) => string): string[] {
  return [...new Set(files.map((f) => labelOf(f.name)))].sort(natural.compare);
}

/**
 * NODE ONLY. Every .wav file of `dir` (sorted by name), padded/cropped to `length` samples,
 * labelled by `labelFrom(fileName)` (default: the text before the first '_').
 */
export function loadWavFolder(dir: string, options: WavFolderOptions): WavDataset {
  checkOptions('loadWavFolder', options);
  const files = wavFiles(dir, 'loadWavFolder');
  return loadFiles('loadWavFolder', files, classList(files, options.labelFrom ?? defaultLabel), options);
}

/**
 * NODE ONLY. The Free Spoken Digit Dataset split by its own convention: recordings with index
 * 0-4 ({digit}_{speaker}_{index}.wav) are the test set, the rest the training set. `dir` is the
 * dataset folder or its recordings/ subfolder; without it (`loadFSDD()`, `loadFSDD({length})`)
 * the copy in the data directory (CNN1D_DATA_DIR, default ~/.cache/cnn1d) that
 * `data.download('fsdd')` or `npx cnn1d data get fsdd` puts there. Both splits share the classes
 * "0".."9". Defaults: length 8000 (1 s at 8 kHz), sampleRate 8000.
 */
export function loadFSDD(options?: Partial<WavFolderOptions>): { train: WavDataset; test: WavDataset };
export function loadFSDD(dir: string, options?: Partial<WavFolderOptions>): { train: WavDataset; test: WavDataset };
export function loadFSDD(dirOrOptions?: string | Partial<WavFolderOptions>, options: Partial<WavFolderOptions> = {}): { train: WavDataset; test: WavDataset } {
  const owner = 'loadFSDD';
  if (dirOrOptions === undefined || (typeof dirOrOptions === 'object' && dirOrOptions !== null)) {
    return loadFSDD(requireDataset(owner, { kind: 'fsdd' }), { ...dirOrOptions, ...options });
  }
  const dir = dirOrOptions;
  const opts: WavFolderOptions = { length: 8000, sampleRate: 8000, ...options };
  checkOptions(owner, opts);
  const recordings = joinPath(dir, 'recordings');
  const folder = isDirectory(recordings, owner) ? recordings : dir;
  const files = wavFiles(folder, owner);
  const isTest = (f: FolderFile): boolean => {
    const m = /^[^_]+_[^_]+_(\d+)\.wav$/i.exec(f.name);
    if (!m) throw new DataError(`${owner}: ${f.shown} does not follow the FSDD name pattern {digit}_{speaker}_{index}.wav`);
    return Number(m[1]) <= 4;
  };
  const classes = classList(files, opts.labelFrom ?? defaultLabel);
  const test = files.filter(isTest);
  const train = files.filter((f) => !isTest(f));
  return { train: loadFiles(owner, train, classes, opts), test: loadFiles(owner, test, classes, opts) };
}
