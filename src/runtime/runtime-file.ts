import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where a running `payrisk start` can be reached, so one-shot commands work next to it
 * (they cannot open its embedded PostgreSQL themselves: the data directory is locked).
 * `<home>/runtime.json`, mode 0600 (it holds the database password and the sandbox key),
 * written once the server listens and removed when it stops. A file left behind by a
 * killed server (kill -9) names a process that no longer exists and is ignored.
 */
export interface RuntimeRecord {
  pid: number;
  startedAt: string;
  /** The HTTP server, on loopback (e.g. http://127.0.0.1:3000). */
  http: { url: string };
  /** The server's PostgreSQL (its embedded cluster, or DATABASE_URL). */
  database: { url: string; embedded: boolean };
  /** The policy file the server runs (commands next to it use it too unless PAYRISK_CONFIG is set). */
  policyFile?: string;
  /** The built-in sandbox inside the server; absent on a real Stripe account. */
  sandbox?: { url: string; secretKey: string; accountId: string };
}

export const RUNTIME_FILE = 'runtime.json';

export function runtimeFilePath(homeDir: string): string {
  return join(homeDir, RUNTIME_FILE);
}

/** Writes the record atomically (0600) and returns the remover, which only deletes a file this process wrote. */
export function writeRuntimeFile(homeDir: string, record: RuntimeRecord): () => void {
  mkdirSync(homeDir, { recursive: true, mode: 0o755 });
  const path = runtimeFilePath(homeDir);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
  let removed = false;
  return () => {
    if (removed) return;
    removed = true;
    if (readRuntimeFile(homeDir)?.pid === record.pid) rmSync(path, { force: true });
  };
}

/** The record as stored, live or not; undefined when missing or unreadable. */
export function readRuntimeFile(homeDir: string): RuntimeRecord | undefined {
  let text: string;
  try {
    text = readFileSync(runtimeFilePath(homeDir), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const record = JSON.parse(text) as RuntimeRecord;
    if (!Number.isInteger(record.pid) || typeof record.http?.url !== 'string' || typeof record.database?.url !== 'string') return undefined;
    return record;
  } catch {
    return undefined;
  }
}

/** The record of a server that still runs; a stale file (its process gone) counts as none. */
export function readLiveRuntime(homeDir: string): RuntimeRecord | undefined {
  const record = readRuntimeFile(homeDir);
  if (!record || record.pid === process.pid || !isAlive(record.pid)) return undefined;
  return record;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user (still alive).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
