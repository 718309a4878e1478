// UCR Time Series Classification Archive files (Dau, Keogh et al.). One series a line: the class
// label, then the samples. 2018 files are tab-separated (.tsv); older ones use commas or spaces.
// Dimension legend: n series, L samples each; x is [n, L, 1] (one channel), y is [n].

import { Tensor } from '../tensor.ts';
import { checkKeys, ConfigError, oneOf, showValue } from '../layers/args.ts';
import { DataError } from './errors.ts';
import { joinPath, readFileText } from './node-fs.ts';
import { requireDataset } from './data-dir.ts';
import { isUCRName, type UCRName } from './ucr-names.ts';

export interface UCROptions {
  /**
   * What to do with NaN samples (some UCR sets mark missing values, or pad variable-length
   * series, with NaN). 'error' (default) rejects them; 'interpolate' fills each run of NaNs
   * linearly between its neighbours and holds the nearest value at the ends of a series.
   */
  missing?: 'error' | 'interpolate';
}

export interface UCRDataset {
  /** [n, L, 1] float32 series. */
  x: Tensor;
  /** [n] class indices 0..k-1. */
  y: Int32Array;
  /** classes[i] is the original label of class i, ascending. */
  classes: number[];
}

/** Parsed rows before labels are mapped to class indices. */
interface RawUCR {
  labels: number[];
  values: Float32Array; // [n * L]
  n: number;
  length: number;
}

const FLOAT32_MAX = 3.4028234663852886e38;

function splitFields(line: string): string[] {
  if (line.includes('\t')) return line.split('\t').map((f) => f.trim());
  if (line.includes(',')) return line.split(',').map((f) => f.trim());
  return line.trim().split(/\s+/);
}

/** Fills runs of NaN in row[0..L) linearly; holds the nearest value at both ends. */
function interpolateRow(row: Float64Array, where: string): void {
  const L = row.length;
  let prev = -1;
  for (let i = 0; i <= L; i++) {
    if (i < L && Number.isNaN(row[i])) continue;
    if (i - prev > 1) {
      if (prev < 0 && i === L) throw new DataError(`${where}: every sample is NaN, nothing to interpolate from`);
      for (let j = prev + 1; j < i; j++) {
        if (prev < 0) row[j] = row[i];
        else if (i === L) row[j] = row[prev];
        else row[j] = row[prev] + ((row[i] - row[prev]) * (j - prev)) / (i - prev);
      }
    }
    prev = i;
  }
}

/** One line of a UCR file: its label and samples; `where` is "<source>, line <n>" for errors.
 *  `length` is the length every series must have (-1: any), `firstLine` the line that set it. */
export function parseUCRLine(line: string, where: string, missing: 'error' | 'interpolate', length = -1, firstLine = 0): { label: number; row: Float64Array } {
  const fields = splitFields(line);
  if (fields.length < 2) throw new DataError(`${where}: expected a label and at least one sample, got ${fields.length} field`);
  const label = Number(fields[0]);
  if (fields[0] === '' || !Number.isFinite(label)) throw new DataError(`${where}, column 1: the class label must be a finite number, got ${showValue(fields[0])}`);
  const L = fields.length - 1;
  if (length >= 0 && L !== length) {
    throw new DataError(`${where}: has ${L} samples but line ${firstLine} (the first series) has ${length}; all series must have the same length`);
  }
  const row = new Float64Array(L);
  let nans = 0;
  for (let j = 0; j < L; j++) {
    const f = fields[j + 1];
    const v = Number(f);
    if (/^nan$/i.test(f)) {
      if (missing === 'error') {
        throw new DataError(
          `${where}, column ${j + 2}: missing value (NaN) in sample ${j}; pass {missing: 'interpolate'} to fill missing values by linear interpolation`,
        );
      }
      row[j] = NaN;
      nans++;
    } else if (f === '' || !Number.isFinite(v)) {
      throw new DataError(`${where}, column ${j + 2}: not a number: ${showValue(f)}`);
    } else if (!Number.isFinite(Math.fround(v))) {
      // beyond float32 max plus half an ulp: rounds to Infinity (3.4028235e38, float32 max as numpy prints it, rounds to it)
      throw new DataError(`${where}, column ${j + 2}: ${f} is beyond the float32 range (|x| <= ${FLOAT32_MAX.toPrecision(8)}); samples are stored as float32`);
    } else {
      row[j] = v;
    }
  }
  if (nans > 0) interpolateRow(row, where);
  return { label, row };
}

