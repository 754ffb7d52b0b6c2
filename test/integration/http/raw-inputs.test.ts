import { auth, startHttpEdge, type HttpEdge } from './http-fixture';

const DASHES = '-'.repeat(36);
const UUID = '3f2b8c1e-4d5a-4b6c-9d7e-8f9a0b1c2d3e';

/**
 * Inputs that used to reach PostgreSQL (or the sandbox clock) raw and came back as 500s,
 * or were accepted as nonsense: each is now a 400 naming the field; and no route answers
 * any of a battery of bad inputs with a 5xx.
 */
describe('bad inputs stop at the HTTP edge', () => {
  let edge: HttpEdge;
  let client: string;
  beforeAll(async () => {
    edge = await startHttpEdge(1);
    client = edge.clients[0];
  }, 90_000);
  afterAll(async () => edge?.close());

  const expect400 = async (response: { status: number; body: { error?: { code: string; message: string } } }, field: string) => {
    expect({ status: response.status, code: response.body.error?.code }).toEqual({ status: 400, code: 'invalid_input' });
    expect(response.body.error?.message).toContain(`${field}:`);
  };

  it('NUL bytes and non-Stripe ids in client paths', async () => {
    await expect400(await edge.api().get('/api/clients/%00').set(auth), 'id');
    await expect400(await edge.api().get('/api/clients/cus_%00x/work-status').set(auth), 'id');
    await expect400(
      await edge
        .api()
        .get(`/api/clients/${'x'.repeat(300)}/pricing`)
        .set(auth),
      'id',
    );
    await edge.api().get('/api/clients/cus_unknown').set(auth).expect(404); // well formed, unknown: still a 404
  });

  it('36-character ids that are not UUIDs', async () => {
    await expect400(await edge.api().get(`/api/actions/${DASHES}`).set(auth), 'id');
    await expect400(await edge.api().post(`/api/actions/${DASHES}/approve`).set(auth), 'id');
    await expect400(await edge.api().get('/api/actions/zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz').set(auth), 'id');
    await edge.api().get(`/api/actions/${UUID}`).set(auth).expect(404);
    await expect400(await edge.api().get('/api/actions?customerId=%00').set(auth), 'customerId');
  });

  it('report dates outside 2000-01-01..2100-12-31 or not calendar days', async () => {
    for (const asOf of ['9999-12-31', '0000-01-01', '1999-12-31', '2101-01-01', '2026-02-30', '2026-1-1']) {
      await expect400(await edge.api().get(`/api/reports/aging?asOf=${asOf}`).set(auth), 'asOf');
    }
    await expect400(await edge.api().get('/api/reports/dso?from=0001-01-01').set(auth), 'from');
    await edge.api().get('/api/reports/aging?asOf=2000-01-01').set(auth).expect(200);
    await edge.api().get('/api/reports/aging?asOf=2100-12-31').set(auth).expect(200);
  });

  it('discount requests: requestedAt far in the past or in the future, NUL in the note, unknown keys', async () => {
    const path = `/api/clients/${client}/discount-requests`;
    const post = (body: object) => edge.api().post(path).set(auth).send(body);
    await expect400(await post({ amount: 5000, currency: 'eur', requestedAt: '0001-01-01' }), 'requestedAt');
    await expect400(await post({ amount: 5000, currency: 'eur', requestedAt: '1970-01-01T00:00:00Z' }), 'requestedAt');
    await expect400(await post({ amount: 5000, currency: 'eur', requestedAt: new Date(Date.now() + 30 * 86_400_000).toISOString() }), 'requestedAt');
    await expect400(await post({ amount: 5000, currency: 'eur', requestedAt: '+275760-09-13T00:00:00.000Z' }), 'requestedAt');
    await expect400(await post({ amount: 5000, currency: 'eur', note: 'ten percent\u0000 off' }), 'note');
    await expect400(await post({ amount: 5000, currency: 'eur', amountt: 1 }), 'amountt');
    await expect400(await post({ amount: 1e300, currency: 'eur' }), 'amount');
    const [{ n }] = await edge.db.dataSource.query(`SELECT count(*)::int AS n FROM discount_requests`);
    expect(n).toBe(0);
    // A sane request still goes through, its note kept with its line break.
    await post({ amount: 5000, currency: 'eur', note: 'asked on the phone\nagain', requestedAt: new Date(Date.now() - 3 * 86_400_000).toISOString() }).expect(
      201,
    );
    const [row] = await edge.db.dataSource.query(`SELECT note FROM discount_requests`);
    expect(row.note).toBe('asked on the phone\nagain');
  });

  it('POST /api/sandbox/advance: at most two years per call', async () => {
    await expect400(await edge.api().post('/api/sandbox/advance').set(auth).send({ duration: '999999w' }), 'duration');
    await expect400(await edge.api().post('/api/sandbox/advance').set(auth).send({ duration: '731d' }), 'duration');
    await expect400(await edge.api().post('/api/sandbox/advance').set(auth).send({ seconds: 1e12 }), 'seconds');
    await expect400(await edge.api().post('/api/sandbox/advance').set(auth).send({ duration: '7d', seconds: 5 }), 'duration');
    // Within bounds, the request reaches the controller (404 here: this app runs on a "real" Stripe key).
    await edge.api().post('/api/sandbox/advance').set(auth).send({ duration: '730d' }).expect(404);
  });

  it('no route answers a battery of bad inputs with a 5xx', async () => {
    const spec = (await edge.api().get('/api/docs-json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
    const routes: Array<{ method: string; path: string }> = [];
    for (const [path, operations] of Object.entries(spec.paths)) for (const method of Object.keys(operations)) routes.push({ method, path });
    routes.push({ method: 'get', path: '/approvals/{id}/{decision}' }, { method: 'post', path: '/approvals/{id}/{decision}' });
    expect(routes.length).toBeGreaterThanOrEqual(15);

    const badSegments = [
      '%00',
      DASHES,
      'x'.repeat(5000),
      '%E0%A4%A',
      "cus_'%3B%20DROP%20TABLE%20clients%3B--",
      '..%2F..%2Fetc%2Fpasswd',
      '%F0%9F%92%A9',
      'null',
      '-1',
      '1e999',
    ];
    const badQueries = [
      '',
      '?x=%00',
      '?asOf=9999-12-31&from=0000-01-01',
      '?dryRun[]=true',
      '?level[]=ok&flag[x]=1',
      '?__proto__=1&constructor=2',
      '?format=%00',
      `?status=${'a'.repeat(10000)}`,
      '?customerId=cus_1&customerId=cus_2',
    ];
    const badBodies: Array<string | object> = [
      '{"amount":1e308,"currency":"eur"}',
      '[]',
      'null',
      '"text"',
      '{"__proto__":{"admin":true}}',
      '{"note":"\\u0000"}',
      '{"duration":"999999w"}',
      '{"seconds":-1}',
      `${'['.repeat(5000)}${']'.repeat(5000)}`,
      '{"amount":',
    ];

    const failures: string[] = [];
    const check = (label: string, status: number) => {
      if (status >= 500) failures.push(`${label} → ${status}`);
    };
    for (const route of routes) {
      for (const segment of badSegments) {
        const path = route.path.replace(/\{[^}]+\}/g, segment);
        const request = route.method === 'get' ? edge.api().get(path) : edge.api().post(path).set('Content-Type', 'application/json').send('{}');
        check(`${route.method.toUpperCase()} ${path.slice(0, 80)}`, (await request.set(auth)).status);
      }
      const path = route.path
        .replace('{id}', route.path.includes('actions') || route.path.includes('approvals') ? UUID : client)
        .replace('{report}', 'aging')
        .replace('{decision}', 'approve');
      for (const query of badQueries) {
        const request = route.method === 'get' ? edge.api().get(`${path}${query}`) : edge.api().post(`${path}${query}`);
        check(`${route.method.toUpperCase()} ${path}${query.slice(0, 60)}`, (await request.set(auth)).status);
      }
      if (route.method !== 'post') continue;
      for (const body of badBodies) {
        const response = await edge
          .api()
          .post(path)
          .set(auth)
          .set('Content-Type', 'application/json')
          .send(typeof body === 'string' ? body : JSON.stringify(body));
        check(`POST ${path} ${String(body).slice(0, 40)}`, response.status);
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
