import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { column, selectOne } from './select-rows';

export type LockOutcome<T> = { ran: true; result: T } | { ran: false };

/**
 * Runs `work` only if this process wins the Postgres advisory lock named `name`;
 * otherwise returns `{ ran: false }` at once. The lock is session-scoped and held on
 * one dedicated connection, so a cron tick runs once across every instance sharing
 * the database, and a crashed holder releases it when its connection drops.
 */
export async function runExclusive<T>(dataSource: DataSource, name: string, work: () => Promise<T>): Promise<LockOutcome<T>> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    const row = await selectOne(runner, 'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked', [name], z.object({ locked: column.boolean }));
    if (!row?.locked) return { ran: false };
    try {
      return { ran: true, result: await work() };
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [name]);
    }
  } finally {
    await runner.release();
  }
}

/** Like runExclusive, but waits for the lock; used where every caller must run once in turn (migrations). */
export async function runSerialized<T>(dataSource: DataSource, name: string, work: () => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [name]);
    try {
      return await work();
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [name]);
    }
  } finally {
    await runner.release();
  }
}
