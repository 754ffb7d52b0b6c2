import { startSandbox, type RunningSandbox } from '../../../src/sandbox';
import { openStripeConnection } from '../../../src/stripe/stripe-connection';
import { testConfig } from '../../support/test-config';

describe('the Stripe account a key belongs to', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, seed: 'empty' });
  }, 30_000);
  afterAll(() => sandbox.stop());

  it('labels the ledger with the real account id, read from GET /v1/account', async () => {
    const connection = await openStripeConnection(testConfig({ STRIPE_SECRET_KEY: 'sk_test_account_id', STRIPE_API_BASE: sandbox.url }));
    try {
      expect(connection.accountId).toBe(sandbox.accountId);
      expect(connection.accountId).toMatch(/^acct_\w{16}$/);
    } finally {
      await connection.close();
    }
  }, 30_000);
});
