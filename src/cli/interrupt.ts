// NODE ONLY. Ctrl-C (SIGINT) and SIGTERM during a command: the registered clean-ups run (a train
// removes the --out folder it created), one line goes to stderr, and the process exits with the
// shell's code for the signal (130, 143). fit yields to the event loop between batches, so the
// handler runs within one training step.

const cleanups = new Set<() => string | void>();
let installed = false;

function interrupted(signal: 'SIGINT' | 'SIGTERM'): void {
  const done: string[] = [];
  for (const fn of cleanups) {
    try {
      const what = fn();
      if (what) done.push(what);
    } catch {
      // an interrupted run exits anyway; a clean-up that fails leaves what it could not remove
    }
  }
  console.error(`${process.stdout.isTTY ? '\n' : ''}cnn1d: interrupted by ${signal}${done.length ? `; ${done.join('; ')}` : ''}`);
  process.exit(signal === 'SIGINT' ? 130 : 143);
}

/** Runs `fn` if the process is interrupted before the returned function is called. `fn` may
 *  return what it did, for the message. */
export function onInterrupt(fn: () => string | void): () => void {
  if (!installed) {
    process.on('SIGINT', () => interrupted('SIGINT'));
    process.on('SIGTERM', () => interrupted('SIGTERM'));
    installed = true;
  }
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}
