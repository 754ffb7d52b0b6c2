import type { Logger } from 'pino';
import { formatMoney, fromMajorUnits, MoneyInputError, normalizeCurrency } from '../../common/money';
import type { AppConfig } from '../../config';
import { DiscountRequestService } from '../../risk/discount-request.service';
import { CliError } from '../cli-error';
import { withAccount } from '../with-account';

/** `payrisk discount-requests add CUSTOMER_ID --amount 10.50 --currency C [--note TEXT] [--force]`: the amount in major units. */
export async function addDiscountRequestCommand(
  config: AppConfig,
  logger: Logger,
  customerId: string,
  options: { amount: string; currency: string; note?: string; force?: boolean; account?: string },
): Promise<void> {
  let amount: number;
  let currency: string;
  try {
    currency = normalizeCurrency(options.currency);
    amount = fromMajorUnits(options.amount, currency).amount;
  } catch (error) {
    if (error instanceof MoneyInputError) throw new CliError(`--${error.details.field}: ${error.message}`);
    throw error;
  }
  if (amount <= 0) throw new CliError('--amount: expected a positive amount, e.g. 10.50');
  await withAccount(
    config,
    logger,
    { account: options.account, stripe: 'ifUsed', command: 'discount-requests add' },
    async ({ dataSource, runtime: { clock } }) => {
      const { id } = await new DiscountRequestService(dataSource).add(customerId, { amount, currency, note: options.note }, 'cli', clock.now(), {
        force: options.force,
      });
      console.log(`Logged discount request ${id} for ${customerId}: ${formatMoney({ amount, currency })}`);
    },
  );
}