function parseRaw(text: string, source: string, missing: 'error' | 'interpolate'): RawUCR {
  const lines = text.split(/\r\n|\n|\r/);
  const labels: number[] = [];
  const rows: Float64Array[] = [];
  let length = -1;
  let firstLine = 0;
  for (let li = 0; li < lines.length; li++) {
    if (lines[li].trim() === '') continue;
    const { label, row } = parseUCRLine(lines[li], `${source}, line ${li + 1}`, missing, length, firstLine);
    if (length < 0) {
      length = row.length;
      firstLine = li + 1;
    }
    labels.push(label);
    rows.push(row);
  }
  if (rows.length === 0) throw new DataError(`${source}: empty file, no series found`);
  const values = new Float32Array(rows.length * length);
  rows.forEach((r, i) => values.set(r, i * length));
  return { labels, values, n: rows.length, length };
}

function toDataset(raw: RawUCR, classes: number[]): UCRDataset {
  const index = new Map(classes.map((c, i) => [c, i]));
  const y = Int32Array.from(raw.labels, (l) => index.get(l)!);
  return { x: new Tensor(raw.values, [raw.n, raw.length, 1]), y, classes };
}

function sortedClasses(...labelLists: number[][]): number[] {
  return [...new Set(labelLists.flat())].sort((a, b) => a - b);
}

export function readMissing(owner: string, options: UCROptions | undefined): 'error' | 'interpolate' {
  checkKeys(owner, options, ['missing']);
  return oneOf(owner, 'missing', options?.missing, ['error', 'interpolate'] as const, 'error');
}

/**
 * Parses UCR text (browser-safe). Labels map to 0..k-1 in ascending order of their values.
 * @param text the file contents
 * @param source a name for error messages (e.g. the file path)
 */
export function parseUCR(text: string, options?: UCROptions, source = 'UCR text'): UCRDataset {
  const raw = parseRaw(text, source, readMissing('parseUCR', options));
  return toDataset(raw, sortedClasses(raw.labels));
}

/** A UCR dataset's two splits with one class mapping (loadUCRSplit, loadUCR(NAME)). */
export interface UCRSplit {
  train: UCRDataset;
  test: UCRDataset;
  classes: number[];
}

/**
 * NODE ONLY. `loadUCR('ECG200')`: a UCR dataset by name (one of data.UCR_NAMES), both splits,
 * from the data directory (CNN1D_DATA_DIR, default ~/.cache/cnn1d), where
 * `data.download('ucr:ECG200')` or `npx cnn1d data get ucr:ECG200` puts it.
 */
export function loadUCR(name: UCRName, options?: UCROptions): UCRSplit;
/**
 * NODE ONLY. Loads one UCR file (e.g. `ECG200_TRAIN.tsv`) as x [n, L, 1], y [n], classes.
 * For a train/test pair use loadUCRSplit, which shares one class mapping between the two.
 */
export function loadUCR(path: string, options?: UCROptions): UCRDataset;
export function loadUCR(path: string, options?: UCROptions): UCRDataset | UCRSplit {
  if (typeof path !== 'string') throw new ConfigError(`loadUCR: path must be a string, got ${showValue(path)}`);
  if (isUCRName(path)) return loadUCRSplit(requireDataset('loadUCR', { kind: 'ucr', name: path }), path, options);
  const missing = readMissing('loadUCR', options);
  const raw = parseRaw(readFileText(path, 'loadUCR'), path, missing);
  return toDataset(raw, sortedClasses(raw.labels));
}

/**
 * NODE ONLY. Loads `${dir}/${name}_TRAIN.tsv` and `${dir}/${name}_TEST.tsv` with one class
 * mapping built from the union of both files' labels, so a label means the same class in both.
 */
export function loadUCRSplit(dir: string, name: string, options?: UCROptions): UCRSplit {
  const missing = readMissing('loadUCRSplit', options);
  const trainPath = joinPath(dir, `${name}_TRAIN.tsv`);
  const testPath = joinPath(dir, `${name}_TEST.tsv`);
  const train = parseRaw(readFileText(trainPath, 'loadUCRSplit'), trainPath, missing);
  const test = parseRaw(readFileText(testPath, 'loadUCRSplit'), testPath, missing);
  if (train.length !== test.length) {
    throw new DataError(`loadUCRSplit: ${trainPath} has series of length ${train.length} but ${testPath} has ${test.length}`);
  }
  const classes = sortedClasses(train.labels, test.labels);
  return { train: toDataset(train, classes), test: toDataset(test, classes), classes };
}
