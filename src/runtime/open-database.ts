import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Logger } from 'pino';
import type { AppConfig } from '../config';
import { EmbeddedDatabase } from '../database/embedded-postgres';
import { CliError } from '../cli/cli-error';
import { isAlive, readLiveRuntime, runtimeFilePath } from './runtime-file';
import { onShutdown } from './shutdown';

export interface OpenDatabase {
  url: string;
  embedded: boolean;
  /** Stops the embedded cluster; a no-op for DATABASE_URL and for a running server's database. */
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /**
   * One-shot commands: when a `payrisk start` runs on this home, use its PostgreSQL (from
   * `<home>/runtime.json`) instead of starting the embedded cluster, which it holds locked.
   */
  nextToServer?: boolean;
}

/** DATABASE_URL when given; a running server's database (nextToServer); otherwise a real embedded PostgreSQL under `<home>/pgdata`. */
export async function openDatabase(config: AppConfig, logger: Logger, options: OpenDatabaseOptions = {}): Promise<OpenDatabase> {
  if (config.database.url) return { url: config.database.url, embedded: false, close: async () => undefined };
  const server = readLiveRuntime(config.homeDir);
  if (server && options.nextToServer) {
    logger.debug(`using the PostgreSQL of the running payrisk start (pid ${server.pid})`);
    return { url: server.database.url, embedded: server.database.embedded, close: async () => undefined };
  }
  const dataDir = join(config.homeDir, 'pgdata');
  refuseIfInUse(config.homeDir, dataDir, server?.pid);
  const recent: string[] = [];
  const embedded = new EmbeddedDatabase(config.homeDir, 'payrisk', (line) => {
    recent.push(line);
    if (recent.length > 5) recent.shift();
    logger.debug({ component: 'postgres' }, line);
  });
  logger.info(`starting embedded PostgreSQL (data in ${dataDir})`);
  const unregister = onShutdown(() => embedded.stop());
  let url: string;
  try {
    url = await embedded.start();
  } catch (error) {
    unregister();
    await embedded.stop().catch(() => undefined);
    refuseIfInUse(config.homeDir, dataDir, undefined);
    const said = error instanceof Error && error.message ? error.message : recent.filter(Boolean).join(' | ');
    throw new CliError(
      `the embedded PostgreSQL in ${shown(dataDir)} did not start${said ? `: ${said}` : ''}. Run ` +
        `again with LOG_LEVEL=debug to see its log, or set DATABASE_URL to use your own PostgreSQL.`,
      1,
      { cause: error },
    );
  }
  return {
    url,
    embedded: true,
    close: async () => {
      unregister();
      await embedded.stop();
    },
  };
}

/** A live postmaster.pid means another process holds the data directory: say who, and what to do, before starting anything. */
function refuseIfInUse(homeDir: string, dataDir: string, serverPid: number | undefined): void {
  if (serverPid !== undefined) {
    throw new CliError(
      `payrisk start is already running on ${shown(homeDir)} (pid ${serverPid}, see ` +
        `${shown(runtimeFilePath(homeDir))}): stop it first, or use another PAYRISK_HOME.`,
    );
  }
  const holder = postmasterPid(dataDir);
  if (holder === undefined || holder === process.pid || !isAlive(holder)) return;
  throw new CliError(
    `the embedded PostgreSQL in ${shown(dataDir)} is in use by another process (pid ${holder}): stop it, or run ` +
      `this command next to \`payrisk start\` (which records where it runs in ${shown(runtimeFilePath(homeDir))}).`,
  );
}

function postmasterPid(dataDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}
