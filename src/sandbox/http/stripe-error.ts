/** An error answered with Stripe's envelope: `{ error: { type, code, message, param } }`. */
export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: 'invalid_request_error' | 'api_error' | 'idempotency_error' | 'card_error',
    message: string,
    readonly code?: string,
    readonly param?: string,
  ) {
    super(message);
  }

  toJSON(): { error: Record<string, string> } {
    const error: Record<string, string> = { type: this.type, message: this.message };
    if (this.code) error.code = this.code;
    if (this.param) error.param = this.param;
    return { error };
  }
}

export const missing = (param: string): StripeApiError =>
  new StripeApiError(400, 'invalid_request_error', `Missing required param: ${param}.`, 'parameter_missing', param);

export const noSuch = (what: string, id: string, param = 'id'): StripeApiError =>
  new StripeApiError(404, 'invalid_request_error', `No such ${what}: '${id}'`, 'resource_missing', param);

export const invalid = (param: string, message: string, code = 'parameter_invalid_string'): StripeApiError =>
  new StripeApiError(400, 'invalid_request_error', message, code, param);

export const badState = (message: string, code = 'invoice_not_editable'): StripeApiError => new StripeApiError(400, 'invalid_request_error', message, code);

export const unknownParam = (param: string): StripeApiError =>
  new StripeApiError(400, 'invalid_request_error', `Received unknown parameter: ${param}`, 'parameter_unknown', param);

/** Refused while checking parameters, before the endpoint ran (Stripe saves no idempotent result for these). */
export const isValidationError = (error: StripeApiError): boolean => error.status === 400 && (error.code?.startsWith('parameter_') ?? false);
