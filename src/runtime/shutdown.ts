/**
 * One owner for SIGINT/SIGTERM. Resources register closers as they open; on a signal
 * they close in reverse order (HTTP server, then pool, then embedded Postgres), so
 * nothing is left running and nothing is torn down under a live request.
 */
type Closer = () => Promise<void>;

const closers: Closer[] = [];
let installed = false;
let shuttingDown: Promise<void> | undefined;

export function onShutdown(closer: Closer): () => void {
  closers.push(closer);
  return () => {
    const index = closers.lastIndexOf(closer);
    if (index >= 0) closers.splice(index, 1);
  };
}

/** Set once a signal (or a caller) began the shutdown: a command failing after that failed because of it. */
export function shutdownInProgress(): Promise<void> | undefined {
  return shuttingDown;
}

export function shutdown(): Promise<void> {
  shuttingDown ??= (async () => {
    while (closers.length > 0) {
      const closer = closers.pop() as Closer;
      await closer().catch((error: unknown) => process.stderr.write(`shutdown: ${String(error)}\n`));
    }
  })();
  return shuttingDown;
}

/**
 * Installs the handlers once. `graceful` signals (the server's Ctrl-C) exit 0 after
 * closing; an interrupted one-shot command exits 130/143 as shells expect.
 */
export function installSignalHandlers(isGraceful: () => boolean, log: (line: string) => void): void {
  if (installed) return;
  installed = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      log(`${signal} received, shutting down`);
      void shutdown().then(() => process.exit(isGraceful() ? 0 : signal === 'SIGINT' ? 130 : 143));
    });
  }
}
