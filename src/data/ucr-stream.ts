// NODE ONLY. A UCR file streamed from disk in batches, for data larger than memory: the file is
// read in chunks of `chunkBytes`, split into lines incrementally, and each line parsed as
// loadUCR parses it (same errors, naming the file and line). Yields {xs [b, L, 1], ys [b]} (class
// indices), b = batchSize except for the last batch; a new pass starts at each iteration.
// Memory held by the reader (bufferedBytes): the chunk buffer plus the decoded text not yet split
// into lines (at most one chunk plus one unfinished line), so at most 2*chunkBytes + maxLineBytes
// (bufferBound); the batches themselves (batchSize * L floats each) are the consumer's.

import { Tensor } from '../tensor.ts';
import { checkKeys, ConfigError, positiveInt, showValue } from '../layers/args.ts';
import { DataError } from './errors.ts';
import { openRegular } from './node-fs.ts';
import { parseUCRLine, readMissing } from './ucr.ts';

export interface UCRStreamOptions {
  /** Series per batch (default 32). */
  batchSize?: number;
  /** NaN samples: 'error' (default) or 'interpolate', as in loadUCR. */
  missing?: 'error' | 'interpolate';
  /** The labels in class order (class i is classes[i]); default: one streaming pass over the
   *  file collects them, sorted ascending as loadUCR does. */
  classes?: number[];
  /** Bytes read from disk at a time (default 65536). */
  chunkBytes?: number;
  /** Longest line accepted, in bytes (default 1 MiB); a longer line is an error. */
  maxLineBytes?: number;
}

const OWNER = 'fromUCRFile';

export class UCRFileDataset implements AsyncIterable<{ xs: Tensor; ys: Int32Array }> {
  readonly batchSize: number;
  readonly chunkBytes: number;
  readonly maxLineBytes: number;
  /** Labels in class order (after the first pass when not given). */
  classes: number[] | undefined;
  /** Samples per series (known after the first line). */
  length: number | undefined;
  /** Bytes the reader holds now, and the most it has held. */
  bufferedBytes = 0;
  maxBufferedBytes = 0;
  /** Bytes read from disk so far, over all passes. */
  bytesRead = 0;
  private readonly missing: 'error' | 'interpolate';

  constructor(
    readonly path: string,
    options: UCRStreamOptions = {},
  ) {
    if (typeof path !== 'string') throw new ConfigError(`${OWNER}: path must be a string, got ${showValue(path)}`);
    checkKeys(OWNER, options, ['batchSize', 'missing', 'classes', 'chunkBytes', 'maxLineBytes']);
    this.batchSize = positiveInt(OWNER, 'batchSize', options.batchSize, 32);
    this.chunkBytes = positiveInt(OWNER, 'chunkBytes', options.chunkBytes, 65536);
    this.maxLineBytes = positiveInt(OWNER, 'maxLineBytes', options.maxLineBytes, 1 << 20);
    this.missing = readMissing(OWNER, { missing: options.missing });
    if (options.classes !== undefined) {
      const c = options.classes;
      if (!Array.isArray(c) || c.length === 0 || !c.every(Number.isFinite) || new Set(c).size !== c.length) {
        throw new ConfigError(`${OWNER}: classes must be a non-empty list of distinct finite labels, got ${showValue(c)}`);
      }
      this.classes = c.slice();
    }
  }

  /** The most bytes the reader holds at once: 2 * chunkBytes + maxLineBytes. */
  get bufferBound(): number {
    return 2 * this.chunkBytes + this.maxLineBytes;
  }

  private hold(bytes: number): void {
    this.bufferedBytes = bytes;
    if (bytes > this.maxBufferedBytes) this.maxBufferedBytes = bytes;
  }

