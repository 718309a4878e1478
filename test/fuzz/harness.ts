// The fuzz harness: seeded fast-check runs where every attempt must end in a clean error of a
// documented class (non-empty message) or in a result the caller checks, and afterwards the arena
// is back at its baseline, Object.prototype is untouched, and a sentinel model built before the
// fuzzing still predicts bit-identical outputs on a fixed input, and the arena can still allocate.
// An attempt that breaks an invariant marks the library copy as poisoned; the next attempt (a
// shrinking step, too) gets a fresh copy (own WebAssembly memory and arena, via vi.resetModules),
// so a minimal counterexample is not an artefact of earlier damage.
import fc from 'fast-check';
import { vi } from 'vitest';

export type Lib = typeof import('../../src/index.ts');
type ErrorClass = abstract new (...args: never[]) => Error;

/** The message start of the one RangeError the runtime documents: a failed memory.grow. */
const OOM = 'cnn1d: cannot grow WebAssembly memory';

/** Error classes of the public API, by name, for a library copy. OutOfMemoryError (a RangeError)
 *  and ModelStateError (use after dispose or a failed build) count once the library exports them;
 *  before that, only a RangeError with the runtime's out-of-memory message counts. */
export function documented(lib: Lib): Record<string, ErrorClass> {
  const optional = lib as unknown as Record<string, ErrorClass | undefined>;
  const classes: Record<string, ErrorClass> = { ConfigError: lib.ConfigError, ModelFormatError: lib.ModelFormatError, TrainingError: lib.TrainingError, DataError: lib.DataError, RangeError };
  for (const name of ['OutOfMemoryError', 'ModelStateError']) if (optional[name]) classes[name] = optional[name]!;
  return classes;
}

/** A broken invariant (not a clean error): fails the property. */
export class Violation extends Error {
  override name = 'Violation';
}

export function expect(ok: unknown, what: string): asserts ok {
  if (!ok) throw new Violation(what);
}

/** The class name of a clean error, or throws a Violation describing the crash. */
export function classify(e: unknown, lib: Lib, allowed: readonly string[]): string {
  if (e instanceof Violation) throw e;
  const classes = documented(lib);
  const err = e as Error;
  const name = allowed.find((n) => classes[n] && e instanceof classes[n] && (n !== 'RangeError' || err.message.startsWith(OOM) || err.name === 'OutOfMemoryError'));
  if (!name) throw new Violation(`crash: ${err?.constructor?.name ?? typeof e}: ${err?.message ?? String(e)}`);
  if (typeof err.message !== 'string' || err.message.trim() === '') throw new Violation(`${name} with an empty message`);
  return name;
}

const SENTINEL_INPUT = Float32Array.from({ length: 3 * 24 * 2 }, (_, i) => Math.sin(i * 0.37) * 0.8);

/** One library copy with its sentinel model and arena baseline. */
export class Env {
  poisoned = false;
  private constructor(
    readonly lib: Lib,
    private readonly sentinel: import('../../src/index.ts').Sequential,
    private readonly expected: Uint8Array,
    readonly baseline: number,
  ) {}

