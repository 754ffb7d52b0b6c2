import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { GRANT_ROLES } from '../../people/people.query';

const int = () => z.number().int();

/** One account's line on the cross-account overview: the same figures as that account's own overview. */
export const AccountSummarySchema = z
  .object({
    id: z.string().describe('the Stripe account id (Payrisk-Account, or the switcher, opens it)'),
    name: z.string(),
    role: z.enum(GRANT_ROLES),
    receivables: z.array(z.object({ currency: z.string(), outstanding: int(), overdue: int(), openInvoices: int() }).strict()),
    /** This month's DSO to date, per currency (absent: nothing billed this month). */
    dso: z.array(z.object({ currency: z.string(), dso: z.number().optional() }).strict()),
    /** Clients whose latest level is risky or critical. */
    clientsAtRisk: int(),
    pendingApprovals: int(),
  })
  .strict();
export type AccountSummary = z.output<typeof AccountSummarySchema>;

export const AccountsOverviewSchema = z.object({ asOf: z.string(), accounts: z.array(AccountSummarySchema) }).strict();
export class AccountsOverviewDto extends createZodDto(AccountsOverviewSchema) {}
