import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { resolveAccount } from '../../accounts';
import { renderTable, terminalWidth } from '../../common/table/render-table';
import type { AppConfig } from '../../config';
import {
  deletePerson,
  ENVIRONMENT_ACCOUNT_NAME,
  findPersonByEmail,
  grantAccount,
  insertApiToken,
  listApiTokens,
  listPeople,
  newApiToken,
  revokeApiTokens,
  revokeGrant,
  upsertPerson,
  type GrantRole,
  type InstanceAccount,
  type Person,
} from '../../people';
import { WebSessionService } from '../../web-session/web-session.service';
import { CliError } from '../cli-error';
import { commandStripe, type CommandRuntime } from '../command-runtime';
import { withDatabase } from '../with-database';

const EMAIL = /^[^@\s]+@[^@\s]+$/;

/**
 * The account `--account ACCT` names, as `resolveAccount` finds it for every command; with no
 * account added, the environment's (STRIPE_SECRET_KEY's, or the running server's sandbox):
 * Stripe says its id.
 */
async function accountNamed(dataSource: DataSource, runtime: CommandRuntime, requested: string | undefined): Promise<InstanceAccount> {
  const resolved = await resolveAccount(dataSource.manager, requested).catch(async (error: unknown) => {
    // No account is added, yet one was named: it can only be the environment's.
    if (requested === undefined || (await resolveAccount(dataSource.manager)).source !== 'environment') throw error;
    return { source: 'environment' as const };
  });
  if (resolved.source === 'added') return { stripeAccountId: resolved.account.stripeAccountId, name: resolved.account.name };
  const connection = await commandStripe(runtime, 'writes', 'people');
  try {
    if (requested !== undefined && requested !== connection.accountId)
      throw new CliError(
        `no Stripe account is called or has the id "${requested}": ` +
          `this instance works on ${connection.accountId} only (add more with \`payrisk accounts add\`)`,
      );
    return { stripeAccountId: connection.accountId, name: ENVIRONMENT_ACCOUNT_NAME };
  } finally {
    await connection.close();
  }
}

async function personWithEmail(dataSource: DataSource, email: string): Promise<Person> {
  const person = await findPersonByEmail(dataSource.manager, email);
  if (!person)
    throw new CliError(
      `nobody with the email ${email} is added: \`payrisk people list\` shows who is; \`payrisk people add ${email} --account ACCT\` adds them`,
    );
  return person;
}

/** `payrisk people add EMAIL [--account ACCT] [--role owner|accountant] [--name NAME]`: grants the account (again: changes the role). */
export async function peopleAddCommand(
  config: AppConfig,
  logger: Logger,
  email: string,
  options: { account?: string; role: GrantRole; name?: string },
): Promise<void> {
  if (!EMAIL.test(email)) throw new CliError(`"${email}" is not an email address`, 2);
  await withDatabase(config, logger, async (dataSource, runtime) => {
    const account = await accountNamed(dataSource, runtime, options.account);
    const existing = await findPersonByEmail(dataSource.manager, email);
    const person = await dataSource.transaction(async (manager) => {
      const saved = await upsertPerson(manager, existing?.email ?? email, options.name ?? existing?.displayName ?? email.split('@')[0]);
      await grantAccount(manager, saved.id, account.stripeAccountId, options.role);
      return saved;
    });
    console.log(
      `${person.displayName} <${person.email}> may now see ${account.name} (${account.stripeAccountId}) as ` +
        `${options.role === 'owner' ? 'an owner' : 'an accountant (reads only)'}.\n` +
        `They sign in with "Email me a link" on the sign-in page, or with the link \`payrisk people link ${person.email}\` prints.`,
    );
  });
}

/** `payrisk people list [--json]`. */
export async function peopleListCommand(config: AppConfig, logger: Logger, options: { json?: boolean }): Promise<void> {
  await withDatabase(config, logger, async (dataSource) => {
    const people = await listPeople(dataSource.manager);
    if (options.json) return void process.stdout.write(`${JSON.stringify(people, null, 2)}\n`);
    if (people.length === 0)
      return void console.log(
        'Nobody is added: the owner (OWNER_EMAIL, API_TOKEN) sees every account. Add someone with: payrisk people add EMAIL --account ACCT',
      );
    const rows = people.map((p) => [p.email, p.displayName, p.grants.map((g) => `${g.stripeAccountId} (${g.role})`).join(', ') || '(nothing granted)']);
    console.log(renderTable([{ header: 'EMAIL', wrap: false }, { header: 'NAME' }, { header: 'ACCOUNTS' }], rows, { width: terminalWidth() }));
  });
}

