// A module worker watched from the page: an uncaught error, a message that cannot be
// deserialised, or silence past `timeoutMs` (no answer to the pings sent every `pingMs`, as when
// the worker was closed, crashed or ran out of memory) ends it. The supervisor terminates it,
// starts a fresh one at once (so the next action has a worker) and reports what happened.
// Workers answer { type: 'ping' } with { type: 'pong' }; every message counts as a sign of life.

export interface SupervisorOptions<FromW> {
  /** Every message but pongs. */
  onMessage(msg: FromW): void;
  /** The worker was replaced; `reason` says what happened to the old one. */
  onDeath(reason: string): void;
  /** ms between pings (default 1000). */
  pingMs?: number;
  /** ms of silence after which the worker counts as dead (default 15000: a busy shared machine
   *  can hold a worker's event loop for seconds; the library's fit() yields every ~200 ms). */
  timeoutMs?: number;
}

export class SupervisedWorker<ToW, FromW extends { type: string }> {
  private worker!: Worker;
  private lastHeard = 0;
  private timer = 0;
  /** Workers started so far (1 after the constructor; each replacement adds one). */
  generation = 0;

  constructor(
    private readonly create: () => Worker,
    private readonly options: SupervisorOptions<FromW>,
  ) {
    this.start();
  }

  post(msg: ToW, transfer: Transferable[] = []): void {
    this.worker.postMessage(msg, transfer);
  }

  private start(): void {
    const w = this.create();
    this.generation++;
    this.worker = w;
    this.lastHeard = performance.now();
    w.onmessage = (e: MessageEvent<FromW>) => {
      if (w !== this.worker) return;
      this.lastHeard = performance.now();
      if (e.data?.type !== 'pong') this.options.onMessage(e.data);
    };
    w.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      this.replace(`the worker failed: ${e.message || 'an uncaught error (no message)'}`);
    };
    w.onmessageerror = () => this.replace('a message from the worker could not be read (messageerror)');
    const pingMs = this.options.pingMs ?? 1000;
    const timeoutMs = this.options.timeoutMs ?? 15_000;
    window.clearInterval(this.timer);
    this.timer = window.setInterval(() => {
      if (w !== this.worker) return;
      const silent = performance.now() - this.lastHeard;
      if (silent > timeoutMs) this.replace(`the worker stopped answering for ${(silent / 1000).toFixed(0)} s (closed, crashed or out of memory)`);
      else w.postMessage({ type: 'ping' });
    }, pingMs);
  }

  /** Terminates the worker, starts a fresh one and reports `reason`. */
  replace(reason: string): void {
    this.worker.terminate();
    this.start();
    this.options.onDeath(reason);
  }

  /** Terminates the worker with no report and no replacement: as a crash looks from the page. */
  kill(): void {
    this.worker.terminate();
  }
}
