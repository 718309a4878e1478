// Protocol-buffer wire format (https://protobuf.dev/programming-guides/encoding/), the part the
// ONNX messages use: varints (int32, int64, enums; negative values as 10-byte two's complement),
// 32-bit floats (wire type 5), length-delimited fields (strings, bytes, sub-messages, packed
// repeated scalars), and the 64-bit fixed type skipped. Groups (wire types 3, 4) are refused.
// Every read is bounded by the bytes it was given: a truncated or corrupt message throws, it
// never reads past its end, loops or allocates more than its own length.

import { ModelFormatError } from '../errors.ts';

export const WIRE = { varint: 0, fixed64: 1, bytes: 2, fixed32: 5 } as const;

const fail = (m: string): never => {
  throw new ModelFormatError(`onnx: ${m}`);
};

/** A window [pos, end) of a byte array, read front to back. */
export class Reader {
  pos: number;
  private readonly view: DataView;
  constructor(
    readonly buf: Uint8Array,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** A varint as a number: int64 values beyond +-2^53 are refused (no ONNX dim or attribute
   *  cnn1d reads comes near); negative values are 10-byte two's complement. */
  varint(what: string): number {
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) fail(`${what}: truncated varint at byte ${this.pos}`);
      const b = this.buf[this.pos++];
      if (i < 4) lo |= (b & 0x7f) << (7 * i);
      else if (i === 4) {
        lo |= (b & 0x0f) << 28;
        hi |= (b & 0x70) >> 4;
      } else hi |= (b & 0x7f) << (7 * i - 32);
      if ((b & 0x80) === 0) {
        const v = (hi | 0) * 2 ** 32 + (lo >>> 0);
        if (!Number.isSafeInteger(v)) fail(`${what}: integer ${hi < 0 ? '< -2^53' : '> 2^53'} is out of range`);
        return v;
      }
    }
    return fail(`${what}: varint longer than 10 bytes at byte ${this.pos}`);
  }

  float32(what: string): number {
    if (this.pos + 4 > this.end) fail(`${what}: truncated float at byte ${this.pos}`);
    const v = this.view.getFloat32(this.pos, true);
    this.pos += 4;
    return v;
  }

  /** The [start, end) of a length-delimited field's payload; the reader moves past it. */
  span(what: string): [number, number] {
    const n = this.varint(what);
    if (n < 0 || n > this.end - this.pos) fail(`${what}: length ${n} runs past the end of its message (${this.end - this.pos} bytes left at byte ${this.pos})`);
    const s = this.pos;
    this.pos += n;
    return [s, this.pos];
  }

  bytes(what: string): Uint8Array {
    const [s, e] = this.span(what);
    return this.buf.subarray(s, e);
  }

  string(what: string): string {
    return new TextDecoder('utf-8', { fatal: false }).decode(this.bytes(what));
  }

  /** A sub-reader over a length-delimited field. */
  message(what: string): Reader {
    const [s, e] = this.span(what);
    return new Reader(this.buf, s, e);
  }

  skip(wire: number, what: string): void {
    if (wire === WIRE.varint) this.varint(what);
    else if (wire === WIRE.bytes) this.span(what);
    else if (wire === WIRE.fixed32 || wire === WIRE.fixed64) {
      const n = wire === WIRE.fixed32 ? 4 : 8;
      if (this.pos + n > this.end) fail(`${what}: truncated fixed field at byte ${this.pos}`);
      this.pos += n;
    } else fail(`${what}: wire type ${wire} at byte ${this.pos} is not used by ONNX (groups are refused; corrupt file?)`);
  }

  /** Calls `on(field, wire)` for each field of the message until its end; `on` reads the value
   *  (or returns false to have it skipped). */
  fields(what: string, on: (field: number, wire: number) => boolean | void): void {
    while (this.pos < this.end) {
      const key = this.varint(`${what} field key`);
      const field = Math.floor(key / 8);
      const wire = key % 8;
      if (field < 1) fail(`${what}: field number 0 at byte ${this.pos} (corrupt file?)`);
      if (on(field, wire) === false) this.skip(wire, `${what} field ${field}`);
    }
  }

  /** Repeated varints, packed (wire type 2) or one per field (wire type 0). */
  varints(wire: number, what: string, into: number[]): void {
    if (wire === WIRE.varint) into.push(this.varint(what));
    else if (wire === WIRE.bytes) {
      const r = this.message(what);
      while (!r.done) into.push(r.varint(what));
    } else fail(`${what}: wire type ${wire}, expected a varint (0) or packed varints (2)`);
  }

  /** Repeated floats, packed (wire type 2) or one per field (wire type 5). */
  floats(wire: number, what: string, into: number[]): void {
    if (wire === WIRE.fixed32) into.push(this.float32(what));
    else if (wire === WIRE.bytes) {
      const [s, e] = this.span(what);
      if ((e - s) % 4 !== 0) fail(`${what}: packed floats of ${e - s} bytes, not a multiple of 4`);
      const r = new Reader(this.buf, s, e);
      while (!r.done) into.push(r.float32(what));
    } else fail(`${what}: wire type ${wire}, expected a float (5) or packed floats (2)`);
  }

  /** Checks the wire type of a field before its value is read. */
  expect(wire: number, want: number, what: string): void {
    if (wire !== want) fail(`${what}: wire type ${wire}, expected ${want}`);
  }
}

/** Growable output; sub-messages are written into their own Writer and copied in with a length. */
export class Writer {
  private buf = new Uint8Array(256);
  private n = 0;

  private reserve(k: number): void {
    if (this.n + k <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.n + k));
    next.set(this.buf.subarray(0, this.n));
    this.buf = next;
  }

  private rawVarint(v: number): void {
    this.reserve(10);
    // negative int64: two's complement over 64 bits, 10 bytes
    const high = Math.floor(v / 2 ** 32);
    let hi = high >>> 0;
    let lo = (v - high * 2 ** 32) >>> 0;
    while (hi !== 0 || lo > 0x7f) {
      this.buf[this.n++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    this.buf[this.n++] = lo;
  }

  private key(field: number, wire: number): void {
    this.rawVarint(field * 8 + wire);
  }

  varint(field: number, v: number): this {
    this.key(field, WIRE.varint);
    this.rawVarint(v);
    return this;
  }

  float(field: number, v: number): this {
    this.key(field, WIRE.fixed32);
    this.reserve(4);
    new DataView(this.buf.buffer).setFloat32(this.n, v, true);
    this.n += 4;
    return this;
  }

  bytes(field: number, b: Uint8Array): this {
    this.key(field, WIRE.bytes);
    this.rawVarint(b.length);
    this.reserve(b.length);
    this.buf.set(b, this.n);
    this.n += b.length;
    return this;
  }

  string(field: number, s: string): this {
    return this.bytes(field, new TextEncoder().encode(s));
  }

  message(field: number, w: Writer): this {
    return this.bytes(field, w.finish());
  }

  packedVarints(field: number, vs: readonly number[]): this {
    const w = new Writer();
    for (const v of vs) w.rawVarint(v);
    return this.bytes(field, w.finish());
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.n);
  }
}
