/** Who a policy applies to (`appliesTo` in the policy file). */
export interface AppliesTo {
  flags: string[];
  levels: string[];
  allOverdue: boolean;
}

export interface ClientStanding {
  clientId: string;
  /** Stripe metadata `payrisk_exempt=true`. */
  exemptByMetadata: boolean;
  /** The latest assessment; undefined when the client was never assessed. */
  level?: string;
  flags: string[];
}

export function isExempt(client: ClientStanding, exemptCustomers: readonly string[]): boolean {
  return client.exemptByMetadata || exemptCustomers.includes(client.clientId);
}

/**
 * A policy acts on a client when it covers every overdue invoice, or when the client
 * carries one of the listed flags or levels. Exempt clients are never acted on.
 */
export function isTargeted(client: ClientStanding, appliesTo: AppliesTo, exemptCustomers: readonly string[]): boolean {
  if (isExempt(client, exemptCustomers)) return false;
  if (appliesTo.allOverdue) return true;
  if (client.level && appliesTo.levels.includes(client.level)) return true;
  return client.flags.some((flag) => appliesTo.flags.includes(flag));
}
