import { DataSource } from 'typeorm';
import type { AccountRuntimes } from '../../../src/accounts/runtime/account-runtimes';
import { dataSourceOptions } from '../../../src/database/data-source-options';
import { JobQueue } from '../../../src/jobs/job-queue';
import { PipelineJobs } from '../../../src/jobs/pipeline-jobs';
import { PIPELINE_DEAD_LETTER_QUEUE, PIPELINE_QUEUE } from '../../../src/jobs/pipeline-queue';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';

/**
 * Workers on many machines start at the same moment on one database (a deployment, a bench):
 * each one's first use creates pg-boss's schema and payrisk's two queues. pg-boss 10 creating
 * the same queue from two sessions at once can deadlock (seen: "deadlock detected" killing a
 * second worker at start); payrisk serializes the creation, so every one of them starts.
 */
describe('pg-boss queues created by several processes at once', () => {
  const ROUNDS = 4;
  const STARTERS = 4;
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  }, 60_000);
  afterAll(() => db?.drop());

  it(`${STARTERS} job queues starting together on a fresh database all get both queues, ${ROUNDS} times over`, async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      await db.dataSource.query('DROP SCHEMA IF EXISTS payrisk_jobs CASCADE');
      // One DataSource and one pg-boss per starter, as separate processes would have.
      const sources = await Promise.all(Array.from({ length: STARTERS }, () => new DataSource(dataSourceOptions(db.url)).initialize()));
      const queues = sources.map((source) => new JobQueue(source));
      try {
        const started = await Promise.allSettled(queues.map((queue) => new PipelineJobs(queue, {} as AccountRuntimes).boss()));
        expect(started.map((s) => (s.status === 'rejected' ? String(s.reason) : 'ok'))).toEqual(Array(STARTERS).fill('ok'));
        const names = await db.dataSource.query(`SELECT name FROM payrisk_jobs.queue ORDER BY name`);
        expect(names.map((n: { name: string }) => n.name)).toEqual([PIPELINE_QUEUE, PIPELINE_DEAD_LETTER_QUEUE].sort());
      } finally {
        for (const queue of queues) await queue.beforeApplicationShutdown();
        await Promise.all(sources.map((source) => source.destroy()));
      }
    }
  }, 120_000);
});
