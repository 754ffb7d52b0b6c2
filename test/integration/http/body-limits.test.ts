import { gzipSync } from 'node:zlib';
import { auth, startHttpEdge, type HttpEdge } from './http-fixture';

const UUID = '3f2b8c1e-4d5a-4b6c-9d7e-8f9a0b1c2d3e';
/** supertest would JSON-encode a Buffer sent as application/json; these bytes go as they are. */
const asIs = (data: unknown) => data as string;
const jsonOfSize = (bytes: number) => JSON.stringify({ note: 'x'.repeat(bytes) });

/** Bodies are read with explicit limits and encodings; oversized ones used to answer 500. */
describe('request bodies: limits, encodings, content types', () => {
  let edge: HttpEdge;
  const api = () => edge.api();

  beforeAll(async () => {
    // With a webhook secret, so the webhook route reads and checks what it is sent.
    edge = await startHttpEdge(0, { STRIPE_WEBHOOK_SECRET: 'whsec_httpedge' });
  }, 90_000);
  afterAll(async () => edge?.close());

  it('answers 413 over 100 kB on /api, /approvals and /health, with or without a token', async () => {
    const big = jsonOfSize(150 * 1024);
    for (const [path, headers] of [
      ['/api/clients/cus_x/discount-requests', auth],
      ['/api/clients/cus_x/discount-requests', {}],
      [`/api/actions/${UUID}/approve`, {}],
      [`/approvals/${UUID}/approve?expires=1&sig=${'0'.repeat(64)}`, {}],
      ['/health', {}],
    ] as const) {
      const response = await api().post(path).set(headers).set('Content-Type', 'application/json').send(big);
      expect({ path, status: response.status, code: response.body.error?.code }).toEqual({ path, status: 413, code: 'payload_too_large' });
      expect(response.body.error.message).toBe('body: at most 100 kB accepted here');
    }
    // Just under the limit, the body is read and the request goes on (to the token check here).
    await api()
      .post('/api/clients/cus_x/discount-requests')
      .set('Content-Type', 'application/json')
      .send(jsonOfSize(90 * 1024))
      .expect(401);
  });

  it('accepts Stripe-sized webhook bodies up to 1 MB and answers 413 above', async () => {
    const event = (size: number) =>
      JSON.stringify({ id: 'evt_big', object: 'event', type: 'invoice.updated', data: { object: { id: 'in_big', padding: 'x'.repeat(size) } } });
    // 600 kB is read (then refused for its missing signature: 400, not 413).
    const read = await api()
      .post('/webhooks/stripe')
      .set('Content-Type', 'application/json')
      .send(event(600 * 1024));
    expect({ status: read.status, message: read.body.error.message }).toEqual({ status: 400, message: expect.stringContaining('Missing Stripe-Signature') });
    const tooBig = await api()
      .post('/webhooks/stripe')
      .set('Content-Type', 'application/json')
      .set('Stripe-Signature', 't=1,v1=00')
      .send(event(1100 * 1024));
    expect({ status: tooBig.status, message: tooBig.body.error?.message }).toEqual({ status: 413, message: 'body: at most 1024 kB accepted here' });
  });

  it('counts the inflated bytes of a gzip body against the limit', async () => {
    const bomb = gzipSync(Buffer.from(jsonOfSize(5 * 1024 * 1024))); // a few kB on the wire
    expect(bomb.length).toBeLessThan(100 * 1024);
    const response = await api()
      .post('/api/clients/cus_x/discount-requests')
      .set(auth)
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .serialize(asIs)
      .send(bomb);
    expect(response.status).toBe(413);
  });

  it('reads real gzip bodies, refuses fake gzip (400) and unknown encodings (415)', async () => {
    const body = gzipSync(Buffer.from(JSON.stringify({ amount: 5000, currency: 'eur' })));
    // A real gzip body is inflated and validated: the client is unknown, so 404 (not 400/415).
    await api()
      .post('/api/clients/cus_nobody/discount-requests')
      .set(auth)
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .serialize(asIs)
      .send(body)
      .expect(404);

    const fake = await api()
      .post('/api/clients/cus_nobody/discount-requests')
      .set(auth)
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .send('{"amount":5000,"currency":"eur"}');
    expect({ status: fake.status, code: fake.body.error?.code, message: fake.body.error?.message }).toEqual({
      status: 400,
      code: 'invalid_input',
      message: 'body: Content-Encoding says gzip, but the body could not be decoded as gzip',
    });

    const unknown = await api()
      .post('/api/clients/cus_nobody/discount-requests')
      .set(auth)
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'x-compress-9000')
      .send('{"amount":5000,"currency":"eur"}');
    expect({ status: unknown.status, code: unknown.body.error?.code }).toEqual({ status: 415, code: 'unsupported_media_type' });
    expect(unknown.body.error.message).toContain('x-compress-9000');
  });

  it('refuses non-JSON bodies on JSON routes (415) and malformed JSON (400)', async () => {
    for (const type of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const response = await api().post('/api/clients/cus_nobody/discount-requests').set(auth).set('Content-Type', type).send('amount=5000&currency=eur');
      expect({ type, status: response.status, code: response.body.error?.code }).toEqual({ type, status: 415, code: 'unsupported_media_type' });
    }
    const broken = await api().post('/api/clients/cus_nobody/discount-requests').set(auth).set('Content-Type', 'application/json').send('{"amount":');
    expect({ status: broken.status, message: broken.body.error?.message }).toEqual({ status: 400, message: 'body: expected valid JSON' });
  });

  it('keeps the approval pages’ empty form posts working', async () => {
    // The page's button posts an empty urlencoded form: it reaches the link check (403 for this forged link).
    const response = await api()
      .post(`/approvals/${UUID}/approve?expires=1&sig=${'0'.repeat(64)}`)
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send('');
    expect(response.status).toBe(403);
    expect(response.text).toContain('Invalid link');
  });
});
