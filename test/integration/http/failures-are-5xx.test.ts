import { randomUUID } from 'node:crypto';
import { resolveLinkSecret } from '../../../src/auth/link-secret';
import { APP_CONFIG, type AppConfig } from '../../../src/config';
import { buildApprovalUrl } from '../../../src/policies/approvals/approval-link';
import { auth, startHttpEdge, type HttpEdge } from './http-fixture';

/**
 * Expected cases (an unknown id) answer 404; a failing database never does. A table renamed
 * away under the running app stands in for an outage: the queries fail, and the answer is a
 * 500 (logged by the one filter), not a page or body saying the thing does not exist.
 */
describe('a database failure is a 5xx, never a 404', () => {
  let edge: HttpEdge;
  let approvalPath: string;
  let client: string;

  beforeAll(async () => {
    edge = await startHttpEdge(1);
    client = edge.clients[0];
    const url = new URL(
      buildApprovalUrl('https://x', randomUUID(), 'approve', new Date(Date.now() + 3_600_000), resolveLinkSecret(edge.app.get<AppConfig>(APP_CONFIG))),
    );
    approvalPath = `${url.pathname}${url.search}`;
  });
  afterAll(() => edge.close());

  it('unknown ids are 404', async () => {
    const page = await edge.api().get(approvalPath).expect(404);
    expect(page.text).toContain('This action no longer exists.');
    await edge.api().get(`/api/actions/${randomUUID()}`).set(auth).expect(404);
    await edge.api().get('/api/clients/cus_nobody/work-status').set(auth).expect(404);
    await edge.api().get(`/api/clients/${client}/work-status`).set(auth).expect(200);
  });

  it('the same requests answer 500 while the tables cannot be read', async () => {
    await edge.db.dataSource.query(`ALTER TABLE actions RENAME TO actions_away`);
    await edge.db.dataSource.query(`ALTER TABLE clients RENAME TO clients_away`);
    try {
      const page = await edge.api().get(approvalPath);
      expect(page.status).toBe(500);
      expect(page.text).not.toContain('no longer exists');
      const action = await edge.api().get(`/api/actions/${randomUUID()}`).set(auth);
      expect(action.status).toBe(500);
      expect(action.body.error.code).toBe('internal');
      for (const id of ['cus_nobody', client]) {
        const status = await edge.api().get(`/api/clients/${id}/work-status`).set(auth);
        expect(status.status).toBe(500);
        expect(status.body.error.code).toBe('internal');
      }
    } finally {
      await edge.db.dataSource.query(`ALTER TABLE clients_away RENAME TO clients`);
      await edge.db.dataSource.query(`ALTER TABLE actions_away RENAME TO actions`);
    }
  });
});
