import type { EntityManager } from 'typeorm';
import { preparedStatement, runPrepared, type PreparedStatement } from '../../database/prepared-statement';
import type { ClientRow } from './mappers/stripe-customer.mapper';
import type { CreditNoteRow } from './mappers/stripe-credit-note.mapper';
import type { DisputeRow } from './mappers/stripe-dispute.mapper';
import type { InvoicePaymentRow } from './mappers/stripe-invoice-payment.mapper';
import type { InvoiceRow } from './mappers/stripe-invoice.mapper';
import type { SubscriptionRow } from './mappers/stripe-subscription.mapper';

type Columns = Record<string, string>;

/** One ledger table as the sync writes it. */
interface TableSpec {
  table: string;
  columns: Columns;
  /** The ordering rule: the WHERE of ON CONFLICT DO UPDATE (`excluded` is the incoming row). */
  guard: string;
  /** SELECT expressions replacing `r.<column>` for some columns (e.g. a value looked up from another table). */
  select?: Record<string, string>;
  /** SET expressions replacing `excluded.<column>` for some columns. */
  update?: Record<string, string>;
}

/**
 * How a column's values travel: one array parameter per column; per-row arrays and objects
 * as JSON text; timestamps as unix seconds (formatting thousands of Dates as text costs
 * more than the insert itself).
 */
const parameterType = (type: string) => (type.endsWith('[]') || type === 'jsonb' ? 'jsonb' : type === 'timestamptz' ? 'float8' : type);

function parameterValue(type: string, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (type === 'timestamptz') return value instanceof Date ? value.getTime() / 1000 : value;
  return parameterType(type) === 'jsonb' ? JSON.stringify(value) : value;
}

function selectExpression(name: string, type: string): string {
  if (type.endsWith('[]')) return `ARRAY(SELECT jsonb_array_elements_text(r.${name}))::${type}`;
  if (type === 'timestamptz') return `to_timestamp(r.${name})`;
  return `r.${name}`;
}

/**
 * Bulk upserts keyed on Stripe ids: one statement per batch (a page or several), never one
 * per object. Each column is one array parameter, zipped back into rows by `unnest` (cheaper
 * for Postgres than parsing one JSON document per batch). The WHERE of each ON CONFLICT is
 * the ordering rule: an older state never overwrites a newer one (see docs/architecture.md,
 * "Ordering rule"). `onlyIf` makes the whole insert conditional (used after an event id).
 */
function upsertStatement(spec: TableSpec, rows: object[], firstParameter = 1, onlyIf?: string): { sql: string; parameters: unknown[] } {
  return { sql: upsertSql(spec, firstParameter, onlyIf), parameters: upsertParameters(spec, rows) };
}

/** The upsert's text: the table's only (the rows travel as parameters). */
function upsertSql(spec: TableSpec, firstParameter = 1, onlyIf?: string): string {
  const { table, columns } = spec;
  const names = Object.keys(columns);
  const arrays = names.map((name, i) => `$${i + firstParameter}::${parameterType(columns[name])}[]`).join(', ');
  const selects = names.map((name) => spec.select?.[name] ?? selectExpression(name, columns[name]));
  const updates = names
    .filter((name) => name !== 'id')
    .map((name) => `${name} = ${spec.update?.[name] ?? `excluded.${name}`}`)
    .concat('synced_at = now()')
    .join(', ');
  return `
    INSERT INTO ${table} (${names.join(', ')})
    SELECT ${selects.join(', ')} FROM unnest(${arrays}) AS r(${names.join(', ')})${onlyIf ? `\n    WHERE ${onlyIf}` : ''}
    ON CONFLICT (id) DO UPDATE SET ${updates}
    WHERE ${spec.guard}`;
}

/** One array per column, in the columns' order. */
function upsertParameters(spec: TableSpec, rows: object[]): unknown[] {
  return Object.entries(spec.columns).map(([name, type]) => rows.map((row) => parameterValue(type, (row as Record<string, unknown>)[name])));
}

/**
 * Each table's upsert, prepared once per connection: its text depends on the table (and its
 * ordering rule) only, never on the rows, built once, and parsed once per connection instead
 * of on every webhook batch.
 */
const preparedUpserts = new Map<TableSpec, PreparedStatement>();

async function upsert(manager: EntityManager, spec: TableSpec, rows: object[]): Promise<number> {
  if (rows.length === 0) return 0;
  let statement = preparedUpserts.get(spec);
  if (!statement) {
    statement = preparedStatement(`ledger_upsert_${preparedUpserts.size + 1}_${spec.table}`, upsertSql(spec));
    preparedUpserts.set(spec, statement);
  }
  await runPrepared(manager, statement, upsertParameters(spec, rows));
  return rows.length;
}

