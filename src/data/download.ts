// NODE ONLY. data.download('fsdd' | 'ucr:NAME'): fetches a dataset from its public home into the
// data directory (data-dir.ts), where data.loadFSDD() and data.loadUCR(NAME) find it.
//   fsdd      the GitHub archive of Jakobovski/free-spoken-digit-dataset at a pinned commit (3,000
//             recordings, 6 speakers); its recordings are checked against a pinned SHA-256 of their
//             contents (the archive's own bytes are GitHub's to change, its files are not).
//   ucr:NAME  timeseriesclassification.com's zip of one UCR dataset (the address aeon downloads);
//             NAME_TRAIN / NAME_TEST are taken as .tsv, .txt or .ts and written as UCR .tsv files.
//             No checksum is published for these zips: the SHA-256 of what arrived is recorded in
//             download.json beside the data, and `sha256` pins one.
// The archive is written to <dir>/.downloads/*.part first: a dropped connection is resumed with an
// HTTP Range request (also by a later call), a server that ignores Range restarts it. The dataset
// is unpacked into a temporary folder and renamed into place, so a folder that exists is complete.
// Like node-fs.ts this module imports no node: module: fs, crypto and zlib come from
// process.getBuiltinModule at call time; fetch is Node's own.

import { checkKeys, ConfigError, showValue } from '../layers/args.ts';
import { DataError } from './errors.ts';
import { dataDir, datasetName, datasetPath, parseDataset, type Dataset, type DatasetName } from './data-dir.ts';
import { joinPath, nodeFs } from './node-fs.ts';
import { parseUCR } from './ucr.ts';
import { unzipEntry, zipEntries } from './zip.ts';

export interface DownloadOptions {
  /** The data directory to put the dataset in; default dataDir() (CNN1D_DATA_DIR, else ~/.cache/cnn1d). */
  dataDir?: string;
  /** Another address for the archive (a mirror, a local server); the built-in content checksum
   *  of FSDD then does not apply (pass `sha256` instead). */
  url?: string;
  /** The archive's expected SHA-256 (64 hex digits): on a mismatch the file is deleted and the call throws. */
  sha256?: string;
  /** Download again even when the dataset is already in the data directory. Default false. */
  force?: boolean;
  /** Called as bytes arrive (`total` is -1 when the server does not say). Default: a progress bar
   *  on stderr when stderr is a terminal, else nothing. */
  onProgress?: (received: number, total: number) => void;
  /** How many times a dropped connection is resumed within the call. Default 3. */
  retries?: number;
}

const FSDD_COMMIT = '26eb9aaf76e81b692f806f9140c2d2777410d7a1';
/** SHA-256 of the lines "<file> <sha256 of the file>\n" of the 3,000 recordings/*.wav at
 *  FSDD_COMMIT, sorted by file name (computed from the repository's git blobs). */
export const FSDD_RECORDINGS_SHA256 = 'dbd573d7cafe79c4b49f65718115e1304e24e067fa39eff18a660dc6cb9c360f';

/** Where each dataset is downloaded from. */
export function sourceUrl(d: Dataset): string {
  return d.kind === 'fsdd'
    ? `https://github.com/Jakobovski/free-spoken-digit-dataset/archive/${FSDD_COMMIT}.zip`
    : `https://timeseriesclassification.com/aeon-toolkit/${d.name}.zip`;
}

interface Fs {
  existsSync(p: string): boolean;
  statSync(p: string): { size: number };
  mkdirSync(p: string, o: { recursive: true }): void;
  rmSync(p: string, o: { recursive?: boolean; force?: boolean }): void;
  renameSync(a: string, b: string): void;
  openSync(p: string, flags: string): number;
  writeSync(fd: number, data: Uint8Array): number;
  closeSync(fd: number): void;
  readFileSync(p: string): Uint8Array;
  writeFileSync(p: string, data: string | Uint8Array): void;
}

interface Crypto {
  createHash(alg: 'sha256'): { update(d: Uint8Array | string): { digest(enc: 'hex'): string } };
}

function sha256(bytes: Uint8Array | string): string {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return (proc!.getBuiltinModule!('node:crypto') as Crypto).createHash('sha256').update(bytes).digest('hex');
}

