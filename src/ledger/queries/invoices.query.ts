import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { money } from '../../common/money';
import { column, selectOne } from '../../database/select-rows';

export interface InvoiceSummary {
  id: string;
  number: string | null;
  total: number;
  currency: string;
  dueAt: Date | null;
  paidAt: Date | null;
}

/** One invoice as the owner recognises it (number, total, due and paid dates); undefined when it is not in the ledger. */
export async function invoiceSummary(manager: EntityManager, invoiceId: string): Promise<InvoiceSummary | undefined> {
  const row = await selectOne(
    manager,
    `SELECT id, number, total, currency, due_at, paid_at FROM invoices WHERE id = $1`,
    [invoiceId],
    z.object({
      id: column.text,
      number: column.text.nullable(),
      total: column.bigint,
      currency: column.text,
      due_at: column.timestamp.nullable(),
      paid_at: column.timestamp.nullable(),
    }),
  );
  if (!row) return undefined;
  const total = money(row.total, row.currency.trim());
  return { id: row.id, number: row.number, total: total.amount, currency: total.currency, dueAt: row.due_at, paidAt: row.paid_at };
}
