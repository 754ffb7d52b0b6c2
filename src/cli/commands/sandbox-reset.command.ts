import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../config';
import { dataSourceOptions } from '../../database/data-source-options';
import { emptyLedgerForFreshSandbox, emptyOutbox } from '../../database/fresh-sandbox-ledger';
import { readLiveRuntime } from '../../runtime/runtime-file';
import { openDatabase } from '../../runtime/open-database';
// The snapshot's file helpers only (node:fs): the emulator itself is not loaded by a reset.
import { removeSnapshot } from '../../sandbox/store/sandbox-snapshot';
import { sandboxStateDir } from '../../stripe/stripe-connection';
import { CliError } from '../cli-error';

/** Refuses anything but the built-in sandbox on the embedded database, and a running server on this home. */
function checkResettable(config: AppConfig, what: string): void {
  if (config.stripe.secretKey)
    throw new CliError(
      `${what} is for the built-in sandbox; STRIPE_SECRET_KEY is set, so there is no sandbox to reset (and a real account's ledger is never emptied).`,
    );
  if (config.database.url) throw new CliError(`${what} only empties payrisk's embedded database; DATABASE_URL is set, so nothing was changed.`);
  const running = readLiveRuntime(config.homeDir);
  if (running)
    throw new CliError(
      `a payrisk server is running on ${config.homeDir} (pid ${running.pid}): stop it (Ctrl-C) first, then run ${what} again. Nothing was changed.`,
    );
}

/**
 * `payrisk sandbox reset`: starts the demo business over. Next to a stopped server it
 * empties the ledger (embedded database, schema `payrisk` only), forgets the saved sandbox
 * (`<home>/sandbox`) and empties the outbox; the next `payrisk start` seeds a new business.
 * It refuses while a `payrisk start` runs on this home (the server holds the sandbox in memory
 * and would write it back).
 */
export async function sandboxResetCommand(config: AppConfig, logger: Logger): Promise<void> {
  checkResettable(config, '`payrisk sandbox reset`');
  let tables = 0;
  if (existsSync(join(config.homeDir, 'pgdata'))) {
    const database = await openDatabase(config, logger);
    const dataSource = new DataSource(dataSourceOptions(database.url));
    try {
      await dataSource.initialize();
      tables = await emptyLedgerForFreshSandbox(dataSource, { embedded: database.embedded });
    } finally {
      if (dataSource.isInitialized) await dataSource.destroy();
      await database.close();
    }
  }
  removeSnapshot(sandboxStateDir(config.homeDir));
  emptyOutbox(config.homeDir);
  console.log(`Sandbox reset on ${config.homeDir}: ledger emptied (${tables} tables), saved sandbox and outbox removed.`);
  console.log('The next `npm start` (or `payrisk start`) seeds a new demo business.');
}

/** `payrisk start --fresh`: forgets the saved sandbox, so this start seeds anew (and empties the ledger and outbox). */
export function forgetSavedSandbox(config: AppConfig): void {
  checkResettable(config, '`payrisk start --fresh`');
  removeSnapshot(sandboxStateDir(config.homeDir));
  emptyOutbox(config.homeDir);
}