const KEYS = ['dataDir', 'url', 'sha256', 'force', 'onProgress', 'retries'];

function checkOptions(o: DownloadOptions): void {
  checkKeys('download', o, KEYS);
  for (const k of ['dataDir', 'url'] as const) {
    if (o[k] !== undefined && (typeof o[k] !== 'string' || o[k] === '')) throw new ConfigError(`download: ${k} must be a non-empty string, got ${showValue(o[k])}`);
  }
  if (o.sha256 !== undefined && !(typeof o.sha256 === 'string' && /^[0-9a-f]{64}$/i.test(o.sha256))) {
    throw new ConfigError(`download: sha256 must be 64 hexadecimal digits, got ${showValue(o.sha256)}`);
  }
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') throw new ConfigError(`download: onProgress must be a function (received, total) => void, got ${showValue(o.onProgress)}`);
  if (o.retries !== undefined && !(Number.isSafeInteger(o.retries) && o.retries >= 0)) throw new ConfigError(`download: retries must be an integer >= 0, got ${showValue(o.retries)}`);
}

/** A progress bar redrawn in place on stderr, at most 10 times a second; undefined off a terminal. */
function terminalBar(label: string): ((received: number, total: number) => void) | undefined {
  const err = (globalThis as { process?: { stderr?: { isTTY?: boolean; write(s: string): void } } }).process?.stderr;
  if (!err?.isTTY) return undefined;
  let last = 0;
  const mb = (n: number) => (n / 1e6).toFixed(1);
  return (received, total) => {
    const now = Date.now();
    const done = total >= 0 && received >= total;
    if (now - last < 100 && !done) return;
    last = now;
    const width = 30;
    const filled = total > 0 ? Math.round((width * received) / total) : 0;
    const bar = total > 0 ? `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${((100 * received) / total).toFixed(0).padStart(3)}% ` : '';
    err.write(`\r${label} ${bar}${mb(received)}${total > 0 ? ` / ${mb(total)}` : ''} MB${done ? '\n' : ''}`);
  };
}

function errorCode(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (e as Error).message;
}

/** Fetches `url` into `file`, through `file`.part, resuming with Range requests. */
async function fetchResumable(url: string, file: string, fs: Fs, where: string, o: DownloadOptions, progress?: (r: number, t: number) => void): Promise<void> {
  const part = `${file}.part`;
  const retries = o.retries ?? 3;
  for (let attempt = 0; ; attempt++) {
    const have = fs.existsSync(part) ? fs.statSync(part).size : 0;
    let res: Response;
    try {
      res = await fetch(url, { headers: have > 0 ? { Range: `bytes=${have}-` } : {}, redirect: 'follow' });
    } catch (e) {
      throw new DataError(
        `download: cannot reach ${url} (${errorCode(e)}): no network here? Download it elsewhere and unpack it into ${where}, ` +
          `or set CNN1D_DATA_DIR to a data directory that has it${have > 0 ? `; ${have} bytes are kept in ${part} and the next call resumes` : ''}`,
      );
    }
    if (res.status === 416 && have > 0) {
      fs.rmSync(part, { force: true }); // the partial file does not fit what the server has now
      continue;
    }
    if (!res.ok || !res.body) throw new DataError(`download: GET ${url} answered HTTP ${res.status} ${res.statusText}`.trim());
    let start = 0;
    let total = -1;
    const length = Number(res.headers.get('content-length') ?? NaN);
    if (res.status === 206) {
      const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(res.headers.get('content-range') ?? '');
      if (!m || Number(m[1]) !== have) throw new DataError(`download: ${url} answered a Range request for bytes ${have}- with Content-Range ${showValue(res.headers.get('content-range'))}`);
      start = have;
      total = m[3] !== '*' ? Number(m[3]) : Number.isFinite(length) ? have + length : -1;
    } else if (Number.isFinite(length)) total = length; // 200: the whole file again, from 0
    const fd = fs.openSync(part, start > 0 ? 'a' : 'w');
    let received = start;
    let dropped: unknown = null;
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        fs.writeSync(fd, chunk);
        received += chunk.length;
        progress?.(received, total);
      }
    } catch (e) {
      dropped = e;
    } finally {
      fs.closeSync(fd);
    }
    if (!dropped && total >= 0 && received > total) {
      fs.rmSync(part, { force: true });
      throw new DataError(`download: ${url} sent ${received} bytes, more than the ${total} it announced; the partial file was deleted`);
    }
    if (!dropped && (total < 0 || received === total)) {
      fs.renameSync(part, file);
      return;
    }
    if (attempt >= retries) {
      throw new DataError(
        `download: ${url} stopped at ${received} of ${total >= 0 ? total : 'unknown'} bytes (${dropped ? errorCode(dropped) : 'connection closed'}) ` +
          `after ${retries} resumed attempts; ${part} is kept and the next call resumes from it`,
      );
    }
  }
}

