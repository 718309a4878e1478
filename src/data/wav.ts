// RIFF/WAVE decoding. The byte parser is synchronous and browser-safe; only readWav(path) needs
// Node. Layout (Microsoft RIFF spec): "RIFF" u32 size "WAVE", then chunks (id u32-size body,
// padded to an even size). "fmt " holds the format code, channels, rate and bits per sample;
// WAVE_FORMAT_EXTENSIBLE (0xFFFE) carries the real code in the first 2 bytes of its SubFormat GUID.

import { ConfigError, showValue } from '../layers/args.ts';
import { DataError } from './errors.ts';
import { readFileBytes } from './node-fs.ts';

export interface WavData {
  sampleRate: number;
  channels: number;
  /** [frames] channel 0 of a mono file, or the mean of the channels. */
  samples: Float32Array;
  /** channels x [frames], integers scaled to [-1, 1). */
  channelData: Float32Array[];
}

const PCM = 1;
const FLOAT = 3;
const EXTENSIBLE = 0xfffe;
const FORMAT_NAMES: Record<number, string> = { 2: 'Microsoft ADPCM', 6: 'A-law', 7: 'mu-law', 0x11: 'IMA ADPCM', 0x55: 'MPEG layer 3' };

interface Fmt {
  format: number;
  channels: number;
  sampleRate: number;
  blockAlign: number;
  bits: number;
}

function tag(view: DataView, at: number): string {
  return String.fromCharCode(view.getUint8(at), view.getUint8(at + 1), view.getUint8(at + 2), view.getUint8(at + 3));
}

function parseFmt(view: DataView, at: number, size: number, src: string): Fmt {
  if (size < 16) throw new DataError(`${src}: fmt chunk is ${size} bytes, needs at least 16`);
  let format = view.getUint16(at, true);
  const channels = view.getUint16(at + 2, true);
  const sampleRate = view.getUint32(at + 4, true);
  const blockAlign = view.getUint16(at + 12, true);
  const bits = view.getUint16(at + 14, true);
  if (format === EXTENSIBLE) {
    if (size < 40) throw new DataError(`${src}: WAVE_FORMAT_EXTENSIBLE fmt chunk is ${size} bytes, needs 40`);
    format = view.getUint16(at + 24, true); // SubFormat GUID starts with the format code
  }
  if (format !== PCM && format !== FLOAT) {
    const known = FORMAT_NAMES[format] ? ` (${FORMAT_NAMES[format]})` : '';
    throw new DataError(`${src}: unsupported format code ${format}${known}; supported are 1 (integer PCM) and 3 (IEEE float), also inside WAVE_FORMAT_EXTENSIBLE`);
  }
  const okBits = format === PCM ? [8, 16, 24, 32] : [32, 64];
  if (!okBits.includes(bits)) throw new DataError(`${src}: unsupported ${format === PCM ? 'PCM' : 'float'} sample size ${bits} bits; supported are ${okBits.join(', ')}`);
  if (channels < 1) throw new DataError(`${src}: fmt chunk declares ${channels} channels`);
  if (sampleRate < 1) throw new DataError(`${src}: fmt chunk declares a sample rate of ${sampleRate} Hz`);
  if (blockAlign < (channels * bits) / 8) throw new DataError(`${src}: block align ${blockAlign} is smaller than ${channels} channels x ${bits / 8} bytes`);
  return { format, channels, sampleRate, blockAlign, bits };
}

/** One sample at byte offset p, scaled to [-1, 1) for integers. */
function sampleReader(view: DataView, fmt: Fmt): (p: number) => number {
  if (fmt.format === FLOAT) return fmt.bits === 32 ? (p) => view.getFloat32(p, true) : (p) => view.getFloat64(p, true);
  switch (fmt.bits) {
    case 8:
      return (p) => (view.getUint8(p) - 128) / 128; // 8-bit WAV is unsigned, 128 = silence
    case 16:
      return (p) => view.getInt16(p, true) / 32768;
    case 24:
      return (p) => ((view.getUint8(p) | (view.getUint8(p + 1) << 8) | (view.getInt8(p + 2) << 16)) / 8388608);
    default:
      return (p) => view.getInt32(p, true) / 2147483648;
  }
}

