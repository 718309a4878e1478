// NODE ONLY. A folder of labelled WAV files streamed in batches, for data larger than memory:
// each batch reads its batchSize files (asynchronously, so the reads overlap the previous
// batch's training when fitDataset prefetches), decodes, pads/crops them to `length` and drops
// the bytes. Yields {xs [b, length, 1], ys [b]} (class indices); a new pass at each iteration,
// reshuffled with `shuffle`. The reader holds one batch of file bytes at a time: bufferedBytes
// <= bufferBound = batchSize * (the largest file's size).

import { Tensor } from '../tensor.ts';
import { boolean, checkKeys, ConfigError, positiveInt, showValue } from '../layers/args.ts';
import { Random } from '../runtime/random.ts';
import { DataError } from './errors.ts';
import { joinPath, listFiles, readFileBytesAsync, type FolderFile } from './node-fs.ts';
import { padOrCrop } from './pad.ts';
import { decodeWav } from './wav.ts';
import type { WavFolderOptions } from './wav-folder.ts';

export interface WavStreamOptions extends WavFolderOptions {
  /** Files per batch (default 32). */
  batchSize?: number;
  /** Class names in class order; default: the labels of all the folder's files, in natural order. */
  classes?: string[];
  /** Keep only the files for which this returns true (e.g. one split), by file name. */
  filter?: (fileName: string) => boolean;
  /** Reshuffle the files at every pass (default false: sorted by name). */
  shuffle?: boolean;
  /** Seed of the shuffling (default 0); pass p uses seed + p. */
  seed?: number;
}

const OWNER = 'fromWavFolder';
const natural = new Intl.Collator('en', { numeric: true });

export class WavFolderDataset implements AsyncIterable<{ xs: Tensor; ys: Int32Array }> {
  readonly batchSize: number;
  readonly length: number;
  /** The file names, sorted, after the filter. */
  readonly files: string[];
  readonly classes: string[];
  /** Bytes of file contents the reader holds now, and the most it has held. */
  bufferedBytes = 0;
  maxBufferedBytes = 0;
  /** batchSize * the largest file's size. */
  readonly bufferBound: number;
  private readonly labels: Int32Array;
  private readonly entries: FolderFile[];
  private pass = 0;

  constructor(
    readonly dir: string,
    private readonly options: WavStreamOptions,
  ) {
    if (typeof dir !== 'string') throw new ConfigError(`${OWNER}: dir must be a string, got ${showValue(dir)}`);
    if (typeof options !== 'object' || options === null) throw new ConfigError(`${OWNER}: expected options {length, batchSize?, ...}, got ${showValue(options)}`);
    checkKeys(OWNER, options, ['length', 'sampleRate', 'labelFrom', 'align', 'batchSize', 'classes', 'filter', 'shuffle', 'seed']);
    this.length = positiveInt(OWNER, 'length', options.length);
    this.batchSize = positiveInt(OWNER, 'batchSize', options.batchSize, 32);
    if (options.sampleRate !== undefined) positiveInt(OWNER, 'sampleRate', options.sampleRate);
    boolean(OWNER, 'shuffle', options.shuffle, false);
    for (const f of ['labelFrom', 'filter'] as const) {
      if (options[f] !== undefined && typeof options[f] !== 'function') throw new ConfigError(`${OWNER}: ${f} must be a function of the file name, got ${showValue(options[f])}`);
    }
    const labelOf = options.labelFrom ?? ((f: string) => f.split('_')[0]);
    const all = listFiles(dir, OWNER, (f) => f.toLowerCase().endsWith('.wav')).sort((a, b) => natural.compare(a.name, b.name));
    const filter = options.filter;
    this.entries = filter ? all.filter((f) => filter(f.name)) : all;
    this.files = this.entries.map((f) => f.name);
    if (this.files.length === 0) throw new DataError(`${OWNER}: no .wav files in ${dir}${options.filter ? ' pass the filter' : ''}`);
    this.classes = options.classes?.slice() ?? [...new Set(all.map((f) => labelOf(f.name)))].sort(natural.compare);
    const index = new Map(this.classes.map((c, i) => [c, i]));
    this.labels = Int32Array.from(this.files, (f) => {
      const c = index.get(labelOf(f));
      if (c === undefined) throw new DataError(`${OWNER}: ${joinPath(dir, f)} has label ${showValue(labelOf(f))}, which is not one of the classes [${this.classes.join(', ')}]`);
      return c;
    });
    this.bufferBound = this.batchSize * this.entries.reduce((m, f) => Math.max(m, f.size), 0);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<{ xs: Tensor; ys: Int32Array }> {
    const order = Int32Array.from(this.files, (_, i) => i);
    if (this.options.shuffle) new Random((this.options.seed ?? 0) + this.pass).shuffle(order);
    this.pass++;
    const L = this.length;
    for (let start = 0; start < order.length; start += this.batchSize) {
      const idx = order.subarray(start, Math.min(start + this.batchSize, order.length));
      const files = Array.from(idx, (i) => this.entries[i]);
      const paths = files.map((f) => f.shown);
      const bytes = await Promise.all(files.map((f) => readFileBytesAsync(f.path, OWNER, undefined, f.shown)));
      const held = bytes.reduce((s, b) => s + b.byteLength, 0);
      this.bufferedBytes = held;
      this.maxBufferedBytes = Math.max(this.maxBufferedBytes, held);
      const x = new Float32Array(idx.length * L);
      bytes.forEach((b, k) => {
        const wav = decodeWav(b, paths[k]);
        if (this.options.sampleRate !== undefined && wav.sampleRate !== this.options.sampleRate) {
          throw new DataError(`${OWNER}: ${paths[k]} has sample rate ${wav.sampleRate} Hz, expected ${this.options.sampleRate} Hz (no resampling is done)`);
        }
        x.set(padOrCrop(wav.samples, L, { align: this.options.align }), k * L);
      });
      this.bufferedBytes = 0;
      yield { xs: new Tensor(x, [idx.length, L, 1]), ys: Int32Array.from(idx, (i) => this.labels[i]) };
    }
  }
}

/**
 * NODE ONLY. The .wav files of `dir` (labelled by labelFrom, default the text before the first
 * '_') as a dataset of batches read from disk as they are needed, for model.fitDataset. With
 * `filter` one folder gives several splits, e.g. FSDD's test split (recording index 0-4):
 * `filter: (f) => parseInt(f.split('_')[2], 10) <= 4`.
 */
export function fromWavFolder(dir: string, options: WavStreamOptions): WavFolderDataset {
  return new WavFolderDataset(dir, options);
}
