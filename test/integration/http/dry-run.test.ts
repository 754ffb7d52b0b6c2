import { PipelineService } from '../../../src/pipeline/pipeline.service';
import { feeItems } from '../policies/policy-fixtures';
import { auth, startHttpEdge, type HttpEdge } from './http-fixture';

/**
 * `POST /api/policies/run?dryRun=…` with anything but exactly `true`/`false` used to run the
 * policies for real (fees in Stripe, emails). Now it is a 400 naming the field, and nothing runs.
 */
describe('POST /api/policies/run: a dry run is exactly dryRun=true', () => {
  let edge: HttpEdge;
  /** Fees the boot run's auto policies put in Stripe (with their actions gone, a real run would plan and record again). */
  let feesAtBoot = 0;
  beforeAll(async () => {
    edge = await startHttpEdge(2);
    // The app's own first pipeline run (sync → detect → policies) at boot, then a clean slate:
    // what is counted below is only what the request itself does.
    await edge.app.get(PipelineService).initialRun();
    await edge.db.dataSource.query(`DELETE FROM outbox_messages`);
    await edge.db.dataSource.query(`DELETE FROM action_audit`);
    await edge.db.dataSource.query(`DELETE FROM actions`);
    feesAtBoot = (await Promise.all(edge.clients.map((id) => feeItems(edge.stripe, id)))).flat().length;
  }, 90_000);
  afterAll(async () => edge?.close());

  const counts = async () => {
    const [{ actions }] = await edge.db.dataSource.query(`SELECT count(*)::int AS actions FROM actions`);
    // The emails a policy run writes (risk alerts come from detection, on their own schedule).
    const [{ outbox }] = await edge.db.dataSource.query(`SELECT count(*)::int AS outbox FROM outbox_messages WHERE kind <> 'alert' AND kind <> 'digest'`);
    const fees = (await Promise.all(edge.clients.map((id) => feeItems(edge.stripe, id)))).flat().length - feesAtBoot;
    return { actions, outbox, fees };
  };

  it.each([
    ['dryRun=TRUE', 'dryRun', 'expected true or false'],
    ['dryRun=yes', 'dryRun', 'expected true or false'],
    ['dryRun=1', 'dryRun', 'expected true or false'],
    ['dryRun=', 'dryRun', 'expected true or false'],
    ['dryRun=true&dryRun=true', 'dryRun', 'expected true or false'],
    ['dryRun[]=true', 'dryRun[]', 'unknown field'],
    ['dry-run=true', 'dry-run', 'unknown field'],
    ['dryrun=true', 'dryrun', 'unknown field'],
  ])('%s is a 400 naming %s, and nothing runs', async (query, field, expected) => {
    const response = await edge.api().post(`/api/policies/run?${query}`).set(auth).expect(400);
    expect(response.body.error.code).toBe('invalid_input');
    expect(response.body.error.message).toContain(`${field}: ${expected}`);
    expect(response.body.error.details.issues).toEqual([{ path: field, message: expect.stringContaining(expected) }]);
    expect(await counts()).toEqual({ actions: 0, outbox: 0, fees: 0 });
  });

  it('the 400 has the one error shape', async () => {
    const response = await edge.api().post('/api/policies/run?dryRun=TRUE').set(auth).expect(400);
    expect(response.body).toEqual({
      error: {
        code: 'invalid_input',
        message: 'dryRun: expected true or false',
        details: { field: 'dryRun', issues: [{ path: 'dryRun', message: 'expected true or false' }] },
      },
    });
  });

  it('dryRun=true plans without writing; dryRun=false then acts (so the refusals above prevented real work)', async () => {
    const dry = await edge.api().post('/api/policies/run?dryRun=true').set(auth).expect(200);
    expect(dry.body.planned.filter((p: { kind: string }) => p.kind === 'late_fee')).toHaveLength(2);
    expect(await counts()).toEqual({ actions: 0, outbox: 0, fees: 0 });

    await edge.api().post('/api/policies/run?dryRun=false').set(auth).expect(200);
    const after = await counts();
    expect(after.actions).toBeGreaterThanOrEqual(2);
    expect(after.fees).toBe(2);
    expect(after.outbox).toBeGreaterThan(0);
  });

  it('/api/docs shows the schemas that validate: dryRun is true|false, unknown keys are not allowed', async () => {
    const spec = (await edge.api().get('/api/docs-json').expect(200)).body;
    const run = spec.paths['/api/policies/run'].post;
    expect(run.parameters).toEqual([
      expect.objectContaining({ name: 'dryRun', in: 'query', required: false, schema: expect.objectContaining({ enum: ['true', 'false'] }) }),
    ]);
    const discount = spec.paths['/api/clients/{id}/discount-requests'].post;
    const ref = discount.requestBody.content['application/json'].schema.$ref as string;
    const body = spec.components.schemas[ref.split('/').pop() as string];
    expect(body).toMatchObject({ type: 'object', additionalProperties: false, required: ['amount', 'currency'] });
    expect(Object.keys(body.properties).sort()).toEqual(['amount', 'currency', 'note', 'requestedAt']);
    expect(spec.paths['/api/actions/{id}'].get.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'id', in: 'path', schema: expect.objectContaining({ pattern: expect.any(String) }) })]),
    );
  });
});
