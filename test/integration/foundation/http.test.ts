import type { INestApplication } from '@nestjs/common';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../../src/runtime/start-server';
import { createTestDatabase, TestDatabase } from '../../support/test-database';
import { testConfig } from '../../support/test-config';

const TOKEN = 'test-token-0123456789abcdef';

describe('HTTP foundation', () => {
  let db: TestDatabase;
  let app: INestApplication;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await createApp(testConfig({ API_TOKEN: TOKEN }), db.url, pino({ level: 'silent' }));
    await app.init();
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it('GET /health reports the database up and migrations current', async () => {
    const response = await request(app.getHttpServer()).get('/health').expect(200);
    expect(response.body).toEqual({ status: 'ok', database: 'up', migrations: 'current' });
  });

  it('guards /api with the bearer API_TOKEN', async () => {
    const denied = await request(app.getHttpServer()).get('/api/status').expect(401);
    expect(denied.body.error.code).toBe('unauthorized');
    await request(app.getHttpServer()).get('/api/status').set('Authorization', 'Bearer wrong-token-0123456789').expect(401);
    const allowed = await request(app.getHttpServer()).get('/api/status').set('Authorization', `Bearer ${TOKEN}`).expect(200);
    expect(allowed.body).toMatchObject({ database: 'embedded', stripe: 'sandbox', mail: 'outbox' });
    expect(JSON.stringify(allowed.body)).not.toContain(TOKEN);
  });

  it('serves OpenAPI docs at /api/docs', async () => {
    const page = await request(app.getHttpServer()).get('/api/docs').expect(200);
    expect(page.text).toContain('swagger');
    const spec = await request(app.getHttpServer()).get('/api/docs-json').expect(200);
    expect(spec.body.info.title).toBe('payrisk');
    expect(Object.keys(spec.body.paths)).toContain('/api/status');
  });

  it('answers unknown routes with the error envelope', async () => {
    const response = await request(app.getHttpServer()).get('/api/nope').set('Authorization', `Bearer ${TOKEN}`).expect(404);
    expect(response.body.error.code).toBe('not_found');
  });
});

describe('GET /health with pending migrations', () => {
  it('answers 503 and says migrations are pending', async () => {
    const db = await createTestDatabase({ migrate: false });
    const app = await createApp(testConfig({ API_TOKEN: TOKEN }), db.url, pino({ level: 'silent' }));
    await app.init();
    try {
      const response = await request(app.getHttpServer()).get('/health').expect(503);
      expect(response.body).toEqual({ status: 'error', database: 'up', migrations: 'pending' });
    } finally {
      await app.close();
      await db.drop();
    }
  });
});
