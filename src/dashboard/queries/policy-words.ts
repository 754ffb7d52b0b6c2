import { flagWords } from '../../common/evidence/describe-evidence';
import { formatMoney, money as moneyOf } from '../../common/money';
import type { PolicyFile } from '../../config/policy-file.schema';

// In the currency's own minor units (JPY has none), as every other surface formats money.
const money = (minor: number, currency: string) => formatMoney(moneyOf(minor, currency));
const who = (appliesTo: unknown): string => {
  const a = (appliesTo ?? {}) as { allOverdue?: boolean; flags?: string[]; levels?: string[] };
  if (a.allOverdue) return 'every client with an overdue invoice';
  const parts = [
    a.flags?.length ? `flagged “${a.flags.map(flagWords).join('” or “')}”` : '',
    a.levels?.length ? `at level ${a.levels.join(' or ')}` : '',
  ].filter(Boolean);
  return parts.length ? `clients ${parts.join(', or ')}` : 'no client';
};
const how = (mode: string) => (mode === 'auto' ? 'applied at once, without asking you' : 'proposed to you first; nothing happens until you approve');

/** The active policy file in plain words: one sentence per policy and what it acts on. Pure. */
export function explainPolicies(policy: PolicyFile, currency: string): { policy: string; enabled: boolean; words: string[] }[] {
  const { lateFee, workPause, priceIncrease, exemptCustomers, approvalLinkTtlHours } = policy;
  const fee =
    lateFee.method === 'fixed'
      ? `a fixed fee of ${money(lateFee.fixedAmount, currency)}`
      : lateFee.method === 'percent'
        ? `${lateFee.percent}% of what is overdue`
        : `daily interest at ${lateFee.annualRatePercent + lateFee.referenceRatePercent}% a year`;
  return [
    {
      policy: 'Late fees',
      enabled: lateFee.enabled,
      words: lateFee.enabled
        ? [
            `Charges ${fee} (preset ${lateFee.preset}) on invoices more than ${lateFee.graceDays} days past due, ` +
              `${lateFee.recurrence === 'monthly' ? 'again every month' : 'once per invoice'}, for ${who(lateFee.appliesTo)}.`,
            `Added ${lateFee.applyAs === 'invoice_item' ? "as an item on the client's next invoice" : 'as a separate invoice'}; ${how(lateFee.mode)}.`,
            ...(lateFee.minimumFee ? [`At least ${money(lateFee.minimumFee, currency)}.`] : []),
            ...(lateFee.capAmount !== undefined ? [`At most ${money(lateFee.capAmount, currency)}.`] : []),
          ]
        : ['Off: no late fee is charged.'],
    },
    {
      policy: 'Pausing work',
      enabled: workPause.enabled,
      words: workPause.enabled
        ? [
            `Pauses work for ${who(workPause.appliesTo)} once an invoice is ${workPause.minDaysPastDue} days past ` +
              `due${workPause.minAmount ? ` and at least ${money(workPause.minAmount, currency)} is overdue` : ''}; ${how(workPause.mode)}.`,
            `${workPause.pauseSubscriptions ? 'Their subscriptions are paused too. ' : ''}Work resumes as soon as the arrears are paid.`,
          ]
        : ['Off: work is never paused.'],
    },
    {
      policy: 'Price increases',
      enabled: priceIncrease.enabled,
      words: priceIncrease.enabled
        ? [
            `Raises prices by ${priceIncrease.percent}% for ${who(priceIncrease.appliesTo)}, after ${priceIncrease.noticeDays} ` +
              `days' notice${priceIncrease.sendNotice ? ' emailed to the client' : ''}; ${how(priceIncrease.mode)}.`,
          ]
        : ['Off: prices are never raised.'],
    },
    {
      policy: 'Exemptions and links',
      enabled: true,
      words: [
        exemptCustomers.length
          ? `Never acts on ${exemptCustomers.join(', ')} (nor on customers with metadata payrisk_exempt=true).`
          : 'Acts on every client except customers with metadata payrisk_exempt=true.',
        `Approval links in emails work for ${approvalLinkTtlHours} hours; a proposal nobody decides by then expires and changes nothing.`,
      ],
    },
  ];
}
