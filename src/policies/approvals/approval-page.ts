import Handlebars from 'handlebars';
import { describeAction } from '../../common/evidence/describe-action';
import { describeEvidence, plainReason, shortDate } from '../../common/evidence/describe-evidence';
import { formatMoney, money } from '../../common/money';
import type { InvoiceSummary } from '../../ledger/queries/invoices.query';
import { actionCalculation } from '../action-words';
import type { ActionRecord } from '../persistence/action-row';
import type { ApprovalDecision } from './approval-link';

/**
 * The pages behind the one-click links, rendered with Handlebars (every {{value}} escaped):
 * what will happen in Stripe, why, the calculation, the invoice(s) concerned, and both
 * Approve and Reject; after a decision, the result with the Stripe ids and the undo link.
 */
const hb = Handlebars.create();

/** The pages' one inline style; the Content-Security-Policy allows exactly it, by hash. */
export const APPROVAL_PAGE_CSS = [
  'body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#18181b}',
  'h1{font-size:1.4rem}h2{font-size:1.05rem;margin:1.2rem 0 .3rem}ul{padding-left:1.2rem;margin:0}',
  'form{display:inline-block;margin:1rem .5rem 0 0}',
  'button{font-size:1rem;padding:.7rem 1.4rem;border:0;border-radius:6px;background:#16a34a;color:#fff;cursor:pointer}',
  'button.reject{background:#52525b}button.waive{background:#b45309}',
  '.muted{color:#71717a;font-size:.9rem}table{border-collapse:collapse}',
  'td{padding:.15rem .8rem .15rem 0}',
].join('');

