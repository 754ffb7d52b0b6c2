import { PipelineService } from '../../../src/pipeline/pipeline.service';
import { OWNER_TOKEN, startTwoAccounts, type TwoAccounts } from './access-fixture';

/**
 * Account A's token and a person granted only A never reach B: not B's clients (list, page,
 * work status), not its reports, not a write on B's client. Each answer is checked both
 * ways: A's own client is there (the surface works), B's is not (the scope holds), and a
 * direct request for B's client answers as for a client that does not exist. Row-level
 * security sits under the same queries, so this holds even where a query forgot its filter.
 */
describe("account A's token and session never reach account B's data (real PostgreSQL, RLS, a two-account sandbox)", () => {
  let env: TwoAccounts;
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    env = await startTwoAccounts();
    // The server's first run assesses both accounts' clients: the dashboard lists assessed clients.
    await env.app.get(PipelineService).initialRun();
  }, 120_000);
  afterAll(() => env?.close());

  /** Every read surface that lists one account's clients or money, as the caller `auth` sees it. */
  const readSurfaces = ['/api/dashboard/clients', '/api/dashboard/overview', '/api/reports/aging', '/api/reports/behaviour', '/api/actions'];

  const seenBy = async (auth: Record<string, string>) => {
    const seen: Record<string, string> = {};
    for (const path of readSurfaces) seen[path] = JSON.stringify((await env.api().get(path).set(auth).expect(200)).body);
    return seen;
  };

  const directToB = async (auth: Record<string, string>) => {
    const b = env.clientOf.b;
    return {
      page: (await env.api().get(`/api/dashboard/clients/${b}`).set(auth)).status,
      workStatus: (await env.api().get(`/api/clients/${b}/work-status`).set(auth)).status,
      logDiscount: (await env.api().post(`/api/clients/${b}/discount-requests`).set(auth).send({ amount: 100, currency: 'eur' })).status,
      unknownClient: (await env.api().get('/api/dashboard/clients/cus_doesnotexist').set(auth)).status,
    };
  };

  it("A's token: A's client on every surface, B's nowhere, and B's client answers like a client that does not exist", async () => {
    const auth = bearer(await env.tokenFor({ account: env.a.accountId }));
    const seen = await seenBy(auth);
    expect(Object.entries(seen).filter(([, body]) => body.includes(env.clientOf.b))).toEqual([]);
    expect(seen['/api/dashboard/clients']).toContain(env.clientOf.a);
    expect(seen['/api/reports/aging']).toContain(env.clientOf.a);
    expect(await directToB(auth)).toEqual({ page: 404, workStatus: 404, logDiscount: 404, unknownClient: 404 });
    expect(await env.db.dataSource.query(`SELECT id FROM discount_requests WHERE client_id = $1`, [env.clientOf.b])).toEqual([]);
  });

  it('a person granted only A: the same through their dashboard session', async () => {
    const person = await env.person('ann@acme.test', { [env.a.accountId]: 'owner' });
    const { cookie, csrf } = await env.sessionFor(person);
    const auth = { Cookie: cookie, 'X-CSRF-Token': csrf };
    const seen = await seenBy(auth);
    expect(Object.entries(seen).filter(([, body]) => body.includes(env.clientOf.b))).toEqual([]);
    expect(seen['/api/dashboard/clients']).toContain(env.clientOf.a);
    expect(await directToB(auth)).toEqual({ page: 404, workStatus: 404, logDiscount: 404, unknownClient: 404 });
  });

  it("the owner acting for B sees B's client and not A's: the scope follows the chosen account", async () => {
    const seen = await seenBy({ ...bearer(OWNER_TOKEN), 'Payrisk-Account': env.b.accountId });
    expect(seen['/api/dashboard/clients']).toContain(env.clientOf.b);
    expect(Object.entries(seen).filter(([, body]) => body.includes(env.clientOf.a))).toEqual([]);
  });
});