/** Float samples must be finite (a NaN or Infinity in IEEE-float audio means a corrupt file);
 *  float64 values beyond the float32 range become Infinity here, so they are caught too. */
function checkFinite(channelData: Float32Array[], src: string): void {
  channelData.forEach((ch, c) => {
    for (let i = 0; i < ch.length; i++) {
      if (!Number.isFinite(ch[i])) throw new DataError(`${src}: sample ${i} of channel ${c} is ${ch[i]}; float audio must be finite (corrupt file?)`);
    }
  });
}

function toView(bytes: Uint8Array | ArrayBuffer): DataView {
  if (bytes instanceof ArrayBuffer) return new DataView(bytes);
  if (bytes instanceof Uint8Array) return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  throw new ConfigError(`readWav: expected a path, a Uint8Array or an ArrayBuffer, got ${showValue(bytes)}`);
}

/** Decodes WAV bytes (browser-safe). `source` names the input in error messages. */
export function decodeWav(bytes: Uint8Array | ArrayBuffer, source = 'WAV bytes'): WavData {
  const view = toView(bytes);
  const end = view.byteLength;
  if (end < 12 || tag(view, 0) !== 'RIFF' || tag(view, 8) !== 'WAVE') {
    throw new DataError(`${source}: not a RIFF/WAVE file (expected "RIFF....WAVE" in the first 12 bytes${end < 12 ? `, got only ${end} bytes` : ''})`);
  }
  let fmt: Fmt | undefined;
  let dataAt = -1;
  let dataSize = 0;
  for (let at = 12; at + 8 <= end; ) {
    const id = tag(view, at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    const available = end - body;
    if (id === 'data') {
      if (size > available) throw new DataError(`${source}: truncated file: data chunk declares ${size} bytes but only ${available} are available`);
      dataAt = body;
      dataSize = size;
    } else if (size > available) {
      if (fmt && dataAt >= 0) break; // trailing junk after the audio: ignore
      throw new DataError(`${source}: truncated file: "${id}" chunk declares ${size} bytes but only ${available} are available`);
    } else if (id === 'fmt ') {
      fmt = parseFmt(view, body, size, source);
    }
    at = body + size + (size & 1); // chunks are padded to an even size
  }
  if (!fmt) throw new DataError(`${source}: missing fmt chunk`);
  if (dataAt < 0) throw new DataError(`${source}: missing data chunk`);
  const frames = Math.floor(dataSize / fmt.blockAlign);
  const read = sampleReader(view, fmt);
  const width = fmt.bits / 8;
  const channelData = Array.from({ length: fmt.channels }, () => new Float32Array(frames));
  for (let c = 0; c < fmt.channels; c++) {
    const out = channelData[c];
    for (let i = 0, p = dataAt + c * width; i < frames; i++, p += fmt.blockAlign) out[i] = read(p);
  }
  if (fmt.format === FLOAT) checkFinite(channelData, source);
  let samples = channelData[0];
  if (fmt.channels > 1) {
    samples = new Float32Array(frames);
    for (const ch of channelData) for (let i = 0; i < frames; i++) samples[i] += ch[i];
    for (let i = 0; i < frames; i++) samples[i] /= fmt.channels;
  }
  return { sampleRate: fmt.sampleRate, channels: fmt.channels, samples, channelData };
}

/**
 * Reads a WAV file: PCM 8/16/24/32-bit integer, 32/64-bit float, plain or WAVE_FORMAT_EXTENSIBLE.
 * Given bytes it is synchronous and browser-safe; given a path it is NODE ONLY.
 */
export function readWav(pathOrBytes: string | Uint8Array | ArrayBuffer): WavData {
  if (typeof pathOrBytes === 'string') return decodeWav(readFileBytes(pathOrBytes, 'readWav'), pathOrBytes);
  return decodeWav(pathOrBytes);
}
