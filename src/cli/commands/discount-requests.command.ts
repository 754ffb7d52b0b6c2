import type { Logger } from 'pino';
import type { AppConfig } from '../../config';
import { DiscountRequestService } from '../../risk/discount-request.service';
import { withDatabase } from '../with-database';

/** `payrisk discount-requests add CUSTOMER_ID --amount N --currency C [--note TEXT]`. */
export async function addDiscountRequestCommand(
  config: AppConfig,
  logger: Logger,
  customerId: string,
  options: { amount: number; currency: string; note?: string },
): Promise<void> {
  await withDatabase(config, logger, async (dataSource, { clock }) => {
    const { id } = await new DiscountRequestService(dataSource).add(customerId, options, 'cli', clock.now());
    console.log(`Logged discount request ${id} for ${customerId}: ${options.amount} ${options.currency.toLowerCase()} (minor units)`);
  });
}
