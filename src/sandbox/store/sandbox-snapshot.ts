import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PersonaLabel, SeededDiscountRequest } from '../sandbox.types';
import type { Collection, Stored } from './collection';
import type { SandboxStore } from './sandbox-store';

/** The file a persisted sandbox lives in, under `<home>/sandbox/`. */
export const SANDBOX_STATE_FILE = 'state.json';
const VERSION = 1;

/** What the sandbox was seeded with: a snapshot is only continued by a sandbox seeded the same way. */
export interface SnapshotIdentity {
  seed: 'demo' | 'empty' | number;
  randomSeed: number;
}

export interface SandboxSnapshot extends SnapshotIdentity {
  version: number;
  savedAt: string;
  /** The sandbox clock when saved (ms): a restart continues from there. */
  clockMs: number;
  idPosition: number;
  personas: PersonaLabel[];
  discountRequests: Array<Omit<SeededDiscountRequest, 'requestedAt'> & { requestedAt: string }>;
  collections: Record<string, Stored[]>;
  discounts: Array<[string, unknown]>;
  openInvoices: string[];
  overdueSent: string[];
  invoiceSequence: Array<[string, number]>;
  creditNoteCounter: number;
  personaOf: Array<[string, { persona: string; index: number }]>;
  plannedPayments: Array<[string, number | null]>;
}

/** The store's collections that are saved. Webhook endpoints are not: each start registers its own. */
const COLLECTIONS = [
  'customers',
  'products',
  'prices',
  'coupons',
  'invoices',
  'invoiceItems',
  'creditNotes',
  'subscriptions',
  'schedules',
  'paymentIntents',
  'charges',
  'disputes',
  'invoicePayments',
  'events',
  'testClocks',
] as const satisfies ReadonlyArray<keyof SandboxStore>;

export function statePath(stateDir: string): string {
  return join(stateDir, SANDBOX_STATE_FILE);
}

export function takeSnapshot(
  store: SandboxStore,
  identity: SnapshotIdentity,
  extra: { clockMs: number; idPosition: number; personas: PersonaLabel[]; discountRequests: SeededDiscountRequest[] },
): SandboxSnapshot {
  const collections: Record<string, Stored[]> = {};
  for (const name of COLLECTIONS) collections[name] = [...(store[name] as unknown as Collection<Stored>).values()];
  return {
    version: VERSION,
    ...identity,
    savedAt: new Date().toISOString(),
    clockMs: extra.clockMs,
    idPosition: extra.idPosition,
    personas: extra.personas,
    discountRequests: extra.discountRequests.map((r) => ({ ...r, requestedAt: r.requestedAt.toISOString() })),
    collections,
    discounts: [...store.discounts],
    openInvoices: [...store.openInvoices],
    overdueSent: [...store.overdueSent],
    invoiceSequence: [...store.invoiceSequence],
    creditNoteCounter: store.creditNoteCounter,
    personaOf: [...store.personaOf],
    plannedPayments: [...store.plannedPayments],
  };
}

/** Writes the snapshot atomically (temporary file, then rename), readable by the owner only. */
export function writeSnapshot(stateDir: string, snapshot: SandboxSnapshot): void {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const target = statePath(stateDir);
  const temporary = `${target}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(snapshot), { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, target);
}

/** The saved snapshot, if there is one for this identity; a snapshot of another seed (or unreadable) is ignored. */
export function readSnapshot(stateDir: string, identity: SnapshotIdentity): SandboxSnapshot | undefined {
  const path = statePath(stateDir);
  if (!existsSync(path)) return undefined;
  let snapshot: SandboxSnapshot;
  try {
    snapshot = JSON.parse(readFileSync(path, 'utf8')) as SandboxSnapshot;
  } catch (error) {
    throw new Error(`the saved sandbox ${path} cannot be read (${(error as Error).message}); run \`payrisk sandbox reset\` to start over.`, { cause: error });
  }
  if (snapshot.version !== VERSION || snapshot.seed !== identity.seed || snapshot.randomSeed !== identity.randomSeed) return undefined;
  return snapshot;
}

/** Puts a snapshot's data back into an empty store. */
export function restoreSnapshot(store: SandboxStore, snapshot: SandboxSnapshot): void {
  for (const name of COLLECTIONS) {
    const collection = store[name] as unknown as Collection<Stored>;
    for (const item of snapshot.collections[name] ?? []) collection.insert(item);
  }
  for (const [id, discount] of snapshot.discounts) store.discounts.set(id, discount as never);
  for (const id of snapshot.openInvoices) store.openInvoices.add(id);
  for (const id of snapshot.overdueSent) store.overdueSent.add(id);
  for (const [customer, n] of snapshot.invoiceSequence) store.invoiceSequence.set(customer, n);
  store.creditNoteCounter = snapshot.creditNoteCounter;
  for (const [customer, persona] of snapshot.personaOf) store.personaOf.set(customer, persona as never);
  for (const [invoice, at] of snapshot.plannedPayments) store.plannedPayments.set(invoice, at);
}

/** Forgets a persisted sandbox (`payrisk sandbox reset`). */
export function removeSnapshot(stateDir: string): void {
  rmSync(stateDir, { recursive: true, force: true });
}
