import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { EmbeddedDatabase } from '../src/database/embedded-postgres';

export interface BenchDatabase {
  url: string;
  close(): Promise<void>;
}

/**
 * A scratch database for one benchmark: a new database on the server of DATABASE_URL
 * (dropped at the end), or an embedded PostgreSQL in a temp folder (removed at the end).
 */
export async function openBenchDatabase(label: string): Promise<BenchDatabase> {
  const given = process.env.DATABASE_URL;
  if (given) {
    const name = `payrisk_bench_${label}_${randomBytes(4).toString('hex')}`;
    const admin = async (sql: string) => {
      const client = new Client({ connectionString: given });
      await client.connect();
      await client.query(sql).finally(() => client.end());
    };
    await admin(`CREATE DATABASE ${name}`);
    const url = new URL(given);
    url.pathname = `/${name}`;
    return { url: url.toString(), close: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
  }
  const dir = mkdtempSync(join(tmpdir(), `payrisk-bench-${label}-`));
  chmodSync(dir, 0o755); // mkdtemp makes 0700; as root, PostgreSQL runs as its own user and must reach the data folder
  const embedded = new EmbeddedDatabase(dir, 'payrisk_bench', undefined, { durable: false }); // removed at the end
  const url = await embedded.start();
  return {
    url,
    close: async () => {
      await embedded.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
