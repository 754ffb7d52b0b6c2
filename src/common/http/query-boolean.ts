import { z } from 'zod';

/**
 * A boolean in a query string: exactly `true` or `false`. Anything else (`TRUE`, `yes`, `1`,
 * a repeated key) is refused, so a typo can never turn a dry run into a real one.
 */
export const queryBoolean = z
  .enum(['true', 'false'], { error: 'expected true or false' })
  .transform((value) => value === 'true')
  .meta({ description: 'exactly `true` or `false`' });
