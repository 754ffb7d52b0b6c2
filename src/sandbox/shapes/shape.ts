import { FIXTURE_KEYS, type FixtureKind } from './fixture-keys';

const templates = new Map<FixtureKind, Record<string, unknown>>();

/**
 * Builds an object carrying every key of Stripe's fixture for `kind` (null unless given),
 * then the values we hold. Same key order for every object of a kind keeps V8 objects compact.
 */
export function shape<T>(kind: FixtureKind, values: Record<string, unknown>): T {
  let template = templates.get(kind);
  if (!template) {
    template = Object.fromEntries(FIXTURE_KEYS[kind].map((key) => [key, null]));
    templates.set(kind, template);
  }
  return Object.assign({ ...template }, values) as T;
}

export const listOf = <T>(data: T[], url: string, hasMore = false) => ({ object: 'list' as const, data, has_more: hasMore, url });
