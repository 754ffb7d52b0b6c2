import type { Logger } from 'pino';
import { describeAction } from '../../common/evidence/describe-action';
import { plainReason } from '../../common/evidence/describe-evidence';
import type { AppConfig } from '../../config';
import { actionView } from '../../policies/action-view';
import type { ActionStatus } from '../../policies/domain/action';
import { renderTable, terminalWidth } from '../../common/table/render-table';
import { clientNames } from '../../ledger/queries/clients.query';
import { withPolicies } from '../with-policies';

/** `payrisk actions list [--json] [--status S]`. */
export async function actionsListCommand(
  config: AppConfig,
  logger: Logger,
  options: { json?: boolean; status?: ActionStatus; account?: string },
): Promise<void> {
  await withPolicies(config, logger, { stripe: 'ifUsed', command: 'actions list', account: options.account }, async ({ actions, deps }) => {
    const list = await actions.list({ status: options.status });
    if (options.json) {
      process.stdout.write(`${JSON.stringify(list.map(actionView), null, 2)}\n`);
      return;
    }
    if (list.length === 0) return void console.log('No actions yet: "payrisk policies run --dry-run" shows what the policies would do.');
    const ids = [...new Set(list.map((a) => a.clientId))];
    const names = await clientNames(deps.dataSource.manager, ids);
    const rows = list.map((a) => {
      const name = names.get(a.clientId);
      return [a.id, a.status, describeAction(a.kind, a.amount ?? undefined, a.params), name ? `${name} (${a.clientId})` : a.clientId, plainReason(a.reason)];
    });
    console.log(
      renderTable([{ header: 'ID', wrap: false }, { header: 'STATUS' }, { header: 'ACTION' }, { header: 'CLIENT' }, { header: 'WHY' }], rows, {
        width: terminalWidth(),
      }),
    );
  });
}

/** `payrisk actions approve|reject|waive ID`. */
export async function actionDecisionCommand(
  config: AppConfig,
  logger: Logger,
  verb: 'approve' | 'reject' | 'waive',
  id: string,
  options: { account?: string } = {},
): Promise<void> {
  // Approving and waiving act in Stripe; rejecting only records the decision.
  await withPolicies(
    config,
    logger,
    { stripe: verb === 'reject' ? 'ifUsed' : 'writes', command: `actions ${verb}`, account: options.account },
    async ({ actions, dataSource }) => {
      const action =
        verb === 'approve' ? await actions.approve(id, 'cli') : verb === 'reject' ? await actions.reject(id, 'cli') : await actions.waive(id, 'cli');
      // People read the client's name; its id follows in brackets for the ones who grep.
      const name = (await clientNames(dataSource.manager, [action.clientId])).get(action.clientId);
      const ids = Object.entries(action.stripeIds)
        .map(([name, value]) => `${name}=${value}`)
        .join(', ');
      console.log(
        `Action ${action.id} (${action.kind} for ${name ? `${name} (${action.clientId})` : action.clientId}) is now ` +
          `${action.status}${ids ? `; Stripe: ${ids}` : ''}${action.error ? `; ${action.error}` : ''}`,
      );
      if (action.status === 'failed') process.exitCode = 1;
    },
  );
}
