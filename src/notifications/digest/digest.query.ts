import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { money, Money, sumByCurrency } from '../../common/money';
import { column, selectRows } from '../../database/select-rows';
import { feeEventsSql } from '../../policies/persistence/fees-events.sql';
import { DAY_MS, sqlDaysPastDue, sqlIsPastDue } from '../../common/time';
import { RISK_LEVELS_WORST_FIRST } from '../../common/vocabulary';

/**
 * Reads what the weekly digest shows: arrears by age, clients by level and this week's
 * movers, fees, what waits for approval, and the payments expected next week (from the
 * latest assessments' payment predictions).
 */
export async function buildDigestData(manager: EntityManager, now: Date): Promise<Record<string, unknown>> {
  const weekAgo = new Date(now.getTime() - 7 * DAY_MS);
  return {
    weekOf: `${weekAgo.toISOString().slice(0, 10)} to ${now.toISOString().slice(0, 10)}`,
    arrears: await arrears(manager, now),
    ...(await levels(manager, weekAgo)),
    fees: await fees(manager, weekAgo, now),
    pendingApprovals: await pending(manager),
    expectedPayments: await expected(manager, now),
  };
}

async function arrears(manager: EntityManager, now: Date) {
  const rows = await selectRows(
    manager,
    // Days past due and past due as common/time defines them (its SQL mirrors).
    `SELECT CASE WHEN d.days <= 30 THEN 0 WHEN d.days <= 60 THEN 1 WHEN d.days <= 90 THEN 2 ELSE 3 END AS bucket,
            d.currency, sum(d.amount_remaining)::text AS amount, count(*)::int AS count
     FROM (SELECT ${sqlDaysPastDue('due_at', '$1::timestamptz')} AS days, currency, amount_remaining
           FROM invoices WHERE status = 'open' AND amount_remaining > 0 AND ${sqlIsPastDue('due_at', '$1')}) d
     GROUP BY 1, 2 ORDER BY 1, 2`,
    [now],
    z.object({ bucket: column.int, currency: column.text, amount: column.bigint, count: column.int }),
  );
  return ['1–30 days', '31–60 days', '61–90 days', 'over 90 days'].map((label, bucket) => {
    const inBucket = rows.filter((r) => r.bucket === bucket);
    return { label, totals: inBucket.map((r) => money(r.amount, r.currency.trim())), count: inBucket.reduce((n, r) => n + r.count, 0) };
  });
}

async function levels(manager: EntityManager, weekAgo: Date) {
  const latest = `SELECT DISTINCT ON (client_id) client_id, level FROM risk_assessments`;
  const counts = await selectRows(
    manager,
    `SELECT level, count(*)::int AS count FROM (${latest} ORDER BY client_id, assessed_at DESC) l GROUP BY level`,
    [],
    z.object({ level: column.text, count: column.int }),
  );
  const movers = await selectRows(
    manager,
    `SELECT now_.client_id, coalesce(c.name, now_.client_id) AS "clientName", before.level AS "from", now_.level AS "to"
     FROM (${latest} ORDER BY client_id, assessed_at DESC) now_
     JOIN (${latest} WHERE assessed_at <= $1 ORDER BY client_id, assessed_at DESC) before ON before.client_id = now_.client_id
     LEFT JOIN clients c ON c.id = now_.client_id
     WHERE before.level <> now_.level ORDER BY now_.client_id LIMIT 50`,
    [weekAgo],
    z.object({ client_id: column.text, clientName: column.text, from: column.text, to: column.text }),
  );
  return { levels: RISK_LEVELS_WORST_FIRST.map((level) => ({ level, count: counts.find((c) => c.level === level)?.count ?? 0 })), movers };
}