const CLIENT_COLUMNS: Columns = {
  id: 'text',
  stripe_account_id: 'text',
  livemode: 'boolean',
  name: 'text',
  email: 'text',
  currency: 'char(3)',
  metadata: 'jsonb',
  deleted: 'boolean',
  stripe_created_at: 'timestamptz',
  event_created: 'bigint',
  content_hash: 'text',
  reread_second: 'bigint',
};

const INVOICE_COLUMNS: Columns = {
  id: 'text',
  stripe_account_id: 'text',
  client_id: 'text',
  number: 'text',
  status: 'text',
  collection_method: 'text',
  currency: 'char(3)',
  subtotal: 'bigint',
  total: 'bigint',
  total_discount: 'bigint',
  amount_due: 'bigint',
  amount_paid: 'bigint',
  amount_remaining: 'bigint',
  subscription_id: 'text',
  attempt_count: 'integer',
  stripe_created_at: 'timestamptz',
  finalized_at: 'timestamptz',
  due_at: 'timestamptz',
  paid_at: 'timestamptz',
  voided_at: 'timestamptz',
  marked_uncollectible_at: 'timestamptz',
  metadata: 'jsonb',
  event_created: 'bigint',
  content_hash: 'text',
  reread_second: 'bigint',
};

const CREDIT_NOTE_COLUMNS: Columns = {
  id: 'text',
  stripe_account_id: 'text',
  client_id: 'text',
  invoice_id: 'text',
  number: 'text',
  status: 'text',
  type: 'text',
  reason: 'text',
  currency: 'char(3)',
  amount: 'bigint',
  reduces_owed: 'boolean',
  stripe_created_at: 'timestamptz',
  voided_at: 'timestamptz',
  metadata: 'jsonb',
};

const DISPUTE_COLUMNS: Columns = {
  id: 'text',
  stripe_account_id: 'text',
  client_id: 'text',
  invoice_id: 'text',
  charge_id: 'text',
  payment_intent_id: 'text',
  currency: 'char(3)',
  amount: 'bigint',
  reason: 'text',
  status: 'text',
  stripe_created_at: 'timestamptz',
};

const SUBSCRIPTION_COLUMNS: Columns = {
  id: 'text',
  stripe_account_id: 'text',
  client_id: 'text',
  status: 'text',
  collection_method: 'text',
  currency: 'char(3)',
  days_until_due: 'integer',
  pause_behavior: 'text',
  pause_resumes_at: 'timestamptz',
  cancel_at: 'timestamptz',
  cancel_at_period_end: 'boolean',
  canceled_at: 'timestamptz',
  ended_at: 'timestamptz',
  current_period_start: 'timestamptz',
  current_period_end: 'timestamptz',
  items: 'jsonb',
  price_ids: 'text[]',
  schedule_id: 'text',
  latest_invoice_id: 'text',
  metadata: 'jsonb',
  stripe_created_at: 'timestamptz',
  observed_at: 'timestamptz',
};

const INVOICE_PAYMENT_COLUMNS: Columns = {
  id: 'text',
  stripe_account_id: 'text',
  invoice_id: 'text',
  client_id: 'text',
  status: 'text',
  currency: 'char(3)',
  amount_paid: 'bigint',
  amount_requested: 'bigint',
  paid_at: 'timestamptz',
  stripe_created_at: 'timestamptz',
};

/** draft < open < uncollectible < paid | void: statuses only move forward (uncollectible can still be paid). */
const invoiceRank = (alias: string) => `(CASE ${alias}.status WHEN 'draft' THEN 0 WHEN 'open' THEN 1 WHEN 'uncollectible' THEN 2 ELSE 3 END)`;

/**
 * An invoice's state moves forward: a higher status rank, or the same rank with more paid,
 * less remaining or more attempts. Two snapshots the state machine cannot order (same rank,
 * same amounts) are ordered by the `created` of their events (`event_created`, per row):
 * strictly newer wins for deliveries in any order (webhooks: a same-second tie is settled by
 * re-reading the invoice), newer or same for events applied in the order they happened
 * (catch-up, re-reads). A row from a backfill (no event) is overwritten by the next event.
 */
function invoiceGuard(sameStateOrder: '>' | '>='): string {
  return `${invoiceRank('excluded')} > ${invoiceRank('invoices')}
       OR (${invoiceRank('excluded')} = ${invoiceRank('invoices')}
           AND excluded.amount_paid >= invoices.amount_paid
           AND excluded.amount_remaining <= invoices.amount_remaining
           AND excluded.attempt_count >= invoices.attempt_count
           AND (excluded.amount_paid > invoices.amount_paid
                OR excluded.amount_remaining < invoices.amount_remaining
                OR excluded.attempt_count > invoices.attempt_count
                OR excluded.event_created IS NULL OR invoices.event_created IS NULL
                OR excluded.event_created ${sameStateOrder} invoices.event_created))`;
}

