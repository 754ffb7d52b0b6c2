import {
  datesApart,
  daysPastDue,
  isPastDue,
  sqlDatesApart,
  sqlDaysPastDue,
  sqlIsMoreDaysPastDueThan,
  sqlIsPastDue,
  sqlWholeDaysBetween,
  wholeDaysBetween,
} from '../../../src/common/time';
import { createTestDatabase, TestDatabase } from '../../support/test-database';

/**
 * The SQL mirrors of src/common/time give the same answers as the TypeScript they mirror, on
 * the edges where a second definition would drift: the due moment itself, a second either side
 * of a whole day, fractions of a day, UTC midnight against local midnight, daylight-saving days,
 * and in every session time zone (PostgreSQL's `interval '1 day'` and `::date` follow it).
 */
const DUE = [
  '2026-03-31T00:00:00.000Z', // UTC midnight
  '2026-03-31T23:00:00.000Z', // late evening UTC: the next calendar day in Berlin
  '2026-03-28T12:00:00.000Z', // the day before Europe's clocks move (2026-03-29)
  '2026-11-01T08:30:00.000Z', // the day the US clocks move back
];
const OFFSETS_MS = [
  -86_400_000,
  -1,
  0,
  1,
  3_600_000,
  43_200_000,
  86_399_999,
  86_400_000,
  86_400_001,
  2 * 86_400_000 - 1,
  30 * 86_400_000 + 7,
  45.5 * 86_400_000,
];
const ZONES = ['UTC', 'Europe/Berlin', 'America/Los_Angeles', 'Pacific/Kiritimati'];
const GRACE = [0, 1, 14];

describe('common/time SQL mirrors', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
  });
  afterAll(async () => db.drop());

  it.each(ZONES)('agree with the TypeScript in session time zone %s', async (zone) => {
    const pairs = DUE.flatMap((due) => OFFSETS_MS.map((offset) => ({ due: new Date(due), now: new Date(Date.parse(due) + offset) })));
    const runner = db.dataSource.createQueryRunner();
    try {
      await runner.query(`SET TIME ZONE '${zone}'`);
      const rows = (await runner.query(
        `SELECT ${sqlWholeDaysBetween('p.due', 'p.now')} AS whole, ${sqlDaysPastDue('p.due', 'p.now')} AS days, ${sqlIsPastDue('p.due', 'p.now')} AS past,
                ${sqlDatesApart('p.due', 'p.now')} AS dates,
                array(SELECT ${sqlIsMoreDaysPastDueThan('p.due', 'p.now', 'g')} FROM unnest($3::int[]) g) AS beyond
           FROM unnest($1::timestamptz[], $2::timestamptz[]) WITH ORDINALITY AS p(due, now, n) ORDER BY p.n`,
        [pairs.map((p) => p.due.toISOString()), pairs.map((p) => p.now.toISOString()), GRACE],
      )) as { whole: number; days: number; past: boolean; dates: number; beyond: boolean[] }[];
      const expected = pairs.map(({ due, now }) => ({
        whole: wholeDaysBetween(due, now),
        days: daysPastDue(due, now),
        past: isPastDue(due, now),
        dates: datesApart(due, now),
        beyond: GRACE.map((grace) => daysPastDue(due, now) > grace),
      }));
      expect(rows).toEqual(expected);
    } finally {
      await runner.release();
    }
  });

  it('covers both sides of every edge (the cases are not all alike)', () => {
    const pairs = DUE.flatMap((due) => OFFSETS_MS.map((offset) => ({ due: new Date(due), now: new Date(Date.parse(due) + offset) })));
    expect(new Set(pairs.map(({ due, now }) => isPastDue(due, now)))).toEqual(new Set([true, false]));
    expect(new Set(pairs.map(({ due, now }) => daysPastDue(due, now)))).toEqual(new Set([0, 1, 30, 45]));
    // Calendar dates and whole days part ways when the due moment is not midnight.
    expect(pairs.some(({ due, now }) => datesApart(due, now) !== wholeDaysBetween(due, now))).toBe(true);
  });
});
