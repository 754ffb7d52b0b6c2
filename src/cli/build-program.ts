import { Command, InvalidArgumentError, Option } from 'commander';
import type { Logger } from 'pino';
import type { OwnerEmailKind } from '../common/notifications/owner-notifier.port';
import type { AppConfig } from '../config';
import type { ActionStatus } from '../policies/domain/action';
import type { ReportName } from '../reports/domain/report-table';
import { accountsAddCommand, accountsListCommand, accountsRemoveCommand, accountsShowCommand, type AccountsAddOptions } from './commands/accounts.command';
import { actionDecisionCommand, actionsListCommand } from './commands/actions.command';
import { demoCommand } from './commands/demo.command';
import { detectCommand } from './commands/detect.command';
import { addDiscountRequestCommand } from './commands/discount-requests.command';
import { emailsPreviewCommand } from './commands/emails.command';
import { loginLinkCommand } from './commands/login-link.command';
import { migrateCommand } from './commands/migrate.command';
import { policiesRunCommand } from './commands/policies.command';
import { reportCommand, type ReportCommandOptions } from './commands/report.command';
import { sandboxAdvanceCommand } from './commands/sandbox-advance.command';
import { forgetSavedSandbox, sandboxResetCommand } from './commands/sandbox-reset.command';
import { sandboxCommand, type SandboxCommandOptions } from './commands/sandbox.command';
import { parseDuration } from '../demo/duration';
import { addPeopleCommands } from './people-program';
import { startCommand } from './commands/start.command';
import { syncCommand } from './commands/sync.command';
import { workerCommand } from './commands/worker.command';
import type { JobsRole } from '../jobs/jobs-runtime';

export interface CliContext {
  /** Config is loaded lazily so `--help` works even with a broken environment. */
  config(): AppConfig;
  logger(): Logger;
}

const parsePort = (value: string): number => {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) throw new InvalidArgumentError('expected a port between 1 and 65535');
  return port;
};
const parseAccountCount = (value: string): number => {
  const count = Number(value);
  if (!/^\d+$/.test(value) || count < 1 || count > 500) throw new InvalidArgumentError('expected a number of accounts from 1 to 500');
  return count;
};
const parseConcurrency = (value: string): number => {
  const count = Number(value);
  if (!/^\d+$/.test(value) || count < 1 || count > 64) throw new InvalidArgumentError('expected a number of jobs at once from 1 to 64');
  return count;
};
/** Demo businesses of `start --businesses`: each a Stripe account of the built-in sandbox (DEMO_BUSINESS_NAMES names five). */
const parseBusinesses = (value: string): number => {
  const count = Number(value);
  if (!/^\d+$/.test(value) || count < 1 || count > 5) throw new InvalidArgumentError('expected a number of demo businesses from 1 to 5');
  return count;
};
const parseDurationArg = (value: string): string => {
  try {
    parseDuration(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
  return value;
};
const parseDate = (value: string): string => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) throw new InvalidArgumentError('expected a date as YYYY-MM-DD');
  return value;
};
/** Every command that dates something says where "now" comes from (src/cli/command-runtime.ts). */
const CLOCK_HELP =
  '\nDates: "now" and "today" are on payrisk\'s clock, the one the server uses: the sandbox\'s clock on the built-in sandbox\n' +
  '(read from the running `payrisk start`, moved by `payrisk sandbox advance`), the wall clock (UTC) otherwise.';
const NEXT_TO_SERVER_HELP = "\nNext to a running `payrisk start` (same PAYRISK_HOME) it uses the server's database and sandbox, from <home>/runtime.json.";
const STRIPE_WRITE_HELP =
  '\nOn the built-in sandbox (no STRIPE_SECRET_KEY) it needs a running `payrisk start` and refuses otherwise: a sandbox of its own would be new and empty.';

/** Every command that works on one Stripe account: which one (src/accounts/resolve-account.ts). */
const ACCOUNT_OPTION = [
  '--account <acct>',
  'the Stripe account to work on: its id (acct_…) or name (default: the only one; see `payrisk accounts list`)',
] as const;

