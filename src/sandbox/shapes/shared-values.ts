/**
 * Immutable values every invoice carries unchanged. Sharing one frozen instance instead of a
 * copy per object keeps a 200,000-invoice store smaller and faster to serialize. The sandbox
 * replaces these fields, never mutates them (frozen, so a mistake fails loudly).
 */
export const NONE: never[] = Object.freeze([]) as unknown as never[];
export const INVOICE_AUTOMATIC_TAX = Object.freeze({ enabled: false, liability: null, status: null, disabled_reason: null, provider: null });
export const ISSUER_SELF = Object.freeze({ type: 'self' as const });
export const INVOICE_PAYMENT_SETTINGS = Object.freeze({ default_mandate: null, payment_method_options: null, payment_method_types: null });
