import { z } from 'zod';

const noNul = (value: string) => !value.includes('\u0000');
const text = z.string().min(1).refine(noNul, 'must not contain a NUL byte');

/**
 * The envelope of a Stripe event, as a webhook must carry it before payrisk looks inside:
 * an id, a type, a creation time and `data.object` with its `object` kind. Unknown fields
 * pass (Stripe adds fields without a new API version); the object itself is checked by the
 * mappers, which know each type.
 */
export const stripeEventEnvelope = z.looseObject({
  id: text,
  object: z.literal('event'),
  type: text,
  created: z.number().int().nonnegative(),
  api_version: z.string().nullish(),
  livemode: z.boolean().optional(),
  data: z.looseObject({
    object: z.looseObject({
      object: text,
      id: text.optional(),
    }),
  }),
});

/** What is wrong with a parsed body, in one line naming the fields; undefined when it is a usable event. */
export function malformedEventReason(body: unknown): string | undefined {
  const parsed = stripeEventEnvelope.safeParse(body);
  if (parsed.success) return undefined;
  return parsed.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(body)'}: ${issue.message}`)
    .join('; ');
}
