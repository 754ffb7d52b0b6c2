import { runExclusive } from '../../../src/database/advisory-lock';
import { JobRunner } from '../../../src/scheduler/job-runner.service';
import { createTestDatabase, TestDatabase } from '../../support/test-database';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('advisory lock run guard', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('lets only one of two concurrent callers run a tick', async () => {
    let runs = 0;
    const work = async () => {
      runs += 1;
      await pause(300);
      return 'done';
    };
    const outcomes = await Promise.all([runExclusive(db.dataSource, 'tick', work), runExclusive(db.dataSource, 'tick', work)]);
    expect(runs).toBe(1);
    expect(outcomes.filter((outcome) => outcome.ran)).toHaveLength(1);
    expect(outcomes.filter((outcome) => !outcome.ran)).toHaveLength(1);
  });

  it('releases the lock after the work, even when it throws', async () => {
    await expect(runExclusive(db.dataSource, 'failing', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(runExclusive(db.dataSource, 'failing', async () => 42)).resolves.toEqual({ ran: true, result: 42 });
  });

  it('keeps different job names independent', async () => {
    const outcomes = await Promise.all([
      runExclusive(db.dataSource, 'job-a', () => pause(100).then(() => 'a')),
      runExclusive(db.dataSource, 'job-b', () => pause(100).then(() => 'b')),
    ]);
    expect(outcomes).toEqual([
      { ran: true, result: 'a' },
      { ran: true, result: 'b' },
    ]);
  });

  it('JobRunner skips a tick another instance is running and never throws', async () => {
    const instanceA = new JobRunner(db.dataSource);
    const instanceB = new JobRunner(db.dataSource);
    let runs = 0;
    const [a, b] = await Promise.all([
      instanceA.run('detect', async () => {
        runs += 1;
        await pause(300);
      }),
      instanceB.run('detect', async () => {
        runs += 1;
        await pause(300);
      }),
    ]);
    expect(runs).toBe(1);
    expect([a.status, b.status].sort()).toEqual(['ran', 'skipped']);
    await expect(instanceA.run('broken', () => Promise.reject(new Error('stripe down')))).resolves.toEqual({ status: 'failed', error: 'stripe down' });
  });
});