/** Deletion is final; otherwise the newer event wins (ties as for invoices), a backfill read always. */
function clientGuard(sameStateOrder: '>' | '>='): string {
  return (
    `NOT clients.deleted AND (excluded.deleted OR excluded.event_created IS NULL OR ` +
    `clients.event_created IS NULL OR excluded.event_created ${sameStateOrder} clients.event_created)`
  );
}

const TABLES = {
  // Deletion is final. A deletion knows nothing else about the client (Stripe's deleted
  // customer is a bare id): what the ledger knew (name, email, metadata...) stays for reports.
  clients: {
    table: 'clients',
    columns: CLIENT_COLUMNS,
    guard: clientGuard('>'),
    update: Object.fromEntries(
      ['livemode', 'name', 'email', 'currency', 'metadata', 'stripe_created_at'].map((column) => [
        column,
        `CASE WHEN excluded.deleted THEN clients.${column} ELSE excluded.${column} END`,
      ]),
    ),
  },
  invoices: {
    table: 'invoices',
    columns: INVOICE_COLUMNS,
    guard: invoiceGuard('>'),
  },
  // issued → void only.
  credit_notes: {
    table: 'credit_notes',
    columns: CREDIT_NOTE_COLUMNS,
    guard: `credit_notes.status = 'issued' OR excluded.status = 'void'`,
  },
  // Closed outcomes (won/lost) are final.
  disputes: {
    table: 'disputes',
    columns: DISPUTE_COLUMNS,
    guard: `disputes.status NOT IN ('won', 'lost')`,
  },
  // Statuses move both ways (active ⇄ past_due ⇄ paused), so the latest read wins, except
  // that canceled and incomplete_expired are final.
  subscriptions: {
    table: 'subscriptions',
    columns: SUBSCRIPTION_COLUMNS,
    guard: `(subscriptions.status NOT IN ('canceled', 'incomplete_expired') OR excluded.status = subscriptions.status)
       AND excluded.observed_at >= subscriptions.observed_at`,
  },
  // open → paid | canceled (final), amount_paid never decreases. Stripe's object has no
  // customer: it comes from the invoice when that is already in the ledger, and is never
  // cleared by a later delivery that could not resolve it.
  invoice_payments: {
    table: 'invoice_payments',
    columns: INVOICE_PAYMENT_COLUMNS,
    guard: `(invoice_payments.status = 'open' OR excluded.status = invoice_payments.status)
       AND excluded.amount_paid >= invoice_payments.amount_paid`,
    select: {
      client_id: `coalesce(r.client_id, (SELECT i.client_id FROM invoices i WHERE i.id = r.invoice_id))`,
    },
    update: {
      client_id: `coalesce(excluded.client_id, invoice_payments.client_id)`,
    },
  },
} satisfies Record<string, TableSpec>;

/** The same tables for events applied in the order they happened (catch-up) and for re-reads. */
const IN_ORDER: Record<string, TableSpec> = {
  ...TABLES,
  invoices: { ...TABLES.invoices, guard: invoiceGuard('>=') },
  clients: { ...TABLES.clients, guard: clientGuard('>=') },
};

export type LedgerTable = keyof typeof TABLES;

/** Rows for one ledger table, as the mappers make them. */
export interface LedgerRows {
  table: LedgerTable;
  rows: object[];
}

export interface StoredState {
  id: string;
  status: string | null;
  deleted: boolean;
  amount_paid: number;
  amount_remaining: number;
  attempt_count: number;
  event_created: number | null;
  content_hash: string | null;
  /** The event second a re-read settled: later snapshots of that second are older than the re-read or tie it. */
  reread_second: number | null;
}

/** An event as `processed_events` records it. */
export interface ProcessedEvent {
  id: string;
  accountId: string;
  type: string;
  apiVersion: string | null;
  objectId: string | null;
  /** Unix seconds. */
  created: number;
}

const RECORD_EVENTS = preparedStatement(
  'ledger_record_events',
  `INSERT INTO processed_events (id, stripe_account_id, type, api_version, object_id, stripe_created_at, processed_at)
   SELECT r.id, r.account, r.type, r.api_version, r.object_id, to_timestamp(r.created), now()
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[]) AS r(id, account, type, api_version, object_id, created)
   ON CONFLICT (id) DO NOTHING RETURNING id`,
);

