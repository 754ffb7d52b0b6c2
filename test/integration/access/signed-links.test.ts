import { resolveLinkSecret } from '../../../src/auth/link-secret';
import { APP_CONFIG, type AppConfig } from '../../../src/config';
import { runForAccount } from '../../../src/database/account-scope';
import { buildApprovalUrl } from '../../../src/policies/approvals/approval-link';
import { get, propose } from '../../../src/policies/persistence/actions.query';
import { startTwoAccounts, type TwoAccounts } from './access-fixture';

/** A signed approval link acts only for its action's account: never on another account's action, however it is edited. */
describe("signed approval links stay in their action's account (real PostgreSQL, a two-account sandbox)", () => {
  let env: TwoAccounts;
  let secret: string;
  let proposed = 0;
  const actionIn = async (account: string, clientId: string) => {
    const planned = {
      kind: 'late_fee' as const,
      clientId,
      clientName: null,
      mode: 'approve' as const,
      dedupeKey: `test:${account}:${clientId}:${++proposed}`,
      invoiceId: null,
      amount: { amount: 2500, currency: 'eur' },
      reason: 'late',
      params: {},
    };
    const action = await runForAccount(account, () => propose(env.db.dataSource.manager, planned, account, new Date(), new Date(Date.now() + 86_400_000)));
    if (!action) throw new Error('not proposed');
    return action.id;
  };
  const statusOf = (account: string, id: string) => runForAccount(account, async () => (await get(env.db.dataSource.manager, id)).status);
  const path = (url: string) => {
    const u = new URL(url, 'http://x');
    return `${u.pathname}${u.search}`;
  };
  const soon = () => new Date(Date.now() + 3_600_000);

  beforeAll(async () => {
    env = await startTwoAccounts();
    secret = resolveLinkSecret(env.app.get<AppConfig>(APP_CONFIG));
  }, 120_000);
  afterAll(() => env?.close());

  it("a link signed for A does not reach B's action: the same page as an unknown action, and B's action stays proposed", async () => {
    const bAction = await actionIn(env.b.accountId, env.clientOf.b);
    const link = path(buildApprovalUrl('', bAction, 'reject', soon(), secret, env.a.accountId));
    const shown = await env.api().get(link).expect(404);
    expect(shown.text).toContain('Unknown action');
    expect(shown.text).not.toContain('Bolt');
    await env.api().post(link).expect(404);
    // A link from before there were accounts is the environment's account's (A here).
    await env
      .api()
      .post(path(buildApprovalUrl('', bAction, 'reject', soon(), secret)))
      .expect(404);
    expect(await statusOf(env.b.accountId, bAction)).toBe('proposed');
  });

  it("editing a link's account is a forged link", async () => {
    const aAction = await actionIn(env.a.accountId, env.clientOf.a);
    const link = new URL(buildApprovalUrl('http://x', aAction, 'reject', soon(), secret, env.a.accountId));
    link.searchParams.set('account', env.b.accountId);
    await env.api().post(path(link.toString())).expect(403);
    link.searchParams.delete('account');
    await env.api().post(path(link.toString())).expect(403);
    expect(await statusOf(env.a.accountId, aAction)).toBe('proposed');
  });

  it("B's own link decides B's action, and only that", async () => {
    const bAction = await actionIn(env.b.accountId, env.clientOf.b);
    const aAction = (await env.db.dataSource.query(`SELECT id FROM actions WHERE stripe_account_id = $1`, [env.a.accountId]))[0].id as string;
    const page = await env
      .api()
      .get(path(buildApprovalUrl('', bAction, 'reject', soon(), secret, env.b.accountId)))
      .expect(200);
    // The page's buttons are signed for B too.
    expect(page.text.replaceAll('&#x3D;', '=').replaceAll('&amp;', '&')).toContain(`&account=${env.b.accountId}`);
    await env
      .api()
      .post(path(buildApprovalUrl('', bAction, 'reject', soon(), secret, env.b.accountId)))
      .expect(200);
    expect(await statusOf(env.b.accountId, bAction)).toBe('rejected');
    expect(await statusOf(env.a.accountId, aAction)).toBe('proposed');
  });
});
