import 'reflect-metadata';
import { startCommand } from './cli/commands/start.command';
import { createLogger } from './common/logging/create-logger';
import { ConfigError, loadConfig } from './config';
import { serverLogFile } from './runtime/log-file';
import { installSignalHandlers, shutdownInProgress } from './runtime/shutdown';

/** Entry for `node dist/src/main.js` (containers): the same as `payrisk start`. */
async function main(): Promise<void> {
  installSignalHandlers(
    () => true,
    (line) => process.stderr.write(`${line}\n`),
  );
  const config = loadConfig();
  await startCommand(config, createLogger(config.logLevel, { file: serverLogFile(config) }));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    // Stopped mid start-up: the signal handler exits 0 once everything is closed.
    if (shutdownInProgress()) return;
    process.stderr.write(`${error instanceof ConfigError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(error instanceof ConfigError ? 78 : 1);
  },
);
