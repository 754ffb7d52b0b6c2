#!/usr/bin/env node
import 'reflect-metadata';
import type { Logger } from 'pino';
import { Logger as NestLogger } from '@nestjs/common';
import { buildProgram } from './cli/build-program';
import { PinoNestLogger } from './cli/pino-nest-logger';
import { NotImplementedError } from './cli/not-implemented';
import { CliError, describeError } from './cli/cli-error';
import { AppConfig, ConfigError, loadConfig } from './config';
import { createLogger } from './common/logging/create-logger';
import { serverLogFile } from './runtime/log-file';
import { installSignalHandlers, shutdownInProgress } from './runtime/shutdown';

/** Exit codes: 1 failure, 2 not implemented, 78 configuration error (sysexits EX_CONFIG). */
async function main(): Promise<void> {
  let config: AppConfig | undefined;
  let logger: Logger | undefined;
  const isServer = () => ['start', 'sandbox', 'worker'].includes(program.args[0]);
  const context = {
    config: () => (config ??= loadConfig()),
    logger: () =>
      (logger ??= createLogger(context.config().logLevel, {
        toStderr: !isServer(),
        file: program.args[0] === 'start' ? serverLogFile(context.config()) : undefined,
      })),
  };
  const program = buildProgram(context);
  // `start` replaces this with nestjs-pino once the app exists.
  NestLogger.overrideLogger(new PinoNestLogger(context.logger));
  // Long-running servers (start, sandbox) treat Ctrl-C as a normal end; one-shot commands report the interruption.
  installSignalHandlers(isServer, (line) => process.stderr.write(`${line}\n`));
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    const stopping = shutdownInProgress();
    if (stopping) {
      // Ctrl-C while the command was starting: its failure is the shutdown's doing; the signal handler exits.
      await stopping;
      return;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nFix the value above and run the command again.\n`);
      process.exitCode = 78;
    } else if (error instanceof NotImplementedError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 2;
    } else {
      // Never "undefined": describeError names the cause whatever was thrown; CliErrors also say what to do.
      process.stderr.write(`payrisk: ${describeError(error)}\n`);
      process.exitCode = error instanceof CliError ? error.exitCode : 1;
    }
  }
  logger?.flush();
}

void main().then(() => {
  // Pooled connections and timers must not keep a finished one-shot command alive. A signal's shutdown exits on its own.
  if (!shutdownInProgress()) setImmediate(() => process.exit(process.exitCode ?? 0)).unref();
});