  /** The non-empty lines of the file with their 1-based numbers, read chunk by chunk. */
  private async *lines(): AsyncGenerator<[string, number]> {
    const handle = await openRegular(this.path, OWNER);
    const buffer = new Uint8Array(this.chunkBytes);
    const decoder = new TextDecoder('utf-8');
    let carry = '';
    let lineNo = 0;
    try {
      for (;;) {
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
        this.bytesRead += bytesRead;
        const end = bytesRead === 0;
        let text = carry + decoder.decode(buffer.subarray(0, bytesRead), { stream: !end });
        this.hold(buffer.byteLength + text.length);
        // a chunk ending in \r may be half of \r\n: keep it with the unfinished line
        const lim = text.endsWith('\r') ? text.length - 2 : text.length - 1;
        const cut = end ? text.length - 1 : lim < 0 ? -1 : Math.max(text.lastIndexOf('\n', lim), text.lastIndexOf('\r', lim));
        carry = end ? '' : text.slice(cut + 1);
        text = text.slice(0, cut + 1);
        if (carry.length > this.maxLineBytes) throw new DataError(`${this.path}, line ${lineNo + 1}: longer than maxLineBytes (${this.maxLineBytes}); raise maxLineBytes if the file really has such long series`);
        const parts = text.split(/\r\n|\n|\r/);
        if (!end) parts.pop(); // the empty string after the last line break
        for (const line of parts) {
          lineNo++;
          if (line.length > this.maxLineBytes) throw new DataError(`${this.path}, line ${lineNo}: ${line.length} bytes, longer than maxLineBytes (${this.maxLineBytes})`);
          if (line.trim() !== '') yield [line, lineNo];
        }
        this.hold(buffer.byteLength + carry.length);
        if (end) break;
      }
    } finally {
      this.hold(0);
      await handle.close();
    }
  }

  /** Labels of the whole file, sorted (a pass that parses only the first field of each line). */
  private async scanClasses(): Promise<number[]> {
    const seen = new Set<number>();
    for await (const [line, lineNo] of this.lines()) {
      const first = line.trim().split(/[\t, ]/)[0];
      const label = Number(first);
      if (first === '' || !Number.isFinite(label)) throw new DataError(`${this.path}, line ${lineNo}, column 1: the class label must be a finite number, got ${showValue(first)}`);
      seen.add(label);
    }
    if (seen.size === 0) throw new DataError(`${this.path}: empty file, no series found`);
    return [...seen].sort((a, b) => a - b);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<{ xs: Tensor; ys: Int32Array }> {
    this.classes ??= await this.scanClasses();
    const index = new Map(this.classes.map((c, i) => [c, i]));
    const B = this.batchSize;
    let L = this.length ?? -1;
    let firstLine = 0;
    let x: Float32Array | null = null;
    let y = new Int32Array(B);
    let n = 0;
    let any = false;
    for await (const [line, lineNo] of this.lines()) {
      const where = `${this.path}, line ${lineNo}`;
      const { label, row } = parseUCRLine(line, where, this.missing, firstLine ? L : -1, firstLine);
      if (!firstLine) {
        if (L >= 0 && row.length !== L) throw new DataError(`${where}: has ${row.length} samples but the series of the previous pass had ${L}; the file changed`);
        L = row.length;
        firstLine = lineNo;
        this.length = L;
      }
      const c = index.get(label);
      if (c === undefined) throw new DataError(`${where}, column 1: label ${label} is not one of the classes [${this.classes.join(', ')}]`);
      x ??= new Float32Array(B * L);
      x.set(row, n * L);
      y[n++] = c;
      any = true;
      if (n === B) {
        yield { xs: new Tensor(x, [B, L, 1]), ys: y };
        x = new Float32Array(B * L); // the consumer owns the yielded batch
        y = new Int32Array(B);
        n = 0;
      }
    }
    if (!any) throw new DataError(`${this.path}: empty file, no series found`);
    if (n > 0) yield { xs: new Tensor(x!.slice(0, n * L), [n, L, 1]), ys: y.slice(0, n) };
  }
}

/**
 * NODE ONLY. A UCR file (label, then the samples, one series a line) as a dataset of batches
 * streamed from disk with bounded memory, for model.fitDataset / evaluateDataset. Unless
 * `classes` is given, the first iteration begins with a pass that collects the labels.
 */
export function fromUCRFile(path: string, options?: UCRStreamOptions): UCRFileDataset {
  return new UCRFileDataset(path, options);
}
