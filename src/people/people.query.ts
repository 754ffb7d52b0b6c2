import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { column, selectOne, selectRows } from '../database/select-rows';

/** What a person may do in an account they are granted: an owner decides actions, an accountant reads. */
export const GRANT_ROLES = ['owner', 'accountant'] as const;
export type GrantRole = (typeof GRANT_ROLES)[number];

export interface Person {
  id: string;
  email: string;
  displayName: string;
}

export interface Grant {
  stripeAccountId: string;
  role: GrantRole;
}

const personRow = z.object({ id: column.text, email: column.text, display_name: column.text });
const toPerson = (r: z.output<typeof personRow>): Person => ({ id: r.id, email: r.email, displayName: r.display_name });
const grantRow = z.object({ person_id: column.text, stripe_account_id: column.text, role: z.enum(GRANT_ROLES) });

/** Adds a person, or renames the one with this email (emails compare case-insensitively). */
export async function upsertPerson(manager: EntityManager, email: string, displayName: string): Promise<Person> {
  const row = await selectOne(
    manager,
    `INSERT INTO people (email, display_name) VALUES ($1, $2)
     ON CONFLICT (lower(email)) DO UPDATE SET display_name = excluded.display_name
     RETURNING id, email, display_name`,
    [email, displayName],
    personRow,
  );
  if (!row) throw new Error('INSERT … RETURNING gave no row');
  return toPerson(row);
}

export async function findPersonByEmail(manager: EntityManager, email: string): Promise<Person | undefined> {
  const row = await selectOne(manager, `SELECT id, email, display_name FROM people WHERE lower(email) = lower($1)`, [email], personRow);
  return row && toPerson(row);
}

export async function findPerson(manager: EntityManager, id: string): Promise<Person | undefined> {
  const row = await selectOne(manager, `SELECT id, email, display_name FROM people WHERE id = $1`, [id], personRow);
  return row && toPerson(row);
}

/** Grants the account (again: the role is replaced). */
export async function grantAccount(manager: EntityManager, personId: string, stripeAccountId: string, role: GrantRole): Promise<void> {
  await manager.query(
    `INSERT INTO account_grants (person_id, stripe_account_id, role) VALUES ($1, $2, $3)
     ON CONFLICT (person_id, stripe_account_id) DO UPDATE SET role = excluded.role`,
    [personId, stripeAccountId, role],
  );
}

/** Takes one account away from a person; false when it was not granted. */
export async function revokeGrant(manager: EntityManager, personId: string, stripeAccountId: string): Promise<boolean> {
  const gone = await selectRows(
    manager,
    `DELETE FROM account_grants WHERE person_id = $1 AND stripe_account_id = $2 RETURNING person_id`,
    [personId, stripeAccountId],
    z.object({ person_id: column.text }),
  );
  return gone.length > 0;
}

/** The person and, with them, their sessions, sign-in links, grants and tokens (ON DELETE CASCADE). */
export async function deletePerson(manager: EntityManager, personId: string): Promise<void> {
  await manager.query(`DELETE FROM people WHERE id = $1`, [personId]);
}

export async function grantsOf(manager: EntityManager, personId: string): Promise<Grant[]> {
  const rows = await selectRows(
    manager,
    `SELECT person_id, stripe_account_id, role FROM account_grants WHERE person_id = $1 ORDER BY stripe_account_id`,
    [personId],
    grantRow,
  );
  return rows.map((r) => ({ stripeAccountId: r.stripe_account_id, role: r.role }));
}

/** Everyone, by email, with what each is granted. */
export async function listPeople(manager: EntityManager): Promise<(Person & { grants: Grant[] })[]> {
  const [people, grants] = await Promise.all([
    selectRows(manager, `SELECT id, email, display_name FROM people ORDER BY lower(email)`, [], personRow),
    selectRows(manager, `SELECT person_id, stripe_account_id, role FROM account_grants ORDER BY stripe_account_id`, [], grantRow),
  ]);
  return people.map((p) => ({
    ...toPerson(p),
    grants: grants.filter((g) => g.person_id === p.id).map((g) => ({ stripeAccountId: g.stripe_account_id, role: g.role })),
  }));
}