const FILL_INVOICE_PAYMENT_CLIENTS = preparedStatement(
  'ledger_fill_invoice_payment_clients',
  `UPDATE invoice_payments p SET client_id = i.client_id
     FROM invoices i
    WHERE p.client_id IS NULL AND p.stripe_account_id = $1 AND i.id = p.invoice_id`,
);

const storedStatesOf = (table: 'invoices' | 'clients', facts: string) =>
  preparedStatement(
    `ledger_stored_states_${table}`,
    `SELECT id, ${facts}, event_created::float8 AS event_created, content_hash, reread_second::float8 AS reread_second FROM ${table} WHERE id = ANY($1)`,
  );
const STORED_STATES = {
  invoices: storedStatesOf(
    'invoices',
    'status, amount_paid::float8 AS amount_paid, amount_remaining::float8 AS amount_remaining, attempt_count, false AS deleted',
  ),
  clients: storedStatesOf('clients', 'NULL AS status, 0 AS amount_paid, 0 AS amount_remaining, 0 AS attempt_count, deleted'),
};

export const ledgerWriter = {
  /** `inOrder`: the rows come from events applied in the order they happened, or from a re-read (see invoiceGuard). */
  rows: (manager: EntityManager, write: LedgerRows, inOrder = false) => upsert(manager, (inOrder ? IN_ORDER : TABLES)[write.table], write.rows),
  clients: (manager: EntityManager, rows: ClientRow[]) => upsert(manager, TABLES.clients, rows),
  invoices: (manager: EntityManager, rows: InvoiceRow[]) => upsert(manager, TABLES.invoices, rows),
  creditNotes: (manager: EntityManager, rows: CreditNoteRow[]) => upsert(manager, TABLES.credit_notes, rows),
  disputes: (manager: EntityManager, rows: DisputeRow[]) => upsert(manager, TABLES.disputes, rows),
  subscriptions: (manager: EntityManager, rows: SubscriptionRow[]) => upsert(manager, TABLES.subscriptions, rows),
  invoicePayments: (manager: EntityManager, rows: InvoicePaymentRow[]) => upsert(manager, TABLES.invoice_payments, rows),

  /**
   * Records an event id and, only when it is new, upserts what it changed: one statement
   * (data-modifying CTEs), atomic without a transaction and one round trip per webhook.
   * True when the event was new.
   */
  async event(manager: EntityManager, event: ProcessedEvent, write?: LedgerRows): Promise<boolean> {
    const record = `INSERT INTO processed_events (id, stripe_account_id, type, api_version, object_id, stripe_created_at, processed_at)
      VALUES ($1, $2, $3, $4, $5, to_timestamp($6), now()) ON CONFLICT (id) DO NOTHING RETURNING id`;
    const eventParameters = [event.id, event.accountId, event.type, event.apiVersion, event.objectId, event.created];
    const upserted =
      write && write.rows.length > 0
        ? upsertStatement(IN_ORDER[write.table], write.rows, eventParameters.length + 1, 'EXISTS (SELECT 1 FROM fresh)')
        : undefined;
    const sql = `WITH fresh AS (${record})${upserted ? `, written AS (${upserted.sql} RETURNING 1)` : ''} SELECT count(*)::int AS fresh FROM fresh`;
    const [{ fresh }]: { fresh: number }[] = await manager.query(sql, [...eventParameters, ...(upserted?.parameters ?? [])]);
    return fresh > 0;
  },

  /** Records many events at once; returns the ids that were new (the others were processed before). */
  async recordEvents(manager: EntityManager, events: ProcessedEvent[]): Promise<Set<string>> {
    if (events.length === 0) return new Set();
    const rows = await runPrepared<{ id: string }>(manager, RECORD_EVENTS, [
      events.map((e) => e.id),
      events.map((e) => e.accountId),
      events.map((e) => e.type),
      events.map((e) => e.apiVersion),
      events.map((e) => e.objectId),
      events.map((e) => e.created),
    ]);
    return new Set(rows.map((row) => row.id));
  },

  /** The stored rows' ordering facts, to find same-second snapshots that only a re-read can order. */
  async storedStates(manager: EntityManager, table: 'invoices' | 'clients', ids: string[]): Promise<Map<string, StoredState>> {
    if (ids.length === 0) return new Map();
    const rows = await runPrepared<StoredState>(manager, STORED_STATES[table], [ids]);
    return new Map(rows.map((row) => [row.id, row]));
  },

  /** Invoice payments written before their invoice get the invoice's client once it is known (after every webhook batch: prepared). */
  fillInvoicePaymentClients: async (manager: EntityManager, accountId: string): Promise<void> => {
    await runPrepared(manager, FILL_INVOICE_PAYMENT_CLIENTS, [accountId]);
  },
};
