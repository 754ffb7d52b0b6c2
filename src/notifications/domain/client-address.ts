/**
 * Whether an email address that came from outside (a client's email in Stripe) may be used
 * as a recipient. It must be exactly one plain `local@domain` address: no display name, no
 * list, no group, no comment, and no control characters — `a@b.c\r\nBcc: x@y.z` or
 * `a@b.c, x@y.z` would otherwise let whoever edits the customer in Stripe choose who else
 * receives the email. Pure; no I/O.
 */
export type ClientAddress = { ok: true; address: string } | { ok: false; reason: string };

/** The sentence the owner reads (email and audit trail) when a notice is not sent for this reason. */
export const NOT_A_SINGLE_ADDRESS = "the client's email in Stripe is not a single valid address";

/** C0 controls (CR, LF, TAB, NUL …), DEL, C1 controls, and the Unicode line and paragraph separators. */
function isControl(code: number): boolean {
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;
}

export function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (isControl(value.charCodeAt(i))) return true;
  return false;
}
// RFC 5322 dot-atom characters for the local part (no quoted strings: nobody needs them and they hide tricks).
const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

export function parseClientAddress(raw: string | null | undefined): ClientAddress {
  if (raw === null || raw === undefined || raw.trim() === '') return { ok: false, reason: 'the client has no email in Stripe' };
  if (hasControlCharacter(raw)) return { ok: false, reason: NOT_A_SINGLE_ADDRESS };
  const address = raw.trim();
  if (address.length > 254) return { ok: false, reason: NOT_A_SINGLE_ADDRESS };
  const at = address.lastIndexOf('@');
  if (at <= 0 || address.indexOf('@') !== at) return { ok: false, reason: NOT_A_SINGLE_ADDRESS };
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (local.length > 64 || !LOCAL.test(local)) return { ok: false, reason: NOT_A_SINGLE_ADDRESS };
  const labels = domain.split('.');
  if (domain.length > 253 || labels.length < 2 || !labels.every((label) => LABEL.test(label))) return { ok: false, reason: NOT_A_SINGLE_ADDRESS };
  if (/^[0-9]+$/.test(labels[labels.length - 1])) return { ok: false, reason: NOT_A_SINGLE_ADDRESS }; // a bare IP, not a domain
  return { ok: true, address };
}

/** Header text (a subject) on one line: control characters, CR and LF included, become spaces. */
export function singleLineHeader(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) out += isControl(value.charCodeAt(i)) ? ' ' : value[i];
  return out.replace(/\s+/g, ' ').trim();
}