/** `payrisk people remove EMAIL [--account ACCT]`: one account taken away, or (no --account) the person with their sessions and tokens. */
export async function peopleRemoveCommand(config: AppConfig, logger: Logger, email: string, options: { account?: string }): Promise<void> {
  await withDatabase(config, logger, async (dataSource, runtime) => {
    const person = await personWithEmail(dataSource, email);
    if (options.account === undefined) {
      await deletePerson(dataSource.manager, person.id);
      return void console.log(`Removed ${person.email}: their sessions, sign-in links and tokens no longer open anything.`);
    }
    const account = await accountNamed(dataSource, runtime, options.account);
    const revoked = await revokeGrant(dataSource.manager, person.id, account.stripeAccountId);
    console.log(
      revoked
        ? `${person.email} no longer sees ${account.name} (${account.stripeAccountId}).`
        : `${person.email} was not granted ${account.name} (${account.stripeAccountId}); nothing changed.`,
    );
  });
}

/** `payrisk people link EMAIL`: a one-time sign-in link (15 minutes) for that person, to hand over yourself. */
export async function peopleLinkCommand(config: AppConfig, logger: Logger, email: string): Promise<void> {
  await withDatabase(config, logger, async (dataSource) => {
    const person = await personWithEmail(dataSource, email);
    const { url, expiresAt } = await new WebSessionService(dataSource, config).issueSignInCode('cli', person.id);
    console.log(`Sign-in link for ${person.email} (one use, until ${expiresAt.toISOString()}): ${url}`);
  });
}

/** `payrisk tokens create (--account ACCT | --person EMAIL) [--name NAME]`: prints the token once. */
export async function tokensCreateCommand(config: AppConfig, logger: Logger, options: { account?: string; person?: string; name?: string }): Promise<void> {
  if ((options.account === undefined) === (options.person === undefined))
    throw new CliError('say whom the token is for: --account ACCT or --person EMAIL (one of them)', 2);
  await withDatabase(config, logger, async (dataSource, runtime) => {
    const person = options.person === undefined ? undefined : await personWithEmail(dataSource, options.person);
    const account = person ? undefined : await accountNamed(dataSource, runtime, options.account);
    const secret = newApiToken();
    const name = options.name ?? `${person ? person.email : account?.name} token`;
    const stored = await insertApiToken(dataSource.manager, {
      name,
      tokenHash: secret.tokenHash,
      hint: secret.hint,
      stripeAccountId: account?.stripeAccountId ?? null,
      personId: person?.id ?? null,
    });
    const forWhom = person ? `${person.email} (the accounts granted to them)` : `${account?.name} (${account?.stripeAccountId}) only`;
    console.error(`Created token "${stored.name}" (${stored.id}) for ${forWhom}. It is shown once; keep it: payrisk stores only its hash.`);
    console.log(secret.token);
  });
}

/** `payrisk tokens list [--json] [--all]`: names, hints and whom each is for, never a token. */
export async function tokensListCommand(config: AppConfig, logger: Logger, options: { json?: boolean; all?: boolean }): Promise<void> {
  await withDatabase(config, logger, async (dataSource) => {
    const tokens = await listApiTokens(dataSource.manager, { includeRevoked: options.all });
    if (options.json) return void process.stdout.write(`${JSON.stringify(tokens, null, 2)}\n`);
    if (tokens.length === 0)
      return void console.log('No tokens made: scripts use API_TOKEN (every account). Make one with: payrisk tokens create --account ACCT');
    const rows = tokens.map((t) => [
      t.id,
      t.name,
      t.hint,
      t.personEmail ?? t.stripeAccountId ?? '',
      t.lastUsedAt?.toISOString().slice(0, 16).replace('T', ' ') ?? 'never',
      t.revokedAt ? `revoked ${t.revokedAt.toISOString().slice(0, 10)}` : 'active',
    ]);
    console.log(
      renderTable(
        [{ header: 'ID', wrap: false }, { header: 'NAME' }, { header: 'TOKEN', wrap: false }, { header: 'FOR' }, { header: 'LAST USED' }, { header: 'STATUS' }],
        rows,
        { width: terminalWidth() },
      ),
    );
  });
}

/** `payrisk tokens revoke ID_OR_NAME`: refused from the next request on. */
export async function tokensRevokeCommand(config: AppConfig, logger: Logger, idOrName: string): Promise<void> {
  await withDatabase(config, logger, async (dataSource) => {
    const matches = await revokeApiTokens(dataSource.manager, idOrName);
    if (matches.length === 0) throw new CliError(`no active token is called or has the id "${idOrName}": \`payrisk tokens list\` shows them`);
    if (matches.length > 1)
      throw new CliError(`${matches.length} tokens are called "${idOrName}"; revoke one by its id:\n${matches.map((t) => `  ${t.id}  ${t.hint}`).join('\n')}`);
    console.log(`Revoked token "${matches[0].name}" (${matches[0].hint}): it opens nothing from now on.`);
  });
}