/** FSDD: every recordings/*.wav of the archive into <out>/recordings; returns the contents' checksum. */
function unpackFSDD(bytes: Uint8Array, out: string, fs: Fs, source: string): { files: number; contentSha256: string } {
  const wavs = zipEntries(bytes, source).filter((e) => /(^|\/)recordings\/[^/]+\.wav$/i.test(e.name));
  if (wavs.length === 0) throw new DataError(`${source}: no recordings/*.wav in the archive; is it the Free Spoken Digit Dataset?`);
  fs.mkdirSync(joinPath(out, 'recordings'), { recursive: true });
  const lines: string[] = [];
  for (const e of wavs) {
    const name = e.name.slice(e.name.lastIndexOf('/') + 1);
    const data = unzipEntry(bytes, e, source);
    fs.writeFileSync(joinPath(joinPath(out, 'recordings'), name), data);
    lines.push(`${name} ${sha256(data)}\n`);
  }
  lines.sort();
  return { files: wavs.length, contentSha256: sha256(lines.join('')) };
}

/** One UCR .ts file (aeon/sktime format: @-headers, then "v1,v2,...:label" a line) as UCR .tsv text;
 *  variable-length series are padded with NaN to the longest, as the UCR 2018 .tsv files are. */
export function tsToTsv(text: string, source: string): string {
  const rows: { label: string; values: string[] }[] = [];
  let inData = false;
  text.split(/\r\n|\n|\r/).forEach((line, i) => {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) return;
    if (!inData) {
      if (/^@data$/i.test(t)) inData = true;
      return;
    }
    const parts = t.split(':');
    if (parts.length !== 2) throw new DataError(`${source}, line ${i + 1}: expected "values:label" (one dimension), got ${parts.length - 1} dimensions; cnn1d's UCR loader reads univariate series`);
    rows.push({ label: parts[1].trim(), values: parts[0].split(',').map((v) => (v.trim() === '?' ? 'NaN' : v.trim())) });
  });
  if (!inData || rows.length === 0) throw new DataError(`${source}: no @data section with series`);
  const L = Math.max(...rows.map((r) => r.values.length));
  return rows.map((r) => [r.label, ...r.values, ...Array(L - r.values.length).fill('NaN')].join('\t')).join('\n') + '\n';
}

/** UCR: NAME_TRAIN and NAME_TEST (.tsv, .txt or .ts) into <out>/NAME_{TRAIN,TEST}.tsv. */
function unpackUCR(bytes: Uint8Array, out: string, name: string, fs: Fs, source: string): { files: number; contentSha256: string } {
  const entries = zipEntries(bytes, source);
  const base = (e: { name: string }) => e.name.slice(e.name.lastIndexOf('/') + 1);
  fs.mkdirSync(out, { recursive: true });
  const lines: string[] = [];
  for (const split of ['TRAIN', 'TEST']) {
    let text: string | null = null;
    for (const ext of ['tsv', 'txt', 'ts']) {
      const e = entries.find((x) => base(x).toLowerCase() === `${name}_${split}.${ext}`.toLowerCase());
      if (!e) continue;
      const raw = new TextDecoder().decode(unzipEntry(bytes, e, source));
      const where = `${source}: ${e.name}`;
      text = ext === 'ts' ? tsToTsv(raw, where) : ext === 'txt' ? raw.split(/\r\n|\n|\r/).filter((l) => l.trim() !== '').map((l) => l.trim().split(/[\s,]+/).join('\t')).join('\n') + '\n' : raw;
      parseUCR(text, { missing: 'interpolate' }, where); // a file loadUCR cannot read fails here, naming it
      break;
    }
    if (text === null) {
      throw new DataError(`${source}: no ${name}_${split}.tsv, .txt or .ts in the archive (it has ${entries.slice(0, 8).map(base).join(', ')}${entries.length > 8 ? ', ...' : ''})`);
    }
    fs.writeFileSync(joinPath(out, `${name}_${split}.tsv`), text);
    lines.push(`${name}_${split}.tsv ${sha256(text)}\n`);
  }
  return { files: 2, contentSha256: sha256(lines.join('')) };
}

