// Texts for people are stored as message codes with parameters and rendered when read, in the
// language asked (ADR 0010). Notifications gain the code and its parameters; the two text columns
// stay for the rows written before. (Histories are append-only: the two-language sentences the
// system wrote into them before are read as their codes by `platform/lang.ts`.)
import { type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('notifications').addColumn('message_code', 'text').execute();
  await db.schema.alterTable('notifications').addColumn('message_params', 'text').execute();
}