/** Fees assessed (applied), collected and waived this week: the fees report's definition (feeEventsSql, from the audit trail). */
async function fees(manager: EntityManager, since: Date, now: Date) {
  const rows = await selectRows(
    manager,
    `WITH fees AS (${feeEventsSql('$2')})
     SELECT amount::text AS amount, currency,
            (applied_at >= $1 AND applied_at < $2) AS assessed,
            (collected_at >= $1 AND collected_at < $2) AS collected,
            (waived_at >= $1 AND waived_at < $2) AS waived
     FROM fees`,
    // The end is just after now: on the sandbox's still clock, a fee applied in this run carries now itself.
    [since, new Date(now.getTime() + 1)],
    z.object({
      amount: column.bigint,
      currency: column.text,
      assessed: column.boolean.nullable(),
      collected: column.boolean.nullable(),
      waived: column.boolean.nullable(),
    }),
  );
  const pick = (filter: (r: (typeof rows)[number]) => boolean): Money[] => sumByCurrency(rows.filter(filter).map((r) => money(r.amount, r.currency.trim())));
  return { assessed: pick((r) => r.assessed === true), collected: pick((r) => r.collected === true), waived: pick((r) => r.waived === true) };
}

async function pending(manager: EntityManager) {
  const rows = await selectRows(
    manager,
    `SELECT a.id, a.kind AS "actionKind", a.amount::text AS amount, a.currency, a.params,
     a.proposed_at AS "proposedAt", coalesce(c.name, a.client_id) AS "clientName"
     FROM actions a LEFT JOIN clients c ON c.id = a.client_id WHERE a.status = 'proposed' ORDER BY a.proposed_at LIMIT 50`,
    [],
    z.object({
      id: column.text,
      actionKind: column.text,
      amount: column.bigint.nullable(),
      currency: column.text.nullable(),
      params: column.json,
      proposedAt: column.timestamp,
      clientName: column.text,
    }),
  );
  return rows.map((r) => ({ ...r, amount: r.amount !== null && r.currency ? money(r.amount, r.currency.trim()) : undefined }));
}

/**
 * Open invoices expected to be paid in the next 7 days: by the payment prediction of the
 * client's latest assessment (its own history: due date plus its usual lateness, with a
 * range), or by the due date for a client never assessed.
 */
async function expected(manager: EntityManager, now: Date) {
  const rows = await selectRows(
    manager,
    `WITH latest AS (SELECT DISTINCT ON (client_id) client_id, predictions FROM risk_assessments ORDER BY client_id, assessed_at DESC),
          predicted AS (SELECT p->>'invoiceId' AS invoice_id, (p->>'expectedDate')::date AS expected,
            (p->>'earliest')::date AS earliest, (p->>'latest')::date AS latest
                        FROM latest CROSS JOIN LATERAL jsonb_array_elements(latest.predictions) p)
     SELECT i.id AS "invoiceId", i.amount_remaining::text AS amount, i.currency, i.due_at AS "dueAt",
            coalesce(pr.expected, (i.due_at AT TIME ZONE 'UTC')::date)::text AS "expectedAt", pr.earliest::text AS earliest, pr.latest::text AS latest,
            coalesce(c.name, i.client_id) AS "clientName"
     FROM invoices i LEFT JOIN predicted pr ON pr.invoice_id = i.id LEFT JOIN clients c ON c.id = i.client_id
     WHERE i.status = 'open' AND i.amount_remaining > 0
       AND coalesce(pr.expected, (i.due_at AT TIME ZONE 'UTC')::date) >= ($1::timestamptz AT TIME ZONE 'UTC')::date
       AND coalesce(pr.expected, (i.due_at AT TIME ZONE 'UTC')::date) < ($2::timestamptz AT TIME ZONE 'UTC')::date
     ORDER BY 5, i.id LIMIT 50`,
    [now, new Date(now.getTime() + 7 * DAY_MS)],
    z.object({
      invoiceId: column.text,
      amount: column.bigint,
      currency: column.text,
      dueAt: column.timestamp,
      expectedAt: column.text,
      earliest: column.text.nullable(),
      latest: column.text.nullable(),
      clientName: column.text,
    }),
  );
  return rows.map((r) => ({ ...r, amount: money(r.amount, r.currency.trim()) }));
}
