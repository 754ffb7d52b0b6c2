import pino from 'pino';
import {
  tokensCreateCommand,
  tokensListCommand,
  tokensRevokeCommand,
  peopleAddCommand,
  peopleLinkCommand,
  peopleListCommand,
  peopleRemoveCommand,
} from '../../../src/cli/commands/people.command';
import { listApiTokens, listPeople, hashApiToken, useApiToken } from '../../../src/people';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox';
import { WebSessionService } from '../../../src/web-session/web-session.service';
import { testConfig } from '../../support/test-config';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';

/**
 * `payrisk people …` and `payrisk tokens …` on an instance with no account added: grants and
 * tokens are for the environment's account (its id asked from Stripe, here the sandbox).
 */
describe('payrisk people and payrisk tokens (in process, real PostgreSQL)', () => {
  let db: TestDatabase;
  let sandbox: RunningSandbox;
  const logger = pino({ level: 'silent' });
  const config = () =>
    testConfig({ DATABASE_URL: db.url, STRIPE_SECRET_KEY: sandbox.secretKey, STRIPE_API_BASE: sandbox.url, PUBLIC_URL: 'http://payrisk.test/' });
  /** What the command printed on stdout (console.log), as one string. */
  async function printed(run: () => Promise<void>): Promise<string> {
    const lines: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
    const err = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      await run();
    } finally {
      log.mockRestore();
      err.mockRestore();
    }
    return lines.join('\n');
  }

  beforeAll(async () => {
    [db, sandbox] = await Promise.all([createTestDatabase(), startSandbox({ port: 0, seed: 'empty' })]);
  }, 60_000);
  afterAll(async () => {
    await sandbox?.stop();
    await db?.drop();
  });

  it('people add grants the only account, as accountant unless --role owner; list shows it; link signs that person in', async () => {
    const said = await printed(() => peopleAddCommand(config(), logger, 'Kim@Books.test', { role: 'accountant', name: 'Kim' }));
    expect(said).toContain('Kim <Kim@Books.test> may now see Your Stripe account');
    expect(said).toContain('accountant (reads only)');
    await printed(() => peopleAddCommand(config(), logger, 'kim@books.test', { role: 'owner', account: sandbox.accountId }));
    const [kim] = await listPeople(db.dataSource.manager);
    expect(kim).toMatchObject({ email: 'Kim@Books.test', displayName: 'Kim', grants: [{ stripeAccountId: sandbox.accountId, role: 'owner' }] });
    expect(await printed(() => peopleListCommand(config(), logger, {}))).toContain(`${sandbox.accountId} (owner)`);

    await expect(peopleAddCommand(config(), logger, 'kim@books.test', { role: 'owner', account: 'acct_someoneelse' })).rejects.toThrow(
      /this instance works on/,
    );

    const link = /(http:\/\/payrisk\.test\/login\?code=\S+)/.exec(await printed(() => peopleLinkCommand(config(), logger, 'kim@books.test')))?.[1] ?? '';
    const opened = await new WebSessionService(db.dataSource, config()).redeem(new URL(link).searchParams.get('code') ?? '');
    expect(opened?.session.personId).toBe(kim.id);
  });

  it('tokens create prints the token once and stores its hash; list shows its hint; revoke refuses it from then on', async () => {
    const token = (await printed(() => tokensCreateCommand(config(), logger, { account: sandbox.accountId, name: 'nightly export' }))).trim();
    expect(token).toMatch(/^prk_[\w-]{40,}$/);
    const listed = await printed(() => tokensListCommand(config(), logger, {}));
    expect(listed).toContain('nightly export');
    expect(listed).toContain(`prk_…${token.slice(-4)}`);
    expect(listed).not.toContain(token);
    expect((await useApiToken(db.dataSource.manager, hashApiToken(token)))?.stripeAccountId).toBe(sandbox.accountId);

    await printed(() => tokensCreateCommand(config(), logger, { person: 'kim@books.test' }));
    expect((await listApiTokens(db.dataSource.manager)).map((t) => t.personEmail ?? t.stripeAccountId)).toEqual([sandbox.accountId, 'Kim@Books.test']);
    await expect(tokensCreateCommand(config(), logger, {})).rejects.toThrow(/--account ACCT or --person EMAIL/);

    expect(await printed(() => tokensRevokeCommand(config(), logger, 'Nightly Export'))).toContain('Revoked token "nightly export"');
    expect(await useApiToken(db.dataSource.manager, hashApiToken(token))).toBeUndefined();
    await expect(tokensRevokeCommand(config(), logger, 'nightly export')).rejects.toThrow(/no active token/);
  });

  it('people remove takes one account away, or the person with their tokens', async () => {
    expect(await printed(() => peopleRemoveCommand(config(), logger, 'kim@books.test', { account: sandbox.accountId }))).toContain('no longer sees');
    expect((await listPeople(db.dataSource.manager))[0].grants).toEqual([]);
    await printed(() => peopleRemoveCommand(config(), logger, 'kim@books.test', {}));
    expect(await listPeople(db.dataSource.manager)).toEqual([]);
    expect((await listApiTokens(db.dataSource.manager, { includeRevoked: true })).map((t) => t.personEmail)).toEqual([null]);
  });
});
