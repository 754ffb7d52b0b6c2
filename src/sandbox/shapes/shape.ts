import { FIXTURE_KEYS, type FixtureKind } from './fixture-keys';

/**
 * Fields the `stripe` package's types (API 2026-10-28.endive) require that the older fixture
 * lacks, with the value Stripe sends when the feature is unused. Checked, with everything
 * else, by test/integration/sandbox/response-conformance.test.ts.
 */
const TYPE_DEFAULTS: Partial<Record<FixtureKind, Record<string, unknown>>> = {
  product: { tax_details: null },
  payment_intent: { allowed_payment_method_types: null, payment_record: null },
  subscription: { billing_schedules: [] },
  subscription_schedule: { pause_schedules: [] },
};

/** Optional fields (`field?:` in the types): Stripe leaves them out rather than sending null. */
export const OMITTED_WHEN_NULL: Partial<Record<FixtureKind, readonly string[]>> = {
  account: ['capabilities', 'controller', 'external_accounts', 'future_requirements', 'requirements', 'tos_acceptance'],
  payment_intent: ['amount_details'],
};

const templates = new Map<FixtureKind, Record<string, unknown>>();

/**
 * Builds an object carrying every key of Stripe's fixture for `kind` (null unless given),
 * then the values we hold. Same key order for every object of a kind keeps V8 objects compact.
 */
export function shape<T>(kind: FixtureKind, values: Record<string, unknown>): T {
  let template = templates.get(kind);
  if (!template) {
    template = { ...Object.fromEntries(FIXTURE_KEYS[kind].map((key) => [key, null])), ...TYPE_DEFAULTS[kind] };
    for (const key of OMITTED_WHEN_NULL[kind] ?? []) delete template[key];
    templates.set(kind, template);
  }
  const built = Object.assign({ ...template }, values);
  for (const key of OMITTED_WHEN_NULL[kind] ?? []) if (built[key] === null) delete built[key];
  return built as T;
}

export const listOf = <T>(data: T[], url: string, hasMore = false) => ({ object: 'list' as const, data, has_more: hasMore, url });
