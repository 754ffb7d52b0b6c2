import type { Logger } from 'pino';
import { formatMoney } from '../../common/money';
import type { AppConfig } from '../../config';
import { actionView } from '../../policies/action-view';
import type { PlannedAction } from '../../policies/domain/action';
import { withPolicies } from '../with-policies';

/** `payrisk policies run [--dry-run] [--json]`. */
export async function policiesRunCommand(config: AppConfig, logger: Logger, options: { dryRun?: boolean; json?: boolean; account?: string }): Promise<void> {
  await withPolicies(
    config,
    logger,
    { stripe: options.dryRun ? 'ifUsed' : 'writes', command: options.dryRun ? 'policies run --dry-run' : 'policies run', account: options.account },
    async ({ runner }) => {
      const result = await runner.run({ dryRun: options.dryRun });
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ ...result, actions: result.actions.map(actionView) }, null, 2)}\n`);
        return;
      }
      console.log(options.dryRun ? 'Dry run: nothing was written to the database, Stripe or the outbox.\n' : '');
      console.log(formatPlan(result.planned));
      if (!options.dryRun) {
        console.log(
          `\n${result.created} new action(s), ${result.applied} applied, ${result.failed} failed, ${result.retryLater} to retry, ${result.expired} expired.`,
        );
        const waiting = result.planned.filter((p) => p.mode === 'approve').length;
        if (waiting > 0) console.log('Proposals wait for you: "payrisk actions list", then "payrisk actions approve ID" (or the links in your email).');
      }
    },
  );
}

function formatPlan(planned: PlannedAction[]): string {
  if (planned.length === 0) return 'The policies call for nothing right now.';
  const rows = planned.map((p) => [p.kind, p.mode, p.clientName ?? p.clientId, p.amount ? formatMoney(p.amount) : '', p.reason]);
  const header = ['action', 'mode', 'client', 'amount', 'why'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
