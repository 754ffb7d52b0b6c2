import { Option, type Command } from 'commander';
import type { CliContext } from './build-program';
import {
  peopleAddCommand,
  peopleLinkCommand,
  peopleListCommand,
  peopleRemoveCommand,
  tokensCreateCommand,
  tokensListCommand,
  tokensRevokeCommand,
} from './commands/people.command';

const ACCOUNT_HELP =
  '\nACCT is an account id (acct_…) or name from `payrisk accounts list`;' +
  " with no account added, the one of STRIPE_SECRET_KEY (or the running server's sandbox)." +
  '\nThe owner (API_TOKEN, a sign-in link to OWNER_EMAIL) always sees every account; these commands are for everyone else.';

/** `payrisk people …` and `payrisk tokens …`: who may see which account (issue 18). */
export function addPeopleCommands(program: Command, context: CliContext): void {
  const people = program.command('people').description('the people who sign in to the dashboard, and the accounts granted to each');
  people
    .command('add <email>')
    .description('grant a person an account (adds them the first time; again: changes the role)')
    .option('--account <acct>', 'the account to grant (default: the only one)')
    .addOption(new Option('--role <role>', 'owner decides actions; accountant reads only').choices(['owner', 'accountant']).default('accountant'))
    .option('--name <name>', 'how the dashboard greets them (default: the part of the email before @)')
    .addHelpText('after', ACCOUNT_HELP)
    .action((email: string, options: { account?: string; role: 'owner' | 'accountant'; name?: string }) =>
      peopleAddCommand(context.config(), context.logger(), email, options),
    );
  people
    .command('list')
    .description('everyone added, with their accounts and roles')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) => peopleListCommand(context.config(), context.logger(), options));
  people
    .command('remove <email>')
    .description('take one account away (--account), or remove the person with their sessions and tokens')
    .option('--account <acct>', 'only this account')
    .addHelpText('after', ACCOUNT_HELP)
    .action((email: string, options: { account?: string }) => peopleRemoveCommand(context.config(), context.logger(), email, options));
  people
    .command('link <email>')
    .description('print a one-time dashboard sign-in link (15 minutes) for that person')
    .action((email: string) => peopleLinkCommand(context.config(), context.logger(), email));

  const tokens = program.command('tokens').description('API tokens for scripts: each for one account or for one person (stored hashed)');
  tokens
    .command('create')
    .description('make a token and print it once (stdout)')
    .option('--account <acct>', 'a token that sees this account only')
    .option('--person <email>', 'a token that acts as this person, with their accounts and roles')
    .option('--name <name>', 'what to call it in `tokens list`')
    .addHelpText('after', '\nSend it as "Authorization: Bearer prk_…", and "Payrisk-Account: acct_…" when it sees several accounts.' + ACCOUNT_HELP)
    .action((options: { account?: string; person?: string; name?: string }) => tokensCreateCommand(context.config(), context.logger(), options));
  tokens
    .command('list')
    .description('the tokens (name, hint, whom for, last used), never the tokens themselves')
    .option('--json', 'print JSON')
    .option('--all', 'include revoked tokens')
    .action((options: { json?: boolean; all?: boolean }) => tokensListCommand(context.config(), context.logger(), options));
  tokens
    .command('revoke <idOrName>')
    .description('refuse a token from now on')
    .action((idOrName: string) => tokensRevokeCommand(context.config(), context.logger(), idOrName));
}
