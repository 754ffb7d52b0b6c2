import { parse } from 'qs';
import { StripeApiError } from './stripe-error';

/**
 * Decodes Stripe's form encoding (`a[b][0][c]=v`, `expand[0]=x`, `expand[]=x`) into nested
 * objects and arrays, as stripe-node's `stringifyRequestData` encodes them. `qs` does the
 * work with the protections Express uses: no key may reach Object.prototype (`__proto__[x]`,
 * `constructor[prototype][x]`, `hasOwnProperty=`), and depth, parameter count and array
 * length are bounded; beyond a bound the request is refused (400), not truncated.
 */
export type FormValue = string | FormObject | FormValue[];
export interface FormObject {
  [key: string]: FormValue;
}

export const FORM_LIMITS = { depth: 8, parameterLimit: 1000, arrayLimit: 250 } as const;

export function parseForm(body: string): FormObject {
  if (!body) return {};
  try {
    return parse(body, {
      ...FORM_LIMITS,
      allowPrototypes: false,
      strictDepth: true,
      throwOnLimitExceeded: true,
      // One value per name, the last (a string param never turns into an array).
      duplicates: 'last',
      // Strict: a malformed %-escape is the caller's mistake (400), not a value to guess at.
      decoder: (text: string) => decodeURIComponent(text.replace(/\+/g, ' ')),
    }) as FormObject;
  } catch (error) {
    throw new StripeApiError(
      400,
      'invalid_request_error',
      `Invalid request: ${error instanceof Error ? error.message : String(error)}`,
      'parameter_invalid_string',
    );
  }
}

/** Largest request body the sandbox reads (Stripe's own requests are far smaller). */
export const MAX_BODY_BYTES = 1024 * 1024;
