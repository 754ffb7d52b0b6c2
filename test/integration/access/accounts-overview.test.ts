import { OWNER_TOKEN, startTwoAccounts, type TwoAccounts } from './access-fixture';

interface Line {
  id: string;
  name: string;
  role: string;
  receivables: unknown[];
  dso: { currency: string; dso?: number }[];
  clientsAtRisk: number;
  pendingApprovals: number;
}

/** GET /api/dashboard/accounts: a line per account the caller may see, each the same figures as that account's own overview. */
describe('the cross-account overview (real PostgreSQL, a two-account sandbox)', () => {
  let env: TwoAccounts;
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    env = await startTwoAccounts();
  }, 120_000);
  afterAll(() => env?.close());

  it("gives the owner one line per account, by name, each agreeing with that account's overview", async () => {
    const { body } = await env.api().get('/api/dashboard/accounts').set(bearer(OWNER_TOKEN)).expect(200);
    const lines = body.accounts as Line[];
    expect(lines.map((l) => [l.name, l.id, l.role])).toEqual([
      ['Acme Studio', env.a.accountId, 'owner'],
      ['Bolt Agency', env.b.accountId, 'owner'],
    ]);
    for (const line of lines) {
      const own = (await env.api().get('/api/dashboard/overview').set(bearer(OWNER_TOKEN)).set('Payrisk-Account', line.id).expect(200)).body;
      expect(line.receivables).toEqual(own.receivables);
      expect(line.receivables.length).toBeGreaterThan(0); // both accounts bill: the sandbox's seeded invoices
      expect(line.pendingApprovals).toBe(own.pendingApprovals);
      expect(line.clientsAtRisk).toBe(
        own.levels.filter((l: { level: string }) => l.level === 'risky' || l.level === 'critical').reduce((s: number, l: { count: number }) => s + l.count, 0),
      );
      const month = own.dso.at(-1).month as string;
      expect(line.dso).toEqual(
        own.dso.filter((d: { month: string }) => d.month === month).map((d: { currency: string; dso?: number }) => ({ currency: d.currency, dso: d.dso })),
      );
    }
  });

  it('shows a person or an account token only their own accounts', async () => {
    const person = await env.person('ana@books.test', { [env.b.accountId]: 'accountant' });
    const { cookie } = await env.sessionFor(person);
    const seen = (await env.api().get('/api/dashboard/accounts').set('Cookie', cookie).expect(200)).body.accounts as Line[];
    expect(seen.map((l) => [l.id, l.role])).toEqual([[env.b.accountId, 'accountant']]);

    const token = await env.tokenFor({ account: env.a.accountId });
    const forA = (await env.api().get('/api/dashboard/accounts').set(bearer(token)).expect(200)).body.accounts as Line[];
    expect(forA.map((l) => l.id)).toEqual([env.a.accountId]);
    // The header picks nothing here: the page is across accounts, and B stays out of it.
    const asked = (await env.api().get('/api/dashboard/accounts').set(bearer(token)).set('Payrisk-Account', env.b.accountId).expect(200)).body
      .accounts as Line[];
    expect(asked.map((l) => l.id)).toEqual([env.a.accountId]);
  });
});
