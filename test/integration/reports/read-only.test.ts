import { REPORT_DEFINITIONS } from '../../../src/reports/queries/report-definitions';
import { ReportsService } from '../../../src/reports/reports.service';
import { SETTINGS, useReportLedger } from './report-fixture';

describe('report runs', () => {
  const ledger = useReportLedger();

  it('run in a READ ONLY transaction: a report cannot write, even by mistake', async () => {
    const seen: Array<Record<string, unknown>> = [];
    const writing = new ReportsService(ledger.db().dataSource, SETTINGS, {
      ...REPORT_DEFINITIONS,
      aging: {
        ...REPORT_DEFINITIONS.aging,
        query: async (run) => {
          seen.push(...(await run(`SELECT current_setting('transaction_read_only') AS read_only, current_setting('transaction_isolation') AS isolation`, [])));
          return run(`DELETE FROM invoices RETURNING id`, []);
        },
      },
    });
    await expect(writing.run('aging', { asOf: '2026-03-31', from: '2026-03-31', to: '2026-03-31' })).rejects.toThrow(
      'cannot execute DELETE in a read-only transaction',
    );
    expect(seen).toEqual([{ read_only: 'on', isolation: 'repeatable read' }]);
    const [{ count }] = await ledger.db().dataSource.query(`SELECT count(*)::int AS count FROM invoices`);
    expect(count).toBe(16);
    // The connection went back to the pool usable: the next report runs normally.
    expect((await ledger.run('aging', { asOf: '2026-03-31' })).rows).toHaveLength(6);
  });
});
