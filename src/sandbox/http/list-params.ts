import { listOf } from '../shapes/shape';
import { Collection, CursorNotFound, type RangeFilter, type Stored } from '../store/collection';
import type { Params } from './params';
import { invalid, noSuch } from './stripe-error';

/** `created=123` or `created[gte]=…&created[lt]=…`. */
export function rangeOf(params: Params, name: string): RangeFilter | undefined {
  if (!params.has(name)) return undefined;
  const exact = params.raw[name];
  if (typeof exact === 'string') {
    const value = params.int(name) as number;
    return { gte: value, lte: value };
  }
  const range = params.obj(name) as Params;
  return { gt: range.int('gt'), gte: range.int('gte'), lt: range.int('lt'), lte: range.int('lte') };
}

/** Answers a list request with Stripe's envelope: newest first, `limit` ≤ 100, cursors, `created`. */
export function listResponse<T extends Stored>(
  collection: Collection<T>,
  params: Params,
  url: string,
  narrow: { index?: { field: string; value: string }; filter?: (item: T) => boolean } = {},
) {
  const limit = params.int('limit') ?? 10;
  if (limit < 1 || limit > 100) throw invalid('limit', `Invalid limit: must be between 1 and 100`, 'parameter_invalid_integer');
  try {
    const page = collection.list({
      limit,
      startingAfter: params.str('starting_after') || undefined,
      endingBefore: params.str('ending_before') || undefined,
      created: rangeOf(params, 'created'),
      ...narrow,
    });
    return listOf(page.data, url, page.hasMore);
  } catch (error) {
    if (error instanceof CursorNotFound) throw noSuch('object', error.message, params.has('starting_after') ? 'starting_after' : 'ending_before');
    throw error;
  }
}
