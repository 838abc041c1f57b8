// Login throttling per (account, client address) pairing and per address (ADR 0008), kept in the
// database so that every app node sees the same counters; and an index for the per-user cap on
// denied-attempt audit rows, which counts a user's recent rows of a few actions.
import type { Kysely } from 'kysely';
import { dialectOf, idColumn } from '../dialect.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const id = idColumn(dialectOf(db));
  await db.schema
    .createTable('login_throttles')
    .addColumn('id', 'integer', id)
    // 'pairing': one username as typed (known or not) from one address; 'address': every username.
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    // '' for an address row.
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('first_failure_at', 'text', (c) => c.notNull())
    .addColumn('last_failure_at', 'text', (c) => c.notNull())
    // No attempt is checked before this time (a growing delay).
    .addColumn('next_attempt_at', 'text')
    .addColumn('locked_until', 'text')
    // The row counts for nothing after this time and the prune deletes it.
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('login_throttles_key', ['address', 'username', 'kind'])
    .execute();
  await db.schema.createIndex('login_throttles_expires').on('login_throttles').column('expires_at').execute();
  await db.schema
    .createIndex('audit_log_actor_action')
    .on('audit_log')
    .columns(['actor_user_id', 'action', 'at'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('audit_log_actor_action').execute();
  await db.schema.dropTable('login_throttles').execute();
}
