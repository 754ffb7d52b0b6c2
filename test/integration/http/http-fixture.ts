import type { NestExpressApplication } from '@nestjs/platform-express';
import pino from 'pino';
import type Stripe from 'stripe';
import request from 'supertest';
import { createApp } from '../../../src/runtime/start-server';
import type { RunningSandbox } from '../../../src/sandbox';
import { StripeSyncService } from '../../../src/stripe/sync/stripe-sync.service';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { customer, DAY, invoice, policyConfig, sandboxStartingDaysAgo } from '../policies/policy-fixtures';

export const TOKEN = 'test-token-http-edge-0123456789';
export const auth = { Authorization: `Bearer ${TOKEN}` };

export interface HttpEdge {
  db: TestDatabase;
  sandbox: RunningSandbox;
  stripe: Stripe;
  app: NestExpressApplication;
  clients: string[];
  api: () => ReturnType<typeof request>;
  close(): Promise<void>;
}

/**
 * The app on a sandbox Stripe (as a real key would be), with `overdueClients` clients whose
 * invoice is 18 days past due, synced; the late-fee policy applies fees automatically, so a
 * real policy run changes Stripe, the actions table and the outbox.
 */
export async function startHttpEdge(overdueClients = 2, env: Record<string, string> = {}): Promise<HttpEdge> {
  const db = await createTestDatabase();
  const { sandbox, stripe } = await sandboxStartingDaysAgo(30);
  const clients: string[] = [];
  for (let i = 0; i < overdueClients; i++) {
    clients.push(await customer(stripe, `Overdue ${i}`));
    await invoice(stripe, clients[i], 100_000);
  }
  await sandbox.advanceTime(25 * DAY);
  const config = policyConfig(`policies:\n  lateFee: { enabled: true, mode: auto, graceDays: 7, preset: custom, method: fixed, fixedAmount: 2500 }\n`, {
    STRIPE_SECRET_KEY: sandbox.secretKey,
    STRIPE_API_BASE: sandbox.url,
    API_TOKEN: TOKEN,
    ...env,
  });
  const app = await createApp(config, db.url, pino({ level: 'silent' }));
  await app.init();
  await app.get(StripeSyncService).backfill({ full: true });
  return {
    db,
    sandbox,
    stripe,
    app,
    clients,
    api: () => request(app.getHttpServer()),
    async close() {
      await app.close();
      await sandbox.stop();
      await db.drop();
    },
  };
}
