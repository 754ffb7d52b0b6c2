import type { INestApplication } from '@nestjs/common';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../../src/runtime/start-server';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { testConfig } from '../../support/test-config';

const TOKEN = 'test-token-0123456789abcdef';

describe('clients API after the first start', () => {
  let db: TestDatabase;
  let app: INestApplication;
  const api = () => request(app.getHttpServer());
  const auth = { Authorization: `Bearer ${TOKEN}` };

  beforeAll(async () => {
    db = await createTestDatabase();
    // No STRIPE_SECRET_KEY: the app syncs the built-in demo sandbox on its first start, then detects.
    app = await createApp(testConfig({ API_TOKEN: TOKEN }), db.url, pino({ level: 'silent' }));
    await app.init();
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const response = await api().get('/api/clients').set(auth);
      if (response.status === 200 && response.body.length > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error('no assessments appeared after the first start');
  }, 90_000);
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it('lists every synced client by score, filterable by level and flag', async () => {
    type Listed = { customerId: string; score: number; level: string; flags: string[] };
    const all = (await api().get('/api/clients').set(auth).expect(200)).body as Listed[];
    const [{ clients }] = await db.dataSource.query(`SELECT count(*)::int AS clients FROM clients`);
    expect(all).toHaveLength(clients);
    expect(all.map((c) => c.score)).toEqual([...all.map((c) => c.score)].sort((a, b) => b - a));
    // A filter returns exactly the clients of the full list that match: none missing, none extra, same order.
    const ids = (clients: Listed[]) => clients.map((c) => c.customerId);
    const chronic = (await api().get('/api/clients?flag=chronic_late_payer').set(auth).expect(200)).body as Listed[];
    expect(chronic.length).toBeGreaterThan(0);
    expect(ids(chronic)).toEqual(ids(all.filter((c) => c.flags.includes('chronic_late_payer'))));
    const ok = (await api().get('/api/clients?level=ok').set(auth).expect(200)).body as Listed[];
    expect(ok.length).toBeGreaterThan(0);
    expect(ids(ok)).toEqual(ids(all.filter((c) => c.level === 'ok')));
    await api().get('/api/clients?level=terrible').set(auth).expect(400);
    await api().get('/api/clients').expect(401);
  });

  it('shows one client with metrics, evidence, history and predictions', async () => {
    const [top] = (await api().get('/api/clients?flag=arrears').set(auth).expect(200)).body as Array<{ customerId: string }>;
    const detail = (await api().get(`/api/clients/${top.customerId}`).set(auth).expect(200)).body;
    expect(detail.flags).toContain('arrears');
    expect(detail.evidence.arrears[0]).toEqual(expect.objectContaining({ kind: 'invoice', amount: expect.objectContaining({ currency: expect.any(String) }) }));
    expect(detail.metrics.oldestArrearsDays).toBeGreaterThanOrEqual(30);
    expect(detail.history.length).toBeGreaterThan(0);
    expect(detail.openInvoices[0]).toEqual(
      expect.objectContaining({ invoiceId: expect.stringMatching(/^in_/), expectedDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) }),
    );
    await api().get('/api/clients/cus_unknown').set(auth).expect(404);
  });

  it('logs discount requests with validation and a 404 for unknown clients', async () => {
    const [client] = (await api().get('/api/clients?level=ok').set(auth).expect(200)).body as Array<{ customerId: string }>;
    const created = await api()
      .post(`/api/clients/${client.customerId}/discount-requests`)
      .set(auth)
      .send({ amount: 5000, currency: 'EUR', note: 'asked for 10% off on the phone' })
      .expect(201);
    const [row] = await db.dataSource.query(`SELECT client_id, amount::int, currency, created_by FROM discount_requests WHERE id = $1`, [created.body.id]);
    expect(row).toEqual({ client_id: client.customerId, amount: 5000, currency: 'eur', created_by: 'api' });
    const bad = await api().post(`/api/clients/${client.customerId}/discount-requests`).set(auth).send({ amount: 12.5, currency: 'eur' }).expect(400);
    expect(bad.body.error.message).toContain('amount');
    await api().post('/api/clients/cus_nobody/discount-requests').set(auth).send({ amount: 100, currency: 'eur' }).expect(404);
  });
});
