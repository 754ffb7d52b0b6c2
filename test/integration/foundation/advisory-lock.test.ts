import { runExclusive, runSerialized } from '../../../src/database/advisory-lock';
import { JobRunner } from '../../../src/scheduler/job-runner.service';
import { deferred, eventually, within } from '../../support/eventually';
import { createTestDatabase, TestDatabase } from '../../support/test-database';

// jest's testTimeout in a project's config is ignored (it is a global option): on a loaded machine 5 s is too short.
jest.setTimeout(60_000);

/**
 * No sleeps: the first holder signals when it is inside the lock and holds it until the test
 * releases it, so "the other caller ran while the lock was held" is never a matter of timing.
 */
describe('advisory lock run guard', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  /** Advisory locks some session is waiting for (not granted), as Postgres sees them. */
  const waitingForAdvisoryLocks = async () => {
    const [{ n }] = (await db.dataSource.query(
      `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    )) as { n: number }[];
    return n;
  };

  it('lets only one of two concurrent callers run a tick: the second, while the first holds the lock, returns at once', async () => {
    const inside = deferred();
    const release = deferred();
    let runs = 0;
    const first = runExclusive(db.dataSource, 'tick', async () => {
      runs += 1;
      inside.resolve();
      await release.promise;
      return 'done';
    });
    await within(inside.promise, 'the first caller to hold the lock');
    const second = await within(
      runExclusive(db.dataSource, 'tick', async () => {
        runs += 1;
        return 'should not run';
      }),
      'the second caller to give up without waiting',
    );
    expect(second).toEqual({ ran: false });
    release.resolve();
    expect(await first).toEqual({ ran: true, result: 'done' });
    expect(runs).toBe(1);
    // Released: the next tick runs.
    await expect(runExclusive(db.dataSource, 'tick', async () => 'next')).resolves.toEqual({ ran: true, result: 'next' });
  });

  it('releases the lock after the work, even when it throws', async () => {
    await expect(runExclusive(db.dataSource, 'failing', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(runExclusive(db.dataSource, 'failing', async () => 42)).resolves.toEqual({ ran: true, result: 42 });
  });

  it('keeps different job names independent: both hold their locks at the same time', async () => {
    const aInside = deferred();
    const bInside = deferred();
    const outcomes = await within(
      Promise.all([
        runExclusive(db.dataSource, 'job-a', async () => {
          aInside.resolve();
          await bInside.promise; // only finishes once b is inside its own lock too
          return 'a';
        }),
        runExclusive(db.dataSource, 'job-b', async () => {
          bInside.resolve();
          await aInside.promise;
          return 'b';
        }),
      ]),
      'both jobs to be inside their locks at once',
    );
    expect(outcomes).toEqual([
      { ran: true, result: 'a' },
      { ran: true, result: 'b' },
    ]);
  });

  it('runSerialized makes the second caller wait (seen in pg_locks) and run after the first, never beside it', async () => {
    const inside = deferred();
    const release = deferred();
    const order: string[] = [];
    const first = runSerialized(db.dataSource, 'serial', async () => {
      order.push('first in');
      inside.resolve();
      await release.promise;
      order.push('first out');
    });
    await within(inside.promise, 'the first caller to hold the lock');
    const second = runSerialized(db.dataSource, 'serial', async () => {
      order.push('second in');
    });
    await eventually(waitingForAdvisoryLocks, (n) => n === 1, 'the second caller to be waiting for the advisory lock');
    expect(order).toEqual(['first in']);
    release.resolve();
    await within(Promise.all([first, second]), 'both callers to finish');
    expect(order).toEqual(['first in', 'first out', 'second in']);
    expect(await waitingForAdvisoryLocks()).toBe(0);
  });

  it('JobRunner skips a tick another instance is running and never throws', async () => {
    const instanceA = new JobRunner(db.dataSource);
    const instanceB = new JobRunner(db.dataSource);
    const inside = deferred();
    const release = deferred();
    let runs = 0;
    const a = instanceA.run('detect', async () => {
      runs += 1;
      inside.resolve();
      await release.promise;
    });
    await within(inside.promise, 'instance A to be running the tick');
    const b = await within(
      instanceB.run('detect', async () => {
        runs += 1;
      }),
      'instance B to skip the tick',
    );
    expect(b.status).toBe('skipped');
    release.resolve();
    expect((await a).status).toBe('ran');
    expect(runs).toBe(1);
    await expect(instanceA.run('broken', () => Promise.reject(new Error('stripe down')))).resolves.toEqual({ status: 'failed', error: 'stripe down' });
  });
});
