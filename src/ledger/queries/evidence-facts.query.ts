import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { column, selectRows } from '../../database/select-rows';
import type { EvidenceFacts } from '../../common/evidence/describe-evidence';

/** The ledger's numbers and paid dates of the invoices and credit notes `ids` name, for describeEvidence. */
export async function loadEvidenceFacts(manager: EntityManager, ids: string[], now?: Date): Promise<EvidenceFacts> {
  const numbers = new Map<string, string | null>();
  const paidAt = new Map<string, string | null>();
  if (ids.length > 0) {
    const rows = await selectRows(
      manager,
      `SELECT id, number, status, paid_at FROM invoices WHERE id = ANY($1::text[])
       UNION ALL SELECT id, number, NULL, NULL FROM credit_notes WHERE id = ANY($1::text[])`,
      [ids],
      z.object({ id: column.text, number: column.text.nullable(), status: column.text.nullable(), paid_at: column.timestamp.nullable() }),
    );
    for (const row of rows) {
      numbers.set(row.id, row.number);
      if (row.status !== null) paidAt.set(row.id, row.paid_at ? new Date(row.paid_at).toISOString() : null);
    }
  }
  return { numbers, paidAt, now };
}