  static async create(): Promise<Env> {
    vi.resetModules();
    const lib: Lib = await import('../../src/index.ts');
    const { layers, sequential, tensor } = lib;
    const sentinel = sequential({
      seed: 7,
      layers: [
        layers.conv1d({ filters: 5, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [24, 2] }),
        layers.batchNormalization(),
        layers.maxPooling1d({ poolSize: 2 }),
        layers.flatten(),
        layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
    sentinel.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    const x = tensor(SENTINEL_INPUT, [3, 24, 2]);
    await sentinel.fit(x, [0, 1, 2], { epochs: 2, verbose: 0 });
    const out = sentinel.predict(x).data;
    const env = new Env(lib, sentinel, new Uint8Array(out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength)), 0);
    (env as { baseline: number }).baseline = lib.runtime().arena.bytesInUse;
    return env;
  }

  bytesInUse(): number {
    return this.lib.runtime().arena.bytesInUse;
  }

  /** Throws a Violation unless the arena can still hand out (and take back) 1 MiB: a failed
   *  allocation must leave it as it was. */
  checkArena(): void {
    const arena = this.lib.runtime().arena;
    let ptr: number;
    try {
      ptr = arena.alloc(1 << 20);
    } catch (e) {
      throw new Violation(`the arena can no longer allocate 1 MiB: ${(e as Error).message}`);
    }
    arena.release(ptr);
  }

  /** Throws a Violation unless the sentinel predicts exactly as before the fuzzing. */
  checkSentinel(): void {
    let out: Float32Array;
    try {
      out = this.sentinel.predict(this.lib.tensor(SENTINEL_INPUT, [3, 24, 2])).data;
    } catch (e) {
      throw new Violation(`the sentinel model now throws ${(e as Error).name}: ${(e as Error).message}`);
    }
    const got = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
    const same = got.length === this.expected.length && got.every((b, i) => b === this.expected[i]);
    expect(same, `the sentinel model's predictions changed: [${[...out.slice(0, 6)].map((v) => v.toPrecision(6))}...]`);
  }
}

function checkPrototypes(): void {
  const polluted = [Object.prototype, Array.prototype, Function.prototype].flatMap((p) => Object.keys(p));
  expect(polluted.length === 0, `prototype pollution: ${polluted.join(', ')}`);
}

/** Tally of outcomes, printed as "fuzz NAME: N attempts: a X, b Y, ...". */
export class Tally {
  readonly counts = new Map<string, number>();
  attempts = 0;
  violations = 0;
  constructor(readonly name: string) {}
  add(outcome: string): void {
    this.counts.set(outcome, (this.counts.get(outcome) ?? 0) + 1);
  }
  line(): string {
    const parts = [...this.counts].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${v} ${k}`);
    const bad = this.violations ? `, ${this.violations} broke an invariant (shrinking included)` : '';
    return `fuzz ${this.name}: ${this.attempts} attempts: ${parts.join(', ') || 'none ended'}${bad}`;
  }
}

export interface FuzzSpec<T> {
  name: string;
  seed: number;
  numRuns: number;
  arb: fc.Arbitrary<T>;
  /** Runs one attempt; returns the outcome name(s) of a success (e.g. 'loaded correctly'), and
   *  disposes whatever it created. Errors are classified by `allowed`. */
  attempt: (env: Env, value: T, tally: Tally) => Promise<string | void> | string | void;
  allowed: readonly string[];
  /** Check the sentinel every `sentinelEvery` attempts (default 1). */
  sentinelEvery?: number;
}

let shared: Env | undefined;

/** Runs a seeded property; prints the tally; rethrows fast-check's report (with the shrunk
 *  counterexample) when an invariant broke. */
export async function fuzz<T>(spec: FuzzSpec<T>): Promise<Tally> {
  const tally = new Tally(spec.name);
  const every = spec.sentinelEvery ?? 1;
  shared ??= await Env.create();
  const prop = fc.asyncProperty(spec.arb, async (value) => {
    if (shared!.poisoned) shared = await Env.create();
    const env = shared!;
    tally.attempts++;
    try {
      let outcome: string;
      try {
        outcome = (await spec.attempt(env, value, tally)) ?? 'ok';
      } catch (e) {
        outcome = classify(e, env.lib, spec.allowed);
      }
      const leaked = env.bytesInUse() - env.baseline;
      expect(leaked === 0, `leak: ${leaked} bytes still in use in the arena after the attempt (outcome ${outcome})`);
      env.checkArena();
      checkPrototypes();
      if (tally.attempts % every === 0) env.checkSentinel();
      if (outcome) tally.add(outcome);
    } catch (e) {
      env.poisoned = true;
      tally.violations++;
      throw e;
    }
  });
  try {
    await fc.assert(prop, { seed: spec.seed, numRuns: spec.numRuns, endOnFailure: false });
  } finally {
    console.log(tally.line());
  }
  return tally;
}
