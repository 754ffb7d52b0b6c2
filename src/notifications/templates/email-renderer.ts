import Handlebars from 'handlebars';
import type { OwnerEmailKind } from '../../common/notifications/owner-notifier.port';
import { describeAction } from '../../common/evidence/describe-action';
import { flagWords, plainReason } from '../../common/evidence/describe-evidence';
import { formatMoney, money, Money } from '../../common/money';
import { singleLineHeader } from '../domain/client-address';
import { actionHtml, actionSubject, actionText } from './action.template';
import { alertHtml, alertSubject, alertText } from './alert.template';
import { clientNoticeHtml, signInHtml } from './direct-mail.template';
import { digestHtml, digestSubject, digestText } from './digest.template';
import { layoutHtml } from './layout.template';
import { pauseHtml, pauseSubject, pauseText, resumeHtml, resumeSubject, resumeText } from './work-status.template';

export { describeAction };

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const asMoney = (value: unknown): Money | undefined => {
  if (!value || typeof value !== 'object') return undefined;
  const { amount, currency } = value as { amount?: unknown; currency?: unknown };
  if ((typeof amount !== 'number' && typeof amount !== 'string') || typeof currency !== 'string') return undefined;
  return money(amount, currency);
};

function registerHelpers(hb: typeof Handlebars): typeof Handlebars {
  hb.registerHelper('money', (value: unknown) => {
    const m = asMoney(value);
    return m ? formatMoney(m) : '';
  });
  hb.registerHelper('moneyList', (values: unknown) =>
    Array.isArray(values)
      ? values
          .map(asMoney)
          .filter((m): m is Money => !!m)
          .map((m) => formatMoney(m))
          .join(' + ')
      : '',
  );
  hb.registerHelper('join', (values: unknown, separator: unknown) => (Array.isArray(values) ? values.map(String).join(String(separator)) : ''));
  hb.registerHelper('date', (value: unknown) => (value ? new Date(value as string).toISOString().slice(0, 10) : ''));
  hb.registerHelper('datetime', (value: unknown) => (value ? `${new Date(value as string).toISOString().slice(0, 16).replace('T', ' ')} UTC` : ''));
  return hb;
}

// Two engines: HTML escapes every {{value}} (client names are data from Stripe and may hold
// markup); the text part and the subject are plain text, where escaping would show "&lt;".
const htmlEngine = registerHelpers(Handlebars.create());
const textEngine = registerHelpers(Handlebars.create());

const compileText = (source: string) => textEngine.compile(source, { noEscape: true, strict: false });
const compileHtml = (source: string) => htmlEngine.compile(source, { strict: false });

type Compiled = { subject: HandlebarsTemplateDelegate; text: HandlebarsTemplateDelegate; html: HandlebarsTemplateDelegate };

const templates: Record<OwnerEmailKind, Compiled> = {
  alert: { subject: compileText(alertSubject), text: compileText(alertText), html: compileHtml(alertHtml) },
  action: { subject: compileText(actionSubject), text: compileText(actionText), html: compileHtml(actionHtml) },
  pause: { subject: compileText(pauseSubject), text: compileText(pauseText), html: compileHtml(pauseHtml) },
  resume: { subject: compileText(resumeSubject), text: compileText(resumeText), html: compileHtml(resumeHtml) },
  digest: { subject: compileText(digestSubject), text: compileText(digestText), html: compileHtml(digestHtml) },
};
const layout = compileHtml(layoutHtml);
const clientNotice = compileHtml(clientNoticeHtml);
const signIn = compileHtml(signInHtml);

/** Adds the derived fields templates use (phrases, id lists) so producers send only facts. */
function enrich(kind: OwnerEmailKind, data: Record<string, unknown>): Record<string, unknown> {
  const clientName = typeof data.clientName === 'string' && data.clientName.trim() ? data.clientName : String(data.customerId ?? 'a client');
  const enriched: Record<string, unknown> = { ...data, clientName };
  if (kind === 'action') {
    enriched.describe = describeAction(String(data.actionKind), data.amount, data.params as Record<string, unknown> | undefined);
    if (typeof data.reason === 'string') enriched.reason = plainReason(data.reason);
    enriched.failed = data.status === 'failed';
    enriched.proposed = data.status === 'proposed';
    const ids = (data.stripeIds ?? {}) as Record<string, unknown>;
    enriched.stripeIdList = Object.entries(ids).map(([name, id]) => ({ name, id: String(id) }));
  }
  if (kind === 'alert' && Array.isArray(data.newFlags)) enriched.newFlags = (data.newFlags as unknown[]).map((flag) => flagWords(String(flag)).toLowerCase());
  if (kind === 'alert' && Array.isArray(data.proposals)) {
    enriched.proposals = (data.proposals as Record<string, unknown>[]).map((p) => ({
      ...p,
      describe: describeAction(String(p.actionKind), p.amount, p.params as Record<string, unknown> | undefined),
      why: typeof p.reason === 'string' && p.reason ? plainReason(p.reason) : undefined,
    }));
  }
  if (kind === 'digest' && Array.isArray(data.pendingApprovals)) {
    enriched.pendingApprovals = (data.pendingApprovals as Record<string, unknown>[]).map((p) => ({
      ...p,
      describe: describeAction(String(p.actionKind), p.amount, p.params as Record<string, unknown> | undefined),
    }));
  }
  return enriched;
}

/** Renders one owner email: subject, plain-text part and a phone-friendly HTML part. */
export function renderEmail(kind: OwnerEmailKind, data: Record<string, unknown>): RenderedEmail {
  const compiled = templates[kind];
  if (!compiled) throw new RangeError(`unknown email kind "${String(kind)}"`);
  const context = enrich(kind, data);
  // One line, whatever a client's name holds: a CR/LF in a subject must never start a header of its own.
  const subject = singleLineHeader(compiled.subject(context));
  const text =
    compiled
      .text(context)
      .replace(/\n{3,}/g, '\n\n')
      .trim() + '\n';
  const html = layout({ subject, body: compiled.html(context) });
  return { subject, text, html };
}

/** The client notice's HTML part: the owner's text, escaped. */
export function renderClientNoticeHtml(text: string): string {
  return clientNotice({ text });
}

/** The sign-in email's HTML part. */
export function renderSignInHtml(url: string, minutes: number): string {
  return signIn({ url, minutes });
}
