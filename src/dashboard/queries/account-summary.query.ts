import type { EntityManager } from 'typeorm';
import { runForAccount } from '../../database/account-scope';
import type { AccountSummary } from '../http/accounts-overview.schemas';
import { loadOverview } from './overview.query';

const AT_RISK = new Set(['risky', 'critical']);

/**
 * One account's line on the cross-account overview, taken from that account's own overview in
 * that account's scope (row-level security shows only its rows), so the two pages never
 * disagree: receivables and overdue per currency, this month's DSO, clients at risk, approvals waiting.
 */
export async function loadAccountSummary(manager: EntityManager, account: Pick<AccountSummary, 'id' | 'name' | 'role'>, now: Date): Promise<AccountSummary> {
  const overview = await runForAccount(account.id, () => loadOverview(manager, now));
  const month = overview.dso.reduce((latest, row) => (row.month > latest ? row.month : latest), '');
  return {
    ...account,
    receivables: overview.receivables,
    dso: overview.dso.filter((row) => row.month === month).map((row) => ({ currency: row.currency, dso: row.dso })),
    clientsAtRisk: overview.levels.filter((l) => AT_RISK.has(l.level)).reduce((sum, l) => sum + l.count, 0),
    pendingApprovals: overview.pendingApprovals,
  };
}
