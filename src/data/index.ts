// The data module: loaders, preprocessing and built-in datasets.
// NODE ONLY (read files by path, via process.getBuiltinModule): loadUCR, loadUCRSplit,
// readWav(path), loadWavFolder, loadFSDD, fromUCRFile, fromWavFolder, download, dataDir.
// Everything else, including readWav(bytes), decodeWav and parseUCR, is browser-safe; importing
// this module never imports node:fs.

import { builtin } from './builtin.ts';
import { toCategorical } from './categorical.ts';
import { DataError } from './errors.ts';
import { zNormalize } from './normalize.ts';
import { padOrCrop } from './pad.ts';
import { shuffleIndices, stratifiedSplit } from './split.ts';
import { loadUCR, loadUCRSplit, parseUCR } from './ucr.ts';
import { loadFSDD, loadWavFolder } from './wav-folder.ts';
import { decodeWav, readWav } from './wav.ts';
import { slidingWindows } from './sliding-windows.ts';
import { fromUCRFile, UCRFileDataset } from './ucr-stream.ts';
import { fromWavFolder, WavFolderDataset } from './wav-stream.ts';
import { dataDir } from './data-dir.ts';
import { download } from './download.ts';
import { UCR_NAMES } from './ucr-names.ts';

export { builtin, toCategorical, DataError, zNormalize, padOrCrop, shuffleIndices, stratifiedSplit };
export { loadUCR, loadUCRSplit, parseUCR, loadFSDD, loadWavFolder, decodeWav, readWav };
export { slidingWindows, fromUCRFile, UCRFileDataset, fromWavFolder, WavFolderDataset };
export { dataDir, download, UCR_NAMES };
export type { DatasetName } from './data-dir.ts';
export type { DownloadOptions } from './download.ts';
export type { UCRName } from './ucr-names.ts';
export type { UCRStreamOptions } from './ucr-stream.ts';
export type { WavStreamOptions } from './wav-stream.ts';
export type { SlidingWindowOptions } from './sliding-windows.ts';
export type { SyntheticOptions, SyntheticDataset, BuiltinName } from './builtin.ts';
export type { Align, PadOrCropOptions } from './pad.ts';
export type { SplitOptions } from './split.ts';
export type { UCROptions, UCRDataset, UCRSplit } from './ucr.ts';
export type { WavFolderOptions, WavDataset } from './wav-folder.ts';
export type { WavData } from './wav.ts';

/** The data module as one namespace: `data.loadUCR(...)`, `data.builtin.cbf(...)`, ... */
export const data = {
  loadUCR,
  loadUCRSplit,
  parseUCR,
  readWav,
  decodeWav,
  loadWavFolder,
  loadFSDD,
  zNormalize,
  padOrCrop,
  toCategorical,
  stratifiedSplit,
  shuffleIndices,
  builtin,
  slidingWindows,
  fromUCRFile,
  fromWavFolder,
  download,
  dataDir,
  UCR_NAMES,
};
