/**
 * The object a retried action already created in Stripe, found by the `payrisk_action_id`
 * metadata every write carries. Idempotency keys replay only for 24 hours; this covers a
 * crash repaired later than that, so nothing is created twice either way.
 */
export async function findTagged<T extends { metadata?: Record<string, string> | null }>(
  list: AsyncIterable<T>,
  actionId: string,
  matches: (object: T) => boolean = () => true,
): Promise<T | undefined> {
  for await (const object of list) {
    if (object.metadata?.payrisk_action_id === actionId && matches(object)) return object;
  }
  return undefined;
}