const layout = hb.compile(
  `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    // No icon of its own: without one the browser asks for /favicon.ico, a 404 on every page.
    `<meta name="viewport" content="width=device-width,initial-scale=1"><link rel="icon" href="data:,"><title>{{title}} · payrisk</title>
<style>{{{css}}}</style>
</head><body><h1>{{title}}</h1>{{{body}}}</body></html>`,
);

const confirmBody = hb.compile(`<p><strong>{{clientName}}</strong></p>
<h2>What will happen in Stripe</h2>
<ul>{{#each effects}}<li>{{this}}</li>{{/each}}</ul>
<h2>Why</h2>
<p>{{why}}</p>
{{#if calculation.length}}<h2>The calculation</h2>
<table>{{#each calculation}}<tr><td>{{label}}</td><td>{{value}}</td></tr>{{/each}}</table>{{/if}}
{{#if invoices.length}}<h2>Invoice concerned</h2>
<ul>{{#each invoices}}<li>{{this}}</li>{{/each}}</ul>{{/if}}
{{#each buttons}}<form method="post" action="{{action}}"><button type="submit" class="{{decision}}">{{label}}</button></form>{{/each}}
<p class="muted">These buttons work once and expire {{expires}} UTC.</p>`);

const resultBody = hb.compile(`<p>{{message}}</p>
{{#if stripeIds.length}}<h2>In Stripe</h2>
<ul>{{#each stripeIds}}<li>{{name}}: <code>{{id}}</code></li>{{/each}}</ul>{{/if}}
{{#if undoUrl}}<p><a href="{{undoUrl}}">Undo: waive this fee</a> (works for 30 days).</p>{{/if}}`);

const messageBody = hb.compile(`<p>{{message}}</p>`);

export function page(title: string, body: string): string {
  return layout({ title, body, css: APPROVAL_PAGE_CSS });
}

export function messagePage(title: string, message: string): string {
  return page(title, messageBody({ message }));
}

export interface ConfirmView {
  action: ActionRecord;
  clientName: string;
  decision: ApprovalDecision;
  expiresAt: Date;
  invoice?: InvoiceSummary;
  /** Signed form targets (relative) for each button shown. */
  links: Partial<Record<ApprovalDecision, string>>;
  now: Date;
}

const verbs: Record<ApprovalDecision, string> = { approve: 'Approve', reject: 'Reject', waive: 'Waive' };

type Subscription = { items?: { nickname?: string; currency: string; unitAmount: number; newUnitAmount: number }[] };

/** What applying the action does, in the owner's words. Pure. */
export function stripeEffects(action: ActionRecord, clientName: string, invoiceName?: string): string[] {
  const p = action.params;
  const fee = action.amount ? formatMoney(action.amount) : '';
  switch (action.kind) {
    case 'late_fee':
      return [
        p.applyAs === 'separate_invoice'
          ? `A new invoice of ${fee} for the late fee${invoiceName ? ` on ${invoiceName}` : ''} is created and sent to ${clientName}.`
          : `An invoice item of ${fee}${typeof p.description === 'string' ? ` ("${p.description}")` : ''} is added to ${clientName}'s next invoice.`,
        'You can undo it afterwards: the fee is waived (taken back out of Stripe).',
      ];
    case 'price_increase': {
      const lines = ((p.subscriptions ?? []) as Subscription[]).flatMap((s) =>
        (s.items ?? []).map(
          (item) =>
            `${item.nickname ?? 'A price'}: ${formatMoney(money(item.unitAmount, item.currency))} → ${formatMoney(money(item.newUnitAmount, item.currency))}`,
        ),
      );
      const from = typeof p.effectiveAt === 'string' ? ` from ${shortDate(p.effectiveAt)}` : '';
      return lines.length > 0
        ? [`${clientName}'s subscription prices rise ${String(p.percent)}%${from}:`, ...lines, `${clientName} gets the notice payrisk drafted.`]
        : [`${clientName} has no subscription in Stripe: nothing changes there; reports price their ad-hoc work ${String(p.percent)}% higher${from}.`];
    }
    case 'work_pause':
      return [`Nothing changes in Stripe. payrisk marks work for ${clientName} as paused and tells them why; it resumes on its own once the arrears are paid.`];
    case 'work_resume':
      return [`Nothing changes in Stripe. payrisk marks work for ${clientName} as active again and tells them.`];
    default:
      return [describeAction(action.kind, action.amount ?? undefined, p)];
  }
}

export function confirmPage(view: ConfirmView): string {
  const { action, decision, invoice } = view;
  const describe = describeAction(action.kind, action.amount ?? undefined, action.params);
  const invoiceLine = invoice
    ? describeEvidence(
        {
          kind: 'invoice',
          id: invoice.id,
          amount: { amount: invoice.total, currency: invoice.currency },
          date: invoice.dueAt?.toISOString() ?? '',
          daysLate: typeof action.params.daysPastDue === 'number' ? action.params.daysPastDue : undefined,
          detail: invoice.number ?? undefined,
        },
        { paidAt: new Map([[invoice.id, invoice.paidAt?.toISOString() ?? null]]), now: view.now },
      )
    : undefined;
  const order: ApprovalDecision[] = decision === 'waive' ? ['waive'] : ['approve', 'reject'];
  const buttons = order.filter((d) => view.links[d]).map((d) => ({ decision: d, label: verbs[d], action: view.links[d] }));
  return page(
    `${verbs[decision]}: ${describe}`,
    confirmBody({
      clientName: view.clientName,
      effects:
        decision === 'waive'
          ? [`The ${describe.toLowerCase()} is taken back out of Stripe (its invoice item deleted, or a credit note issued if it was already invoiced).`]
          : stripeEffects(action, view.clientName, invoice?.number ?? undefined),
      why: plainReason(action.reason),
      calculation: actionCalculation(action),
      invoices: invoiceLine ? [invoiceLine] : [],
      buttons,
      expires: view.expiresAt.toISOString().slice(0, 16).replace('T', ' '),
    }),
  );
}

export function resultPage(message: string, action: ActionRecord | undefined, undoUrl?: string): string {
  const stripeIds = Object.entries(action?.stripeIds ?? {}).map(([name, id]) => ({ name: name.replace(/([A-Z])/g, ' $1').toLowerCase(), id }));
  return page('Done', resultBody({ message, stripeIds, undoUrl }));
}