/** Whether the dataset is already unpacked in `path` (downloaded, or copied there by hand). */
function present(d: Dataset, path: string, fs: Fs): boolean {
  return d.kind === 'fsdd' ? fs.existsSync(joinPath(path, 'recordings')) : fs.existsSync(joinPath(path, `${d.name}_TRAIN.tsv`));
}

/**
 * NODE ONLY. Downloads a dataset into the data directory and returns its folder:
 * `await data.download('fsdd')` then `data.loadFSDD()`; `await data.download('ucr:ECG200')` then
 * `data.loadUCR('ECG200')`. A dataset already there is not downloaded again (unless `force`).
 */
export async function download(name: DatasetName, options: DownloadOptions = {}): Promise<string> {
  checkOptions(options);
  const d = parseDataset('download', name);
  const fs = nodeFs('download') as unknown as Fs;
  const root = options.dataDir ?? dataDir();
  const dest = datasetPath(d, root);
  if (!options.force && present(d, dest, fs)) return dest;
  const url = options.url ?? sourceUrl(d);
  const downloads = joinPath(root, '.downloads');
  fs.mkdirSync(downloads, { recursive: true });
  const archive = joinPath(downloads, d.kind === 'fsdd' ? 'fsdd.zip' : `ucr-${d.name}.zip`);
  const label = datasetName(d);
  await fetchResumable(url, archive, fs, dest, options, options.onProgress ?? terminalBar(`${label}: ${url}`));
  const bytes = fs.readFileSync(archive);
  const archiveSha256 = sha256(bytes);
  const refuse = (why: string): never => {
    fs.rmSync(archive, { force: true });
    throw new DataError(`download: ${url}: ${why}; the downloaded file was deleted`);
  };
  if (options.sha256 && archiveSha256 !== options.sha256.toLowerCase()) refuse(`SHA-256 ${archiveSha256}, expected ${options.sha256.toLowerCase()}`);
  if (!(bytes[0] === 0x50 && bytes[1] === 0x4b)) {
    const head = new TextDecoder().decode(bytes.subarray(0, 64)).replace(/\s+/g, ' ').trim();
    refuse(`not a zip archive (it starts ${showValue(head)})${d.kind === 'ucr' ? `: is ${d.name} a dataset that timeseriesclassification.com serves?` : ''}`);
  }
  const tmp = `${dest}.partial-${(globalThis as { process?: { pid?: number } }).process?.pid ?? 0}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  try {
    const unpacked = d.kind === 'fsdd' ? unpackFSDD(bytes, tmp, fs, archive) : unpackUCR(bytes, tmp, d.name, fs, archive);
    if (d.kind === 'fsdd' && options.url === undefined && unpacked.contentSha256 !== FSDD_RECORDINGS_SHA256) {
      refuse(`the recordings' contents have SHA-256 ${unpacked.contentSha256}, expected ${FSDD_RECORDINGS_SHA256} (commit ${FSDD_COMMIT})`);
    }
    const record = { dataset: label, url, archiveSha256, bytes: bytes.length, files: unpacked.files, contentSha256: unpacked.contentSha256, downloaded: new Date().toISOString() };
    fs.writeFileSync(joinPath(tmp, 'download.json'), JSON.stringify(record, null, 1) + '\n');
    fs.rmSync(dest, { recursive: true, force: true });
    fs.mkdirSync(joinPath(dest, '..'), { recursive: true });
    fs.renameSync(tmp, dest);
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  fs.rmSync(archive, { force: true });
  return dest;
}
