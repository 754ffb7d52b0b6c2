export const STRIPE_CONNECTION = Symbol('STRIPE_CONNECTION');

/**
 * Set by `payrisk start` and `payrisk demo` on the built-in sandbox: where the in-process
 * sandbox sends its webhooks, and whether the run ends after the first pipeline (the demo).
 * Null everywhere else (tests, tools): the sandbox then sends nothing and nothing runs on boot.
 */
export const SANDBOX_RUN = Symbol('SANDBOX_RUN');

export interface SandboxRun {
  webhookUrl: string;
  oneShot: boolean;
  /** How many demo businesses the built-in sandbox runs, each its own Stripe account (default 1). */
  businesses?: number;
}
