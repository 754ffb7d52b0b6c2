import type { DataSource } from 'typeorm';
import type { ClientHistory } from '../domain/client-history';

const num = (value: string | number) => Number(value);
const date = (value: string | Date | null) => (value === null ? null : new Date(value));

/**
 * Loads the histories of many clients with one query per fact table (set-based, no
 * per-client round trips), grouped in memory. `clientIds` undefined = every client.
 */
export async function loadClientHistories(dataSource: DataSource, clientIds?: string[], lookbackStart?: Date): Promise<Map<string, ClientHistory>> {
  const histories = new Map<string, ClientHistory>();
  const clientFilter = clientIds ? 'AND client_id = ANY($1)' : 'AND ($1::text[] IS NULL)';
  const params = [clientIds ?? null, lookbackStart ?? new Date(0)];
  const ensure = (clientId: string) => {
    let history = histories.get(clientId);
    if (!history) {
      history = { clientId, invoices: [], creditNotes: [], disputes: [], discountRequests: [] };
      histories.set(clientId, history);
    }
    return history;
  };
  for (const id of clientIds ?? []) ensure(id);
  if (!clientIds) {
    const clients: { id: string }[] = await dataSource.query(`SELECT id FROM clients WHERE NOT deleted`);
    for (const client of clients) ensure(client.id);
  }

  const invoices = await dataSource.query(
    `SELECT id, client_id, number, status, currency, subtotal, total, total_discount, amount_remaining, attempt_count,
            stripe_created_at, due_at, paid_at, voided_at
       FROM invoices WHERE status <> 'draft' ${clientFilter} AND (due_at IS NULL OR due_at >= $2 OR status = 'open' OR stripe_created_at >= $2)`,
    params,
  );
  for (const row of invoices) {
    ensure(row.client_id).invoices.push({
      id: row.id,
      number: row.number,
      status: row.status,
      currency: row.currency,
      subtotal: num(row.subtotal),
      total: num(row.total),
      totalDiscount: num(row.total_discount),
      amountRemaining: num(row.amount_remaining),
      attemptCount: row.attempt_count,
      createdAt: new Date(row.stripe_created_at),
      dueAt: date(row.due_at),
      paidAt: date(row.paid_at),
      voidedAt: date(row.voided_at),
    });
  }
  const notes = await dataSource.query(
    `SELECT id, client_id, invoice_id, currency, amount, reduces_owed, stripe_created_at FROM credit_notes WHERE stripe_created_at >= $2 ${clientFilter}`,
    params,
  );
  for (const row of notes) {
    ensure(row.client_id).creditNotes.push({ id: row.id, invoiceId: row.invoice_id, currency: row.currency, amount: num(row.amount), reducesOwed: row.reduces_owed, createdAt: new Date(row.stripe_created_at) });
  }
  const disputes = await dataSource.query(
    `SELECT id, client_id, currency, amount, status, stripe_created_at FROM disputes WHERE client_id IS NOT NULL AND stripe_created_at >= $2 ${clientFilter}`,
    params,
  );
  for (const row of disputes) {
    ensure(row.client_id).disputes.push({ id: row.id, currency: row.currency, amount: num(row.amount), status: row.status, createdAt: new Date(row.stripe_created_at) });
  }
  const requests = await dataSource.query(
    `SELECT id, client_id, currency, amount, requested_at, note FROM discount_requests WHERE requested_at >= $2 ${clientFilter}`,
    params,
  );
  for (const row of requests) {
    ensure(row.client_id).discountRequests.push({ id: row.id, currency: row.currency, amount: num(row.amount), requestedAt: new Date(row.requested_at), note: row.note });
  }
  return histories;
}
