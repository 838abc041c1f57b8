// The audit chain becomes keyed (ADR 0007): each row names the audit key its HMAC was made with.
// Rows already there keep null (plain SHA-256); the first start after this seals them (audit.ts).
// Adding a column fires no UPDATE trigger, so the append-only guard stays as it is.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audit_log').addColumn('key_id', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audit_log').dropColumn('key_id').execute();
}
