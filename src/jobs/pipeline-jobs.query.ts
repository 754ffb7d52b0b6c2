import type PgBoss from 'pg-boss';
import { JOBS_SCHEMA } from './job-queue';
import type { PipelineFlags, PipelineJobData } from './pipeline-queue';

/**
 * The two statements payrisk runs on pg-boss 10's `job` table itself (its columns are pg-boss's
 * schema, version 24). Everything else (send, complete, fail, retries, expiry, dead letters) goes
 * through pg-boss's API.
 */

export interface FetchedJob {
  id: string;
  data: PipelineJobData;
  retryCount: number;
}

/**
 * pg-boss's own fetch (`fetchNextJob`) with one more condition: skip a job whose account already
 * has one running. pg-boss 10 takes the oldest due job even then and the update fails on the
 * `stately` index, which fails the whole fetch: one account's queued follow-up would stall every
 * account until its run ends. Two workers taking two jobs of one account at the same instant
 * still collide on that index; the loser gets nothing this time (`unique_violation`) and fetches again.
 */
export async function fetchNextPipelineJob(db: PgBoss.Db, queue: string): Promise<FetchedJob | undefined> {
  const sql = `
    WITH next AS (
      SELECT id FROM ${JOBS_SCHEMA}.job j
      WHERE name = $1 AND state < 'active' AND start_after < now()
        AND NOT EXISTS (
          SELECT 1 FROM ${JOBS_SCHEMA}.job running
          WHERE running.name = j.name AND running.singleton_key = j.singleton_key AND running.state = 'active')
      ORDER BY priority DESC, created_on, id
      LIMIT 1
      FOR UPDATE SKIP LOCKED
    )
    UPDATE ${JOBS_SCHEMA}.job j SET
      state = 'active',
      started_on = now(),
      retry_count = CASE WHEN j.started_on IS NOT NULL THEN j.retry_count + 1 ELSE j.retry_count END
    FROM next
    WHERE j.name = $1 AND j.id = next.id
    RETURNING j.id, j.data, j.retry_count`;
  try {
    const { rows } = await db.executeSql(sql, [queue]);
    const row = rows[0] as { id: string; data: PipelineJobData; retry_count: number } | undefined;
    return row && { id: row.id, data: row.data, retryCount: row.retry_count };
  } catch (error) {
    if ((error as { code?: string }).code === '23505') return undefined; // another worker took this account's other job first
    throw error;
  }
}

/**
 * A tick for an account that already has a job waiting: that job has not started, so it will
 * see everything committed before it does; it only has to carry this tick's flags (a daily full
 * detection, the weekly digest) too. Returns its id, or undefined when it started meanwhile.
 */
export async function mergeIntoQueuedJob(db: PgBoss.Db, queue: string, account: string, flags: PipelineFlags): Promise<string | undefined> {
  const set = Object.fromEntries(Object.entries(flags).filter(([, on]) => on === true));
  const { rows } = await db.executeSql(
    `UPDATE ${JOBS_SCHEMA}.job SET data = data || $3::jsonb
     WHERE name = $1 AND singleton_key = $2 AND state = 'created'
     RETURNING id`,
    [queue, account, JSON.stringify(set)],
  );
  return (rows[0] as { id: string } | undefined)?.id;
}
