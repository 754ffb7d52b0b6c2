import type { OwnerEmailKind } from '../../common/notifications/owner-notifier.port';
import { DAY_MS } from '../../common/time';

/** What `payrisk emails preview` shows when the database has nothing to show yet. */
export function sampleData(kind: OwnerEmailKind, now: Date, publicUrl: string): Record<string, unknown> {
  const client = { customerId: 'cus_SAMPLE123', clientName: 'Brightside Studio 🚀' };
  const expiresAt = new Date(now.getTime() + 72 * 3_600_000).toISOString();
  switch (kind) {
    case 'alert':
      return {
        ...client,
        fromLevel: 'watch',
        toLevel: 'risky',
        score: 62,
        newFlags: ['chronic_late_payer'],
        changes: ['level rose from watch to risky', 'newly flagged: pays late as a habit'],
        reasons: ['paid 5 of the last 6 invoices late, 23 days on median'],
        evidence: [
          {
            flag: 'chronic late payer',
            lines: ['INV-0042, €1,250.00, due 2026-09-01, paid 2026-09-27, 26 days late', 'INV-0047, €1,250.00, due 2026-10-01, 19 days late'],
          },
        ],
        proposals: [
          {
            actionId: 'sample',
            actionKind: 'late_fee',
            amount: { amount: 1875, currency: 'eur' },
            approveUrl: `${publicUrl}/approvals/sample/approve?expires=0&sig=sample`,
            rejectUrl: `${publicUrl}/approvals/sample/reject?expires=0&sig=sample`,
            expiresAt,
          },
        ],
      };
    case 'action':
      return {
        ...client,
        actionId: 'sample',
        actionKind: 'late_fee',
        status: 'applied',
        amount: { amount: 1875, currency: 'eur' },
        stripeIds: { invoiceItem: 'ii_SAMPLE', invoice: 'in_SAMPLE' },
      };
    case 'pause':
      return { ...client, arrears: [{ amount: 250000, currency: 'eur' }], oldestDaysPastDue: 52, reason: 'an invoice is 52 days past due (policy: 45)' };
    case 'resume':
      return { ...client, arrears: [], oldestDaysPastDue: 0, reason: 'all overdue invoices are paid' };
    case 'digest':
      return {
        weekOf: `${new Date(now.getTime() - 7 * DAY_MS).toISOString().slice(0, 10)} to ${now.toISOString().slice(0, 10)}`,
        arrears: [
          { label: '1–30 days', totals: [{ amount: 420000, currency: 'eur' }], count: 3 },
          { label: '31–60 days', totals: [], count: 0 },
          { label: '61–90 days', totals: [{ amount: 98000, currency: 'usd' }], count: 1 },
          { label: 'over 90 days', totals: [], count: 0 },
        ],
        levels: [
          { level: 'critical', count: 1 },
          { level: 'risky', count: 2 },
          { level: 'watch', count: 4 },
          { level: 'ok', count: 33 },
        ],
        movers: [{ clientName: client.clientName, from: 'watch', to: 'risky' }],
        fees: { assessed: [{ amount: 5625, currency: 'eur' }], collected: [{ amount: 1875, currency: 'eur' }], waived: [] },
        pendingApprovals: [{ actionKind: 'work_pause', clientName: 'Northwind Ltd', proposedAt: now.toISOString() }],
        expectedPayments: [{ clientName: 'Acme GmbH', amount: { amount: 320000, currency: 'eur' }, dueAt: now.toISOString(), invoiceId: 'in_SAMPLE' }],
      };
  }
}