/** The `payrisk` command line (README "Commands"; the shared DESIGN.md lists the interfaces others rely on). */
export function buildProgram(context: CliContext): Command {
  const program = new Command('payrisk')
    .description('Finds clients who pay late or keep haggling, from your Stripe invoices, and applies your policies.')
    .version('0.1.0')
    .showHelpAfterError('(run "payrisk --help" for usage)')
    .configureOutput({ outputError: (text, write) => write(text) });

  program
    .command('start')
    .description('run the server: API, webhooks, dashboard and cron (embedded Postgres unless DATABASE_URL is set)')
    .option('--fresh', 'on the built-in sandbox: start a new demo business (empties the ledger and the outbox) instead of continuing the saved one')
    .addOption(
      new Option('--role <role>', 'web: HTTP only; worker: queued jobs only (as `payrisk worker`); all: both').choices(['web', 'worker', 'all']).default('all'),
    )
    .option('--concurrency <n>', 'jobs run at once by the worker (roles all and worker)', parseConcurrency, 1)
    .option('--businesses <n>', 'on the built-in sandbox: run this many demo businesses (1–5), each its own Stripe account', parseBusinesses, 1)
    .addHelpText(
      'after',
      '\nLogs on stdout; on the built-in sandbox (no STRIPE_SECRET_KEY) to <home>/logs/payrisk.log, ' +
        'so the start-up summary stays readable (warnings and errors still show on the terminal).',
    )
    .action((options: { fresh?: boolean; role: JobsRole; concurrency: number; businesses: number }) => {
      if (options.fresh) forgetSavedSandbox(context.config());
      return startCommand(context.config(), context.logger(), { role: options.role, concurrency: options.concurrency }, { businesses: options.businesses });
    });

  program
    .command('worker')
    .description('run queued jobs (pg-boss on the same PostgreSQL) and the cron ticks that queue them; any number of workers share one database')
    .option('--concurrency <n>', 'jobs run at once (each for another account)', parseConcurrency, 1)
    .addHelpText('after', NEXT_TO_SERVER_HELP)
    .action((options: { concurrency: number }) => workerCommand(context.config(), context.logger(), options));

  program
    .command('demo')
    .description('one shot on embedded defaults: sandbox data → sync → detect → policies → emails to the outbox → summary')
    .action(() => demoCommand(context.config(), context.logger()));

  const sandbox = program
    .command('sandbox')
    .description('run the offline Stripe sandbox')
    .option('--port <port>', 'port to listen on', parsePort, 12111)
    .option('--seed <seed>', 'demo | empty | N clients', 'demo')
    .option('--webhook-url <url>', 'deliver signed webhooks to this URL')
    .option('--faults <spec>', 'inject faults, e.g. 429=0.1,500=0.05,drop=0.05')
    .option('--accounts <n>', 'serve N Stripe accounts, each with its own key and data (default 1: any sk_test_ key reaches it)', parseAccountCount, 1)
    .action((options: SandboxCommandOptions) => sandboxCommand(options));
  sandbox
    .command('advance')
    .description('move the clock of the sandbox inside a running "payrisk start", then sync, detect, apply policies, send emails')
    .argument('<duration>', 'how far: 7d, 12h, 30m, 3600s, 2w', parseDurationArg)
    .option('--server <url>', 'the payrisk server (default: the one running on PAYRISK_HOME, from <home>/runtime.json)')
    .action((duration: string, options: { server?: string }) => sandboxAdvanceCommand(context.config(), duration, options));
  sandbox
    .command('reset')
    .description(
      'start the built-in sandbox over: empty the ledger, forget the saved sandbox (<home>/sandbox), empty the outbox (refuses while "payrisk start" runs)',
    )
    .action(() => sandboxResetCommand(context.config(), context.logger()));

  program
    .command('login-link')
    .description('print a fresh one-time sign-in link (15 minutes) for the dashboard of the running "payrisk start"')
    .option('--server <url>', 'the payrisk server (default http://127.0.0.1:$PORT)')
    .action((options: { server?: string }) => loginLinkCommand(context.config(), options));

  program
    .command('migrate')
    .description('apply pending database migrations')
    .action(() => migrateCommand(context.config(), context.logger()));

  program
    .command('sync')
    .description('catch up with Stripe events, or backfill everything with --full')
    .option('--full', 'backfill every object instead of catching up')
    .option(...ACCOUNT_OPTION)
    .addHelpText('after', NEXT_TO_SERVER_HELP + STRIPE_WRITE_HELP)
    .action((options: { full?: boolean; account?: string }) => syncCommand(context.config(), context.logger(), options));

  program
    .command('detect')
    .description('assess every client and print a table sorted by score')
    .option('--json', 'print one JSON object per client')
    .option('--full', 'assess every client, not only those whose data changed')
    .option(...ACCOUNT_OPTION)
    .addHelpText('after', "\nAssesses as of now on payrisk's clock (days late, arrears age)." + CLOCK_HELP + NEXT_TO_SERVER_HELP)
    .action((options: { json?: boolean; full?: boolean; account?: string }) => detectCommand(context.config(), context.logger(), options));

  const policies = program.command('policies').description("apply the owner's policies");
  policies
    .command('run')
    .description('decide and apply (or propose) late fees, pauses and price increases')
    .option('--dry-run', 'show what would happen; write nothing anywhere')
    .option('--json', 'print JSON')
    .option(...ACCOUNT_OPTION)
    .addHelpText(
      'after',
      "\nDays past due and notice dates count from now on payrisk's clock." + CLOCK_HELP + NEXT_TO_SERVER_HELP + '\nWithout --dry-run:' + STRIPE_WRITE_HELP,
    )
    .action((options: { dryRun?: boolean; json?: boolean; account?: string }) => policiesRunCommand(context.config(), context.logger(), options));

  const actions = program.command('actions').description('list and decide on proposed actions');
  actions
    .command('list')
    .description('list actions, newest first')
    .option('--json', 'print JSON (id, kind, customerId, status, amount, reason, stripeIds, ...)')
    .addHelpText('after', NEXT_TO_SERVER_HELP)
    .addOption(new Option('--status <status>', 'only this status').choices(['proposed', 'approved', 'applied', 'rejected', 'failed', 'waived', 'expired']))
    .option(...ACCOUNT_OPTION)
    .action((options: { json?: boolean; status?: ActionStatus; account?: string }) => actionsListCommand(context.config(), context.logger(), options));
  const verbs = {
    approve: 'approve a proposed action and apply it in Stripe',
    reject: 'reject a proposed action',
    waive: 'waive an applied late fee (removed or credited in Stripe)',
  };
  for (const [verb, description] of Object.entries(verbs) as ['approve' | 'reject' | 'waive', string][]) {
    actions
      .command(`${verb} <id>`)
      .description(description)
      .option(...ACCOUNT_OPTION)
      .addHelpText('after', CLOCK_HELP + NEXT_TO_SERVER_HELP + (verb === 'reject' ? '' : STRIPE_WRITE_HELP))
      .action((id: string, options: { account?: string }) => actionDecisionCommand(context.config(), context.logger(), verb, id, options));
  }

  const emails = program.command('emails').description('owner emails');
  emails
    .command('preview')
    .description('render an email from current data (or sample data)')
    .addArgument(new Command().createArgument('<kind>', 'alert | action | pause | resume | digest').choices(['alert', 'action', 'pause', 'resume', 'digest']))
    .option(...ACCOUNT_OPTION)
    .addHelpText('after', "\nThe email is dated, and its days past due counted, as of now on payrisk's clock." + CLOCK_HELP + NEXT_TO_SERVER_HELP)
    .action((kind: OwnerEmailKind, options: { account?: string }) => emailsPreviewCommand(context.config(), context.logger(), kind, options));

  const discountRequests = program.command('discount-requests').description('log haggling that happened off Stripe');
  discountRequests
    .command('add <customerId>')
    .description('log a discount request by a client')
    .requiredOption('--amount <n>', "amount asked for, in the currency's major units: 10.50 is €10.50 in EUR, 10 is ¥10 in JPY")
    .requiredOption('--currency <c>', 'ISO currency the client is billed in, e.g. eur')
    .option('--note <text>', 'what was asked')
    .option('--force', 'log it even in a currency the client has never been billed in')
    .option(...ACCOUNT_OPTION)
    .addHelpText('after', "\nThe request is dated now on payrisk's clock." + CLOCK_HELP + NEXT_TO_SERVER_HELP)
    .action((customerId: string, options: { amount: string; currency: string; note?: string; force?: boolean; account?: string }) =>
      addDiscountRequestCommand(context.config(), context.logger(), customerId, options),
    );

  const report = program
    .command('report')
    .description('accountant reports: aging as of a day; DSO, payment behaviour, late fees and discounts for a period')
    .addArgument(
      new Command().createArgument('<kind>', 'aging | dso | behaviour | fees | discounts').choices(['aging', 'dso', 'behaviour', 'fees', 'discounts']),
    )
    .option('--as-of <date>', "as things stood on YYYY-MM-DD (default: today on payrisk's clock, the sandbox's clock on the built-in sandbox)", parseDate)
    .option('--from <date>', 'period start YYYY-MM-DD (default: 89 days before --to)', parseDate)
    .option('--to <date>', 'period end YYYY-MM-DD (default: --as-of)', parseDate)
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'csv', 'xlsx', 'json']).default('table'))
    .option('--out <file>', 'write to a file instead of stdout')
    .option(...ACCOUNT_OPTION)
    .addHelpText('after', CLOCK_HELP + NEXT_TO_SERVER_HELP)
    // Bad arguments (date, report name, format) are usage errors: exit code 2.
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));
  report.action((kind: ReportName, options: ReportCommandOptions) =>
    reportCommand(context.config(), context.logger(), kind, options, (message) => report.error(message, { exitCode: 2, code: 'payrisk.usage' })),
  );

  const accounts = program
    .command('accounts')
    .description('the Stripe accounts payrisk works for (without any, the one account of STRIPE_SECRET_KEY or the built-in sandbox)');
  const ACCOUNTS_HELP =
    '\nKeys are stored sealed with AES-256-GCM under PAYRISK_SECRET_KEY, or a key generated once in <home>/secret.key (0600); no command prints them.' +
    NEXT_TO_SERVER_HELP;
  accounts
    .command('add')
    .description('add a Stripe account by its key (the account id is read from Stripe: GET /v1/account); adding it again updates it')
    .requiredOption('--name <name>', 'what to call it, e.g. "Acme Studio" (unique; usable as --account)')
    .requiredOption('--key <key>', 'its secret or restricted key: sk_live_…, sk_test_…, rk_live_…, rk_test_…')
    .option('--webhook-secret <whsec>', "the signing secret of the account's webhook endpoint (whsec_…)")
    .option('--owner-email <email>', "who gets this account's emails (default: OWNER_EMAIL)")
    .option('--config <file>', "this account's YAML policy file (default: the default policies)")
    .addHelpText('after', '\nSTRIPE_API_BASE, when set, is asked instead of api.stripe.com (e.g. a `payrisk sandbox`).' + ACCOUNTS_HELP)
    .action((options: AccountsAddOptions) => accountsAddCommand(context.config(), context.logger(), options));
  accounts
    .command('list')
    .description('list the added accounts (never their keys)')
    .option('--json', 'print JSON')
    .option('--all', 'include removed accounts')
    .addHelpText('after', ACCOUNTS_HELP)
    .action((options: { json?: boolean; all?: boolean }) => accountsListCommand(context.config(), context.logger(), options));
  accounts
    .command('show')
    .description('the account a command works for with this --account (default: the only one)')
    .option('--account <acct>', 'an account id (acct_…) or name')
    .option('--json', 'print JSON')
    .addHelpText('after', ACCOUNTS_HELP)
    .action((options: { account?: string; json?: boolean }) => accountsShowCommand(context.config(), context.logger(), options));
  accounts
    .command('remove <id>')
    .description('stop working for an account (its data stays); --purge deletes its data')
    .option('--purge', 'delete all its data from every table, in one transaction (shows what without --yes)')
    .option('--yes', 'with --purge: really delete')
    .addHelpText('after', ACCOUNTS_HELP)
    .action((id: string, options: { purge?: boolean; yes?: boolean }) => accountsRemoveCommand(context.config(), context.logger(), id, options));

  addPeopleCommands(program, context);
  return program;
}
