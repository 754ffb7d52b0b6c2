import type { DataSource } from 'typeorm';

/**
 * The clients an incremental run must judge again, sorted by id:
 * - never assessed;
 * - any ledger fact of theirs (the client, an invoice, a credit note, a dispute) synced,
 *   or a discount request logged, after their latest assessment;
 * - with an open invoice and not assessed yet today: lateness grows with time alone.
 *
 * Facts are found from the change side: only rows synced after the oldest "latest
 * assessment" are read (indexes on synced_at, migration RiskIndexes1764130000000), so the
 * cost follows what changed, not the size of the ledger. Each client's latest assessment
 * is one probe of risk_assessments_client_time_idx, however long the history grows. The
 * CTEs are MATERIALIZED on purpose: inlined, the planner probes every client's facts.
 */
export async function changedClientIds(dataSource: DataSource, now: Date): Promise<string[]> {
  // Exempt from selectRows, for speed: detection's hot path, one row per client to judge (every client on a first run, 50,000 in the benches).
  const rows: { id: string }[] = await dataSource.query(
    `WITH latest AS MATERIALIZED (
       SELECT c.id, c.synced_at, last.at
         FROM clients c
         LEFT JOIN LATERAL (SELECT a.assessed_at AS at FROM risk_assessments a WHERE a.client_id = c.id ORDER BY a.assessed_at DESC LIMIT 1) last ON true
        WHERE NOT c.deleted),
     since AS (SELECT coalesce(min(at), '-infinity'::timestamptz) AS at FROM latest),
     touched AS MATERIALIZED (
       SELECT client_id, max(at) AS at FROM (
         SELECT client_id, synced_at AS at FROM invoices WHERE synced_at > (SELECT at FROM since)
         UNION ALL
         SELECT client_id, synced_at FROM credit_notes WHERE synced_at > (SELECT at FROM since)
         UNION ALL
         SELECT client_id, synced_at FROM disputes WHERE client_id IS NOT NULL AND synced_at > (SELECT at FROM since)
         UNION ALL
         SELECT client_id, created_at FROM discount_requests WHERE created_at > (SELECT at FROM since)) facts
       GROUP BY client_id)
     SELECT latest.id FROM latest LEFT JOIN touched ON touched.client_id = latest.id
      WHERE latest.at IS NULL
         OR latest.synced_at > latest.at
         OR touched.at > latest.at
         OR (latest.at < date_trunc('day', $1::timestamptz) AND EXISTS (SELECT 1 FROM invoices i WHERE i.client_id = latest.id AND i.status = 'open'))
      ORDER BY latest.id`,
    [now.toISOString()],
  );
  return rows.map((row) => row.id);
}
